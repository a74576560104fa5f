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
  /**
   * Why a file was skipped; {@link #code()} is the stable lower-case name scripts see. The decoding
   * reasons are the decoder's own, each constant naming its {@link ImageDecodeException.Reason} (so
   * their codes are the decoder's names); the rest are the job's.
   */
  public enum Reason {
    EMPTY(ImageDecodeException.Reason.EMPTY),
    NOT_AN_IMAGE(ImageDecodeException.Reason.NOT_AN_IMAGE),
    UNSUPPORTED_FORMAT(ImageDecodeException.Reason.UNSUPPORTED_FORMAT),
    TRUNCATED(ImageDecodeException.Reason.TRUNCATED),
    CORRUPT(ImageDecodeException.Reason.CORRUPT),
    TOO_LARGE(ImageDecodeException.Reason.TOO_LARGE),
    /** The file could not be read (or hashed). */
    IO_ERROR(ImageDecodeException.Reason.IO_ERROR),
    /** A FIFO, socket or device: never opened, since reading one can block forever. */
    NOT_A_REGULAR_FILE(ImageDecodeException.Reason.NOT_A_REGULAR_FILE),
    /** A folder could not be walked. */
    WALK_ERROR(null),
    /**
     * The file changed between planning and hashing (still being copied or edited): not indexed
     * now, since its vector and its hash could come from two versions; the next run indexes it.
     */
    CHANGED_WHILE_INDEXING(null),
    /** Anything else (e.g. the model failed on it). */
    ERROR(null);

    private final ImageDecodeException.Reason decode;

    Reason(ImageDecodeException.Reason decode) {
      this.decode = decode;
    }

    /** The stable code, e.g. {@code io_error}, {@code not_an_image}. */
    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The reason for a decoding failure: the constant that names {@code decode}. */
    public static Reason of(ImageDecodeException.Reason decode) {
      for (Reason r : values()) {
        if (r.decode == decode) {
          return r;
        }
      }
      throw new IllegalArgumentException("no indexing reason for " + decode); // see the test
    }
  }

  public IndexingFailure {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }
}
