package io.github.mobilenet.embeddings.index;

import io.github.mobilenet.core.MobileNetException;

/**
 * An index was opened or queried with a configuration (model, layer, pooling, preprocessing,
 * format, dimension) other than the one it was built with, or the folder is not an image index. The
 * message says which settings differ; vectors from different configurations are never mixed.
 */
public class IndexConfigMismatchException extends MobileNetException {
  public IndexConfigMismatchException(String message) {
    super(message);
  }
}
