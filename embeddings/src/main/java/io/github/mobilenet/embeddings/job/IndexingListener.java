package io.github.mobilenet.embeddings.job;

import io.github.mobilenet.embeddings.index.ImageIndex;

/**
 * Hears how an {@link IndexingJob} goes. Every method but {@link #started} and {@link #finished} is
 * called from the job's writer thread, one call at a time; keep them quick.
 */
public interface IndexingListener {
  /** Files were found; {@code total} of them will be looked at. */
  default void started(int total) {}

  /** One more file is done (indexed, unchanged or failed). */
  default void progress(IndexingProgress progress) {}

  /**
   * A file could not be indexed and was skipped. By default passes the failure on to {@link
   * #failed(String, String, String)} with its reason's code.
   */
  default void failed(IndexingFailure failure) {
    failed(failure.path(), failure.reason().code(), failure.message());
  }

  /**
   * A file could not be indexed and was skipped: {@link #failed(IndexingFailure)} spelled out, for
   * listeners written before the typed failure.
   *
   * @param path the file (or the folder that could not be walked)
   * @param reason {@link IndexingFailure.Reason#code()}, e.g. {@code truncated}, {@code io_error}
   * @param message what happened, naming the file
   */
  default void failed(String path, String reason, String message) {}

  /** Everything so far is durable: {@code documents} images are in the index. */
  default void committed(int documents) {}

  /**
   * The database-side augmentation pass after the last file ({@link ImageIndex#augment()}): {@code
   * done} of {@code total} images recomputed so far ({@code total} may grow). Called from the
   * thread that runs the job.
   */
  default void augmenting(int done, int total) {}

  /** Something the user should know that is not a failure (e.g. pruning skipped). */
  default void notice(String message) {}

  default void finished(IndexingSummary summary) {}

  IndexingListener NONE = new IndexingListener() {};
}
