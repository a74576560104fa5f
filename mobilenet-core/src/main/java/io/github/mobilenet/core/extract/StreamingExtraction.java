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
 * The streaming pipeline behind {@link FeatureExtractor#extractEach}; results come out in input
 * order, and memory stays bounded however many images come.
 *
 * <p>With several worker threads each worker is a lane: it decodes and preprocesses a whole batch,
 * then runs its inference on a session with its share of the intra-op threads, while the other
 * lanes do the same. Every core then does one thing at a time. Overlapping decode threads with a
 * session that spreads each operator over all cores (the one-worker mode) costs more: the operators
 * wait at their barriers for threads the decoders hold. int8 kernels also run better on one thread
 * each: two single-thread sessions at once ran 606-649 img/s against 448-500 for one session on two
 * threads (fp32: about the same; docs/PERFORMANCE.md).
 *
 * <p>With one worker (or one core, or a stream of a single batch), decoding and preprocessing run
 * on the workers at most two batches ahead while batched inference runs on the calling thread with
 * all the intra-op threads.
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

  /**
   * Feeds every image to the sink, a bad one as a result with its error. {@code workers} threads
   * decode; more than one run as {@link #lanes} lanes, one thread each.
   */
  void run(Iterator<? extends ImageSource> images, int workers) {
    run(images, workers, lanes(workers));
  }

  /**
   * Most lanes at once. Each running lane holds its batch's activations (about 150 MB for 8 images
   * at 224×224), so on a large machine lanes share cores through their intra-op threads instead of
   * multiplying memory. Measured on 2 cores only.
   */
  static final int MAX_LANES = 8;

  /** Lanes for {@code workers} threads: one per worker, at most one per core and MAX_LANES. */
  static int lanes(int workers) {
    return Math.max(
        1, Math.min(MAX_LANES, Math.min(workers, Runtime.getRuntime().availableProcessors())));
  }

  /** {@link #run(Iterator, int)} with the number of lanes given (1: decoding overlapped). */
  void run(Iterator<? extends ImageSource> images, int workers, int lanes) {
    // A stream of one batch (a query, a few files) runs as before: decoded in parallel, then
    // one inference on all the intra-op threads, which is the quicker answer for one batch.
    List<ImageSource> first = new ArrayList<>(maxBatch);
    while (first.size() < maxBatch && images.hasNext()) {
      first.add(images.next());
    }
    Iterator<ImageSource> all = then(first.iterator(), images);
    boolean asLanes = lanes > 1 && images.hasNext();
    // As lanes, one thread per lane: more threads would run more batches at once than there are
    // lanes (the window holds two per lane), each on a lane's share of the cores and memory.
    ExecutorService pool =
        Executors.newFixedThreadPool(
            asLanes ? lanes : Math.max(1, workers),
            r -> {
              Thread t = new Thread(r, "mobilenet-decode");
              t.setDaemon(true);
              return t;
            });
    try {
      if (asLanes) {
        runLanes(all, pool, extractor.laneRunner(lanes), lanes);
      } else {
        runOverlapped(all, pool);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** {@code head}'s elements, then {@code tail}'s. */
  private static Iterator<ImageSource> then(
      Iterator<ImageSource> head, Iterator<? extends ImageSource> tail) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return head.hasNext() || tail.hasNext();
      }

      @Override
      public ImageSource next() {
        return head.hasNext() ? head.next() : tail.next();
      }
    };
  }

  /** One image's result and what {@link #alongside} made of it, as a lane hands them over. */
  private record Emitted(MultiLayerResult result, Object extra) {}

  /**
   * Lanes: each batch is decoded, preprocessed and run by one worker; the calling thread only hands
   * out batches and passes results on in order. At most one batch per lane waits to be passed on.
   */
  private void runLanes(
      Iterator<ImageSource> images, ExecutorService pool, BatchRunner lane, int lanes) {
    Deque<Map.Entry<ImageSource, Future<List<Emitted>>>> window = new ArrayDeque<>();
    while (images.hasNext() || !window.isEmpty()) {
      while (window.size() < 2 * lanes && images.hasNext()) {
        List<ImageSource> batch = new ArrayList<>(maxBatch);
        while (batch.size() < maxBatch && images.hasNext()) {
          batch.add(images.next());
        }
        window.add(Map.entry(batch.get(0), pool.submit(() -> runBatch(batch, lane))));
      }
      Map.Entry<ImageSource, Future<List<Emitted>>> next = window.poll();
      List<Emitted> done;
      try {
        done = next.getValue().get();
      } catch (ExecutionException e) {
        // Per-image failures are results; what arrives here stopped a whole batch (inference).
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw new MobileNetException(
            MobileNetException.ErrorCode.INFERENCE,
            next.getKey().name(),
            "extraction failed in the batch starting with " + next.getKey().name(),
            e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw interrupted(next.getKey(), e);
      }
      for (Emitted r : done) {
        sink.accept(r.result(), r.extra());
      }
    }
  }

  /** A lane's work: decode and preprocess each image, then one inference per input size. */
  private List<Emitted> runBatch(List<ImageSource> batch, BatchRunner lane) {
    List<Emitted> out = new ArrayList<>(batch.size());
    for (BatchRunner.Outcome o : lane.extractEach(batch, layers.endpoints(), alongside)) {
      out.add(
          o.error() == null
              ? new Emitted(succeeded(o.source(), o.width(), o.height(), o.features()), o.extra())
              : new Emitted(failed(o.source(), failure(o.source(), o.error())), null));
    }
    return out;
  }

  private static MobileNetException interrupted(ImageSource source, InterruptedException e) {
    return new MobileNetException(
        MobileNetException.ErrorCode.INTERRUPTED,
        source.name(),
        "interrupted while extracting features",
        e);
  }

  /** The workers decode ahead; inference runs here, on all the intra-op threads. */
  private void runOverlapped(Iterator<ImageSource> images, ExecutorService pool) {
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
        throw interrupted(next.getKey(), e);
      }
      pending.add(Map.entry(next.getKey(), outcome));
      if (ready == maxBatch || (window.isEmpty() && !images.hasNext())) {
        flush(pending);
        pending.clear();
        ready = 0;
      }
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

  /** Runs the decoded images of {@code pending} (outcomes in input order), one result each. */
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
        sink.accept(succeeded(e.getKey(), p.width(), p.height(), features.get(i++)), d.extra());
      } else {
        sink.accept(failed(e.getKey(), (MobileNetException) e.getValue()), null);
      }
    }
  }

  private MultiLayerResult succeeded(
      ImageSource source, int width, int height, Map<String, Features> byEndpoint) {
    return new MultiLayerResult(source, width, height, layers.keyed(byEndpoint), null);
  }

  private static MultiLayerResult failed(ImageSource source, MobileNetException error) {
    return new MultiLayerResult(source, 0, 0, null, error);
  }
}
