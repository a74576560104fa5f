package io.github.mobilenet.core;

/** Base of every exception this library throws; unchecked, so callers choose where to handle it. */
public class MobileNetException extends RuntimeException {
  /** An exception with a message that names what failed and why. */
  public MobileNetException(String message) {
    super(message);
  }

  /** An exception with a message and the underlying cause. */
  public MobileNetException(String message, Throwable cause) {
    super(message, cause);
  }
}
