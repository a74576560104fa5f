package io.github.mobilenet.embeddings.job;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What the planner and the embedding stage hand to the {@link JobWriter}, in order. */
final class Ops {
  private Ops() {}

  /** How a written file counts in the summary. */
  enum Outcome {
    INDEXED,
    UPDATED,
    UNCHANGED
  }

  sealed interface Op {}

  /**
   * Write a document; {@code content} null means: hash {@code file} first; {@code id} null means:
   * the per-path id of content and path ({@link io.github.mobilenet.embeddings.index.ImageIds});
   * {@code localFeatures} null means: none.
   */
  record Put(
      String id,
      String content,
      String key,
      Path file,
      long size,
      long modified,
      int width,
      int height,
      Map<String, List<String>> tags,
      float[] vector,
      byte[] localFeatures,
      boolean embedded,
      Outcome outcome,
      boolean retagged)
      implements Op {}

  /** A file already indexed as it is. */
  record Unchanged() implements Op {}

  /**
   * A file or folder that failed; {@code deleteStale} drops the file's old document (its content
   * changed but cannot be read now).
   */
  record Failure(IndexingFailure failure, boolean isFile, boolean deleteStale) implements Op {}

  /** Drop the document of a file that is gone. */
  record Delete(String key) implements Op {}

  /** No more operations. */
  record End() implements Op {}
}
