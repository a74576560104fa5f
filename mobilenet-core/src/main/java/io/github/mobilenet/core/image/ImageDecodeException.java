package io.github.mobilenet.core.image;

import io.github.mobilenet.core.MobileNetException;
import java.util.Locale;

/**
 * An input could not be turned into pixels: empty, truncated, not an image, an unsupported format,
 * larger than the configured limits, unreadable, or not a regular file. Code {@link
 * MobileNetException.ErrorCode#IMAGE_DECODE}; {@link #input()} names the input and {@link
 * #reason()} says why. The message is {@code input: reason (detail)}, the reason in words.
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
    /** The file or stream could not be read (missing, a folder, no permission, a broken link). */
    IO_ERROR,
    /**
     * A FIFO, socket or device: refused without opening it, because opening a FIFO blocks until
     * something writes to it, possibly forever.
     */
    NOT_A_REGULAR_FILE;

    /** The reason in words, as messages show it: {@code NOT_AN_IMAGE} → "not an image". */
    public String text() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  private final Reason reason;

  /** A failure without an underlying exception; the message is {@code input: reason (detail)}. */
  public ImageDecodeException(String input, Reason reason, String detail) {
    this(input, reason, detail, null);
  }

  /**
   * A failure caused by {@code cause}; the message is {@code input: reason (detail)}, or {@code
   * input: reason} when {@code detail} is null.
   */
  public ImageDecodeException(String input, Reason reason, String detail, Throwable cause) {
    super(
        ErrorCode.IMAGE_DECODE,
        input,
        input + ": " + reason.text() + (detail == null ? "" : " (" + detail + ")"),
        cause);
    this.reason = reason;
  }

  /** Why the input was refused. */
  public Reason reason() {
    return reason;
  }
}
