package io.github.mobilenet.core.extract;

import io.github.mobilenet.core.image.ImageDecoder;
import io.github.mobilenet.core.preprocess.Preprocessor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Cumulative time a {@link FeatureExtractor} has spent per stage, summed over threads: decoding and
 * preprocessing run on many threads at once, so their sums can exceed the wall-clock time. Elapsed
 * times grow when other work competes for the cores; CPU times (of the thread doing the stage) do
 * not.
 *
 * @param prepared images decoded and preprocessed
 * @param decodeNanos elapsed time in {@link ImageDecoder} (reading bytes, decoding, colour
 *     conversion, orientation)
 * @param decodeCpuNanos CPU time of the same
 * @param preprocessNanos elapsed time in {@link Preprocessor} (crop, resize, normalise)
 * @param preprocessCpuNanos CPU time of the same
 * @param inferred images run through the network
 * @param batches inference calls
 * @param inferenceNanos elapsed time in inference calls, including copying tensors in and out
 */
public record StageTimes(
    long prepared,
    long decodeNanos,
    long decodeCpuNanos,
    long preprocessNanos,
    long preprocessCpuNanos,
    long inferred,
    long batches,
    long inferenceNanos) {

  /** The difference {@code this − earlier}: the work done between two snapshots. */
  public StageTimes minus(StageTimes earlier) {
    return new StageTimes(
        prepared - earlier.prepared,
        decodeNanos - earlier.decodeNanos,
        decodeCpuNanos - earlier.decodeCpuNanos,
        preprocessNanos - earlier.preprocessNanos,
        preprocessCpuNanos - earlier.preprocessCpuNanos,
        inferred - earlier.inferred,
        batches - earlier.batches,
        inferenceNanos - earlier.inferenceNanos);
  }

  /** Thread-safe accumulator; about a microsecond per image. */
  static final class Recorder {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final LongAdder prepared = new LongAdder();
    private final LongAdder decode = new LongAdder();
    private final LongAdder decodeCpu = new LongAdder();
    private final LongAdder preprocess = new LongAdder();
    private final LongAdder preprocessCpu = new LongAdder();
    private final LongAdder inferred = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder inference = new LongAdder();

    /**
     * Elapsed and CPU time of the current thread, now: {nanoTime, thread CPU nanos (0 if
     * unsupported)}.
     */
    static long[] now() {
      return new long[] {
        System.nanoTime(),
        THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : 0
      };
    }

    /**
     * Records one image decoded between t0 and t1 and preprocessed between t1 and t2 (from {@link
     * #now()}).
     */
    void prepared(long[] t0, long[] t1, long[] t2) {
      prepared.increment();
      decode.add(t1[0] - t0[0]);
      decodeCpu.add(t1[1] - t0[1]);
      preprocess.add(t2[0] - t1[0]);
      preprocessCpu.add(t2[1] - t1[1]);
    }

    void inferred(int images, long nanos) {
      inferred.add(images);
      batches.increment();
      inference.add(nanos);
    }

    StageTimes snapshot() {
      return new StageTimes(
          prepared.sum(),
          decode.sum(),
          decodeCpu.sum(),
          preprocess.sum(),
          preprocessCpu.sum(),
          inferred.sum(),
          batches.sum(),
          inference.sum());
    }
  }
}
