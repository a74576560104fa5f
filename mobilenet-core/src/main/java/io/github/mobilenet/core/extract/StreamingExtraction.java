package io.github.mobilenet.core.extract;

import io.github.mobilenet.core.MobileNetException;
import io.github.mobilenet.core.image.ImageDecodeException;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.image.RgbImage;
import io.github.mobilenet.core.preprocess.PreparedImage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The streaming pipeline behind {@link FeatureExtractor#extractEach}: decoding and preprocessing
 * run on worker threads at most two batches ahead (so memory stays bounded however many images
 * come), batched inference runs on the calling thread, results come out in input order.
 *
 * <p>One instance serves one call; it is confined to the calling thread.
 */
final class StreamingExtraction {
  private final FeatureExtractor extractor;
  private final LayerRequest layers;
  private final int maxBatch;
  private final Function<RgbImage, ?> alongside;
  private final BiConsumer<MultiLayerResult, Object> sink;

  StreamingExtraction(
      FeatureExtractor extractor,
      LayerRequest layers,
      int maxBatch,
      Consumer<MultiLayerResult> sink) {
    this(extractor, layers, maxBatch, null, (r, extra) -> sink.accept(r));
  }

  /**
   * @param alongside per-image work on the decoded pixels, run on the decode threads (null: none);
   *     its value reaches {@code sink} with the image's result (null on error)
   */
  StreamingExtraction(
      FeatureExtractor extractor,
      LayerRequest layers,
      int maxBatch,
      Function<RgbImage, ?> alongside,
      BiConsumer<MultiLayerResult, Object> sink) {
    this.extractor = extractor;
    this.layers = layers;
    this.maxBatch = maxBatch;
    this.alongside = alongside;
    this.sink = sink;
  }

  /** A prepared image and what {@link #alongside} made of its pixels. */
  private record Decoded(PreparedImage image, Object extra) {}

  private Decoded prepare(ImageSource src) {
    if (alongside == null) {
      return new Decoded(extractor.prepare(src), null);
    }
    Object[] extra = new Object[1];
    PreparedImage p = extractor.prepare(src, rgb -> extra[0] = alongside.apply(rgb));
    return new Decoded(p, extra[0]);
  }

  /** Feeds every image to the sink, a bad one as a result with its error. */
  void run(Iterator<? extends ImageSource> images, int decodeThreads) {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, decodeThreads),
            r -> {
              Thread t = new Thread(r, "mobilenet-decode");
              t.setDaemon(true);
              return t;
            });
    try {
      Deque<Map.Entry<ImageSource, Future<Decoded>>> window = new ArrayDeque<>();
      int ahead = 2 * maxBatch;
      // Each outcome is a Decoded or the MobileNetException that stopped it.
      List<Map.Entry<ImageSource, Object>> pending = new ArrayList<>();
      int ready = 0;
      while (images.hasNext() || !window.isEmpty()) {
        while (window.size() < ahead && images.hasNext()) {
          ImageSource src = images.next();
          window.add(Map.entry(src, pool.submit(() -> prepare(src))));
        }
        Map.Entry<ImageSource, Future<Decoded>> next = window.poll();
        Object outcome;
        try {
          outcome = next.getValue().get();
          ready++;
        } catch (ExecutionException e) {
          outcome = failure(next.getKey(), e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new MobileNetException(
              MobileNetException.ErrorCode.INTERRUPTED,
              next.getKey().name(),
              "interrupted while extracting features",
              e);
        }
        pending.add(Map.entry(next.getKey(), outcome));
        if (ready == maxBatch || (window.isEmpty() && !images.hasNext())) {
          flush(pending);
          pending.clear();
          ready = 0;
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static MobileNetException failure(ImageSource source, Throwable cause) {
    if (cause instanceof MobileNetException m) {
      return m;
    }
    ImageDecodeException.Reason reason =
        cause instanceof OutOfMemoryError
            ? ImageDecodeException.Reason.TOO_LARGE
            : ImageDecodeException.Reason.CORRUPT;
    return new ImageDecodeException(source.name(), reason, String.valueOf(cause), cause);
  }

  private void flush(List<Map.Entry<ImageSource, Object>> pending) {
    List<PreparedImage> batch = new ArrayList<>();
    for (Map.Entry<ImageSource, Object> e : pending) {
      if (e.getValue() instanceof Decoded d) {
        batch.add(d.image());
      }
    }
    List<Map<String, Features>> features =
        batch.isEmpty() ? List.of() : extractor.runPrepared(batch, layers.endpoints());
    int i = 0;
    for (Map.Entry<ImageSource, Object> e : pending) {
      if (e.getValue() instanceof Decoded d) {
        PreparedImage p = d.image();
        sink.accept(
            new MultiLayerResult(
                e.getKey(), p.width(), p.height(), layers.keyed(features.get(i++)), null),
            d.extra());
      } else {
        sink.accept(
            new MultiLayerResult(e.getKey(), 0, 0, null, (MobileNetException) e.getValue()), null);
      }
    }
  }
}
