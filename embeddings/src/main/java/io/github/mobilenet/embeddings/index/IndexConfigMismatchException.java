package io.github.mobilenet.embeddings.index;

import io.github.mobilenet.embeddings.EmbeddingsException;
import java.nio.file.Path;
import java.util.List;

/**
 * An index was opened or queried with a configuration (model, layer, pooling, preprocessing,
 * format, dimension) other than the one it was built with ({@link Reason#CONFIG_MISMATCH}), or the
 * folder is not an image index ({@link Reason#NOT_AN_INDEX}). The message says which settings
 * differ; vectors from different configurations are never mixed. Kept as its own class so callers
 * that catch exactly this case keep doing so.
 */
public class IndexConfigMismatchException extends EmbeddingsException {
  private final List<String> differences;

  public IndexConfigMismatchException(String message) {
    this(Reason.CONFIG_MISMATCH, null, message);
  }

  public IndexConfigMismatchException(Reason reason, Path index, String message) {
    super(reason, index, message);
    this.differences = List.of();
  }

  /** The index at {@code index} was built with settings that differ as {@code differences} say. */
  public IndexConfigMismatchException(Path index, List<String> differences) {
    super(
        Reason.CONFIG_MISMATCH,
        index,
        "index "
            + index
            + " was built with a different configuration: "
            + String.join(", ", differences));
    this.differences = List.copyOf(differences);
  }

  /**
   * The settings that differ, e.g. {@code layer=layer_19 (asked: pooled)}; empty when the message
   * is about something else (another model, not an image index).
   */
  public List<String> differences() {
    return differences;
  }
}
