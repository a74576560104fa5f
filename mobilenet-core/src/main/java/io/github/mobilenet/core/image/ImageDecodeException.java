package io.github.mobilenet.core.image;

import io.github.mobilenet.core.MobileNetException;

/**
 * An input could not be turned into pixels: empty, truncated, not an image, an unsupported format,
 * or larger than the configured pixel limit. The message names the input and the reason.
 */
public class ImageDecodeException extends MobileNetException {
  /** Why an input was refused; stable names for scripts and reports. */
  public enum Reason {
    /** Zero bytes. */
    EMPTY,
    /** The first bytes are no image signature (text, a sound file, ...). */
    NOT_AN_IMAGE,
    /**
     * An image format this library cannot decode (HEIF, AVIF, JPEG 2000, JPEG XL, PSD) or has no
     * reader for.
     */
    UNSUPPORTED_FORMAT,
    /** The data ends before the image does (a cut-off download or copy). */
    TRUNCATED,
    /** The decoder rejected the data. */
    CORRUPT,
    /** More pixels or bytes than the configured limits (decompression bombs). */
    TOO_LARGE,
    /** The file or stream could not be read. */
    IO_ERROR
  }

  private final String input;
  private final Reason reason;

  /** A failure without an underlying exception; the message is {@code input: reason (detail)}. */
  public ImageDecodeException(String input, Reason reason, String detail) {
    this(input, reason, detail, null);
  }

  /** A failure caused by {@code cause}; the message is {@code input: reason (detail)}. */
  public ImageDecodeException(String input, Reason reason, String detail, Throwable cause) {
    super(
        input
            + ": "
            + reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
            + " ("
            + detail
            + ")",
        cause);
    this.input = input;
    this.reason = reason;
  }

  /** The name of the input that failed (a path, or the name given with the bytes or stream). */
  public String input() {
    return input;
  }

  /** Why the input was refused. */
  public Reason reason() {
    return reason;
  }
}
