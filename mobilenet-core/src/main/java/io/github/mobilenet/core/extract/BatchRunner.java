package io.github.mobilenet.core.extract;

import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.preprocess.PreparedImage;
import io.github.mobilenet.core.preprocess.Preprocessor;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Turns batches of images into one inference per input size: for an exact size a batch is decoded
 * straight into one input tensor; with a shorter side (a size per image) the images are prepared
 * first and run grouped by their size, results back in input order.
 *
 * <p>Thread-safe: it holds no per-call state (buffers are borrowed per call).
 */
final class BatchRunner {
  private final BatchPreparer preparer;
  private final TensorBuffers buffers;
  private final Inference inference;
  private final int maxBatch;
  private final boolean exact;

  BatchRunner(
      BatchPreparer preparer,
      TensorBuffers buffers,
      Inference inference,
      int maxBatch,
      boolean exact) {
    this.preparer = preparer;
    this.buffers = buffers;
    this.inference = inference;
    this.maxBatch = maxBatch;
    this.exact = exact;
  }

  /** One inference per input size over a batch; per image, endpoint → features. */
  List<Map<String, Features>> extract(List<ImageSource> batch, List<String> endpoints) {
    if (!exact) {
      // Sizes are known only once decoded: prepare each image, then run them grouped by size.
      return runPrepared(prepareAll(batch), endpoints);
    }
    FloatBuffer input = buffers.borrow(batch.size() * preparer.tensorSize());
    try {
      preparer.fill(batch, input);
      return inference.run(
          input, batch.size(), preparer.height(), preparer.width(), endpoints, batch.get(0).name());
    } finally {
      buffers.giveBack(input);
    }
  }

  /** Prepares every image, in parallel; throws the error of the first failing one in list order. */
  private List<PreparedImage> prepareAll(List<ImageSource> batch) {
    Object[] outcomes = new Object[batch.size()];
    IntStream slots = IntStream.range(0, batch.size());
    (batch.size() > 1 ? slots.parallel() : slots)
        .forEach(
            i -> {
              try {
                outcomes[i] = preparer.prepare(batch.get(i));
              } catch (RuntimeException e) {
                outcomes[i] = e;
              }
            });
    List<PreparedImage> out = new ArrayList<>(batch.size());
    for (Object o : outcomes) {
      if (o instanceof RuntimeException e) {
        throw e;
      }
      out.add((PreparedImage) o);
    }
    return out;
  }

  /**
   * Runs prepared images grouped by input size (one group for an exact size), each group in batches
   * of up to {@code maxBatch}; results in input order.
   */
  List<Map<String, Features>> runPrepared(List<PreparedImage> images, List<String> endpoints) {
    Map<Preprocessor, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < images.size(); i++) {
      groups
          .computeIfAbsent(preparer.preprocessorFor(images.get(i)), k -> new ArrayList<>())
          .add(i);
    }
    List<Map<String, Features>> out = new ArrayList<>(Collections.nCopies(images.size(), null));
    for (Map.Entry<Preprocessor, List<Integer>> group : groups.entrySet()) {
      Preprocessor p = group.getKey();
      List<Integer> members = group.getValue();
      for (int from = 0; from < members.size(); from += maxBatch) {
        List<Integer> slots = members.subList(from, Math.min(members.size(), from + maxBatch));
        List<PreparedImage> batch = slots.stream().map(images::get).toList();
        FloatBuffer input = buffers.borrow(batch.size() * p.tensorSize());
        try {
          preparer.copy(batch, input);
          List<Map<String, Features>> results =
              inference.run(
                  input, batch.size(), p.height(), p.width(), endpoints, batch.get(0).name());
          for (int k = 0; k < slots.size(); k++) {
            out.set(slots.get(k), results.get(k));
          }
        } finally {
          buffers.giveBack(input);
        }
      }
    }
    return out;
  }
}
