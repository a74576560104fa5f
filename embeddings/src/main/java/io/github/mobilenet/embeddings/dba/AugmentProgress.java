package io.github.mobilenet.embeddings.dba;

/** Hears how an augmentation pass goes; called from the thread that runs the pass. */
@FunctionalInterface
public interface AugmentProgress {
  /** {@code done} of {@code total} images recomputed so far ({@code total} may grow). */
  void update(int done, int total);
}
