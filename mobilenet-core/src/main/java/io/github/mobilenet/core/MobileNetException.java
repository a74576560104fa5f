package io.github.mobilenet.core;

/** Base of every exception this library throws; unchecked, so callers choose where to handle it. */
public class MobileNetException extends RuntimeException {
  public MobileNetException(String message) {
    super(message);
  }

  public MobileNetException(String message, Throwable cause) {
    super(message, cause);
  }
}
