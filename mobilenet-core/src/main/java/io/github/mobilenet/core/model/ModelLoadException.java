package io.github.mobilenet.core.model;

import io.github.mobilenet.core.MobileNetException;

/**
 * A model could not be loaded: a profile, graph or labels file is missing, unreadable, invalid or
 * corrupt, or ONNX Runtime rejects the graph. Code {@link MobileNetException.ErrorCode#MODEL_LOAD};
 * {@link #input()} is the file and {@link #reason()} says what went wrong.
 */
public class ModelLoadException extends MobileNetException {
  /** Why a model was refused; stable names for scripts and reports. */
  public enum Reason {
    /** The profile, graph or labels file does not exist (on disk or on the classpath). */
    NOT_FOUND,
    /** The file is a FIFO, socket or device; it is refused without being opened. */
    NOT_A_REGULAR_FILE,
    /** The file exists but could not be read. */
    IO_ERROR,
    /** The profile JSON is malformed or inconsistent (fields, endpoints, aliases). */
    INVALID_PROFILE,
    /** The file's SHA-256 differs from the one in the profile (corrupt or a different file). */
    CHECKSUM_MISMATCH,
    /** ONNX Runtime cannot load or describe the graph. */
    RUNTIME_REJECTED,
    /** The graph's input name, shape or outputs differ from what the profile declares. */
    PROFILE_MISMATCH,
    /** The graph takes one input height and width, and another size was asked for. */
    FIXED_INPUT_SIZE
  }

  private final Reason reason;

  /**
   * A load failure of {@code input} (a file as the user knows it) for {@code reason}.
   *
   * @param message names the input and the reason; shown to users as it is
   * @param cause the underlying exception, or null
   */
  public ModelLoadException(Reason reason, String input, String message, Throwable cause) {
    super(ErrorCode.MODEL_LOAD, input, message, cause);
    this.reason = java.util.Objects.requireNonNull(reason, "reason");
  }

  /** Why the model was refused. */
  public Reason reason() {
    return reason;
  }
}
