package io.github.mobilenet.embeddings;

import io.github.mobilenet.core.MobileNetException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * The one exception family of this module: what went wrong with an index, the embedding it holds or
 * a job writing it, as a typed {@link Reason} (like ONNX Runtime's {@code OrtException} and its
 * error code), plus the index folder concerned. Messages name the index and the reason and never
 * speak in command-line flags: a CLI adds those.
 *
 * <p>Programming errors (a vector of the wrong length, a negative k) stay {@link
 * IllegalArgumentException}s, as in Lucene.
 */
public class EmbeddingsException extends MobileNetException {
  /** Why an operation failed; stable names for scripts and reports. */
  public enum Reason {
    /** There is no index at the folder (missing folder, or a folder without one). */
    NOT_FOUND,
    /**
     * The folder holds a Lucene index this library did not write, or an unreadable configuration.
     */
    NOT_AN_INDEX,
    /** The index holds vectors made another way than asked (model, layer, pooling, ...). */
    CONFIG_MISMATCH,
    /** Another process is writing to the index. */
    LOCKED,
    /** A write was asked of an index opened read-only. */
    READ_ONLY,
    /** No image has the id or path asked for. */
    NO_SUCH_IMAGE,
    /** The index's files fail a checksum or hold impossible values (non-unit vectors, scores). */
    CORRUPT,
    /** The device holding the index is full; the last commit stays readable. */
    DISK_FULL,
    /** Any other input/output failure; the message keeps the operating system's reason. */
    IO_ERROR,
    /** A running operation was interrupted. */
    INTERRUPTED
  }

  private final Reason reason;
  private final Path index;

  public EmbeddingsException(Reason reason, Path index, String message) {
    this(reason, index, message, null);
  }

  public EmbeddingsException(Reason reason, Path index, String message, Throwable cause) {
    super(ErrorCode.INDEX, index == null ? null : index.toString(), message, cause);
    this.reason = reason;
    this.index = index;
  }

  /** Why it failed. */
  public Reason reason() {
    return reason;
  }

  /** The index folder concerned; null when none is (e.g. an embedder on its own). */
  public Path index() {
    return index;
  }

  /** The reason in lower case with underscores, e.g. {@code disk_full}: for JSON and logs. */
  public String reasonName() {
    return reason.name().toLowerCase(Locale.ROOT);
  }

  /**
   * Maps an I/O failure while {@code doing} something to {@code index}: disk full, corruption, lock
   * and other failures get their own reason, and the message keeps the operating system's words
   * (e.g. {@code No space left on device}).
   *
   * @param doing what was being done, e.g. {@code "cannot commit"}
   */
  public static EmbeddingsException io(Path index, String doing, IOException e) {
    Reason reason = reasonOf(e);
    String detail =
        switch (reason) {
          case DISK_FULL -> "no space left on device";
          case CORRUPT -> "the index is corrupt";
          case LOCKED -> "it is being written by another process";
          default -> "input/output error";
        };
    return new EmbeddingsException(
        reason,
        index,
        "index " + index + ": " + doing + ": " + detail + " (" + rootMessage(e) + ")",
        e);
  }

  /** The reason an I/O failure stands for, looking through its causes. */
  public static Reason reasonOf(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CorruptIndexException
          || t instanceof IndexFormatTooOldException
          || t instanceof IndexFormatTooNewException) {
        return Reason.CORRUPT;
      }
      if (t instanceof LockObtainFailedException) {
        return Reason.LOCKED;
      }
      String m = t.getMessage();
      if (m != null && m.toLowerCase(Locale.ROOT).contains("no space left on device")) {
        return Reason.DISK_FULL;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return Reason.IO_ERROR;
  }

  /** The innermost cause's message (the operating system's words), else the class name. */
  public static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }
}
