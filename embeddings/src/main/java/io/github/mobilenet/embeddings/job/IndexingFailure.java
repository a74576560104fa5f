package io.github.mobilenet.embeddings.job;

import io.github.mobilenet.core.image.ImageDecodeException;
import java.util.Locale;
import java.util.Objects;

/**
 * A file (or folder) an {@link IndexingJob} could not index, and why. Immutable.
 *
 * @param path the file, or the folder that could not be walked
 * @param reason why, as a typed value
 * @param message what happened, naming the file
 */
public record IndexingFailure(String path, Reason reason, String message) {
  /** Why a file was skipped; {@link #code()} is the stable lower-case name scripts see. */
  public enum Reason {
    /** The file is empty ({@link ImageDecodeException.Reason#EMPTY}). */
    EMPTY,
    /** Not an image. */
    NOT_AN_IMAGE,
    /** An image format without a decoder. */
    UNSUPPORTED_FORMAT,
    /** The data ends before the image does. */
    TRUNCATED,
    /** The decoder rejected the data. */
    CORRUPT,
    /** Over the pixel or byte limits. */
    TOO_LARGE,
    /** The file could not be read (or hashed). */
    IO_ERROR,
    /** A FIFO, socket or device: never opened, since reading one can block forever. */
    NOT_A_REGULAR_FILE,
    /** A folder could not be walked. */
    WALK_ERROR,
    /** Anything else (e.g. the model failed on it). */
    ERROR;

    /** The stable code, e.g. {@code io_error}, {@code not_an_image}. */
    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The reason for a decoding failure. */
    public static Reason of(ImageDecodeException.Reason decode) {
      return valueOf(decode.name());
    }
  }

  public IndexingFailure {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }
}
