package io.github.mobilenet.core;

import java.util.concurrent.atomic.LongAdder;

/**
 * Cumulative time a {@link FeatureExtractor} has spent per stage, summed over threads: decoding and
 * preprocessing run on many threads at once, so their sums can exceed the wall-clock time.
 *
 * @param prepared images decoded and preprocessed
 * @param decodeNanos time in {@link ImageDecoder} (reading bytes, decoding, colour conversion, orientation)
 * @param preprocessNanos time in {@link Preprocessor} (crop, resize, normalise)
 * @param inferred images run through the network
 * @param batches inference calls
 * @param inferenceNanos time in inference calls, including copying tensors in and out
 */
public record StageTimes(long prepared, long decodeNanos, long preprocessNanos, long inferred, long batches, long inferenceNanos) {
  /** The difference {@code this − earlier}: the work done between two snapshots. */
  public StageTimes minus(StageTimes earlier) {
    return new StageTimes(prepared - earlier.prepared, decodeNanos - earlier.decodeNanos,
        preprocessNanos - earlier.preprocessNanos, inferred - earlier.inferred, batches - earlier.batches,
        inferenceNanos - earlier.inferenceNanos);
  }

  /** Thread-safe accumulator; a few nanoseconds per record. */
  static final class Recorder {
    private final LongAdder prepared = new LongAdder();
    private final LongAdder decode = new LongAdder();
    private final LongAdder preprocess = new LongAdder();
    private final LongAdder inferred = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder inference = new LongAdder();

    void prepared(long decodeNanos, long preprocessNanos) {
      prepared.increment();
      decode.add(decodeNanos);
      preprocess.add(preprocessNanos);
    }

    void inferred(int images, long nanos) {
      inferred.add(images);
      batches.increment();
      inference.add(nanos);
    }

    StageTimes snapshot() {
      return new StageTimes(prepared.sum(), decode.sum(), preprocess.sum(), inferred.sum(), batches.sum(), inference.sum());
    }
  }
}
