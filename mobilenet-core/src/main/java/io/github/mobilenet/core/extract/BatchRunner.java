package io.github.mobilenet.core.extract;

import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.image.RgbImage;
import io.github.mobilenet.core.preprocess.PreparedImage;
import io.github.mobilenet.core.preprocess.Preprocessor;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
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
   * One image of {@link #extractEach}: the decoded image's size, what {@code alongside} made of it
   * and its features, or the error that stopped it.
   */
  record Outcome(
      ImageSource source,
      int width,
      int height,
      Object extra,
      Map<String, Features> features,
      Throwable error) {}

  /**
   * Decodes, preprocesses and runs a batch where one bad image must not fail the others: each
   * decoded image goes to {@code alongside} (may be null), a failing one becomes an outcome with
   * its error, the rest run as one inference per input size. For an exact size the images are
   * preprocessed straight into the input tensor, the good ones packed at its front.
   *
   * @throws RuntimeException when inference fails (the whole batch)
   */
  List<Outcome> extractEach(
      List<ImageSource> batch, List<String> endpoints, Function<RgbImage, ?> alongside) {
    Object[] extra = new Object[1];
    Consumer<RgbImage> hook =
        alongside == null ? rgb -> {} : rgb -> extra[0] = alongside.apply(rgb);
    List<Outcome> out = new ArrayList<>(batch.size());
    List<Integer> good = new ArrayList<>(batch.size());
    List<Map<String, Features>> features;
    if (exact) {
      int per = preparer.tensorSize();
      FloatBuffer input = buffers.borrow(batch.size() * per);
      try {
        for (ImageSource source : batch) {
          extra[0] = null;
          try {
            RgbImage rgb = preparer.fill(source, hook, input, good.size() * per);
            good.add(out.size());
            out.add(new Outcome(source, rgb.width(), rgb.height(), extra[0], null, null));
          } catch (RuntimeException | Error e) {
            out.add(new Outcome(source, 0, 0, null, null, e));
          }
        }
        input.limit(good.size() * per); // ONNX Runtime takes the whole buffer as the tensor
        features =
            good.isEmpty()
                ? List.of()
                : inference.run(
                    input,
                    good.size(),
                    preparer.height(),
                    preparer.width(),
                    endpoints,
                    out.get(good.get(0)).source().name());
      } finally {
        buffers.giveBack(input);
      }
    } else {
      List<PreparedImage> prepared = new ArrayList<>(batch.size());
      for (ImageSource source : batch) {
        extra[0] = null;
        try {
          PreparedImage p = preparer.prepare(source, hook);
          good.add(out.size());
          prepared.add(p);
          out.add(new Outcome(source, p.width(), p.height(), extra[0], null, null));
        } catch (RuntimeException | Error e) {
          out.add(new Outcome(source, 0, 0, null, null, e));
        }
      }
      features = prepared.isEmpty() ? List.of() : runPrepared(prepared, endpoints);
    }
    for (int k = 0; k < good.size(); k++) {
      Outcome o = out.get(good.get(k));
      out.set(
          good.get(k),
          new Outcome(o.source(), o.width(), o.height(), o.extra(), features.get(k), null));
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
