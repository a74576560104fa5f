package io.github.mobilenet.core.model;

import io.github.mobilenet.core.MobileNetException;

/**
 * A model or profile could not be loaded: missing file, wrong checksum, invalid profile, ONNX
 * Runtime error.
 */
public class ModelLoadException extends MobileNetException {
  /** A load failure described by {@code message}. */
  public ModelLoadException(String message) {
    super(message);
  }

  /** A load failure described by {@code message}, caused by {@code cause}. */
  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
