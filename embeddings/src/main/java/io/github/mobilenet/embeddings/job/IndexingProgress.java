package io.github.mobilenet.embeddings.job;

/**
 * A running job's counts.
 *
 * @param done files finished so far (any outcome)
 * @param total files found
 * @param embedded files run through the model so far
 * @param failed files skipped because of an error
 * @param elapsedNanos time since the job started
 */
public record IndexingProgress(int done, int total, int embedded, int failed, long elapsedNanos) {
  /** Files per second so far. */
  public double filesPerSecond() {
    return elapsedNanos == 0 ? 0 : done / (elapsedNanos / 1e9);
  }

  /** Seconds left at the current rate, or -1 when unknown. */
  public double etaSeconds() {
    double rate = filesPerSecond();
    return rate <= 0 ? -1 : (total - done) / rate;
  }
}
