package io.github.mobilenet.core;

/**
 * An input could not be turned into pixels: empty, truncated, not an image, an unsupported format,
 * or larger than the configured pixel limit. The message names the input and the reason.
 */
public class ImageDecodeException extends MobileNetException {
  /** Why an input was refused; stable names for scripts and reports. */
  public enum Reason {
    EMPTY,
    NOT_AN_IMAGE,
    UNSUPPORTED_FORMAT,
    TRUNCATED,
    CORRUPT,
    TOO_LARGE,
    IO_ERROR
  }

  private final String input;
  private final Reason reason;

  public ImageDecodeException(String input, Reason reason, String detail) {
    this(input, reason, detail, null);
  }

  public ImageDecodeException(String input, Reason reason, String detail, Throwable cause) {
    super(input + ": " + reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " (" + detail + ")", cause);
    this.input = input;
    this.reason = reason;
  }

  /** The name of the input that failed (a path, or the name given with the bytes or stream). */
  public String input() {
    return input;
  }

  public Reason reason() {
    return reason;
  }
}
