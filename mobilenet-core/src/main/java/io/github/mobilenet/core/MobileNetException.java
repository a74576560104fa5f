package io.github.mobilenet.core;

/**
 * Base of every exception this library throws for bad inputs, models or runtime failures;
 * unchecked, so callers choose where to handle it. Like ONNX Runtime's {@code OrtException} with
 * its {@code OrtErrorCode}, each exception carries a typed {@link ErrorCode} to branch on without
 * parsing the message, and names the {@link #input()} that failed. Subclasses refine the code with
 * a reason of their own: {@code ImageDecodeException.reason()}, {@code
 * ModelLoadException.reason()}.
 *
 * <p>Misuse of the API (an unknown layer name, a negative size, a closed extractor) is signalled
 * with {@link IllegalArgumentException} or {@link IllegalStateException}, as the JDK does.
 */
public class MobileNetException extends RuntimeException {
  /** What kind of failure this is; stable names for scripts and reports. */
  public enum ErrorCode {
    /**
     * An image could not be read or turned into pixels; {@code ImageDecodeException.reason()} says
     * why. The input is the image's name (its path for a file).
     */
    IMAGE_DECODE,
    /**
     * A model profile, graph or labels file could not be loaded or does not fit the profile; {@code
     * ModelLoadException.reason()} says why. The input is the file.
     */
    MODEL_LOAD,
    /** ONNX Runtime failed while running a loaded graph. The input is the batch's first image. */
    INFERENCE,
    /** The thread was interrupted while waiting for images to be decoded. */
    INTERRUPTED,
    /**
     * An image index (module {@code embeddings}) could not be opened, read or written; {@code
     * EmbeddingsException.reason()} says why. The input is the index folder.
     */
    INDEX,
    /** Any other failure: the code of the message-only constructors. */
    OTHER
  }

  private final ErrorCode code;
  private final String input;

  /** A failure of kind {@link ErrorCode#OTHER}; the message names what failed and why. */
  public MobileNetException(String message) {
    this(ErrorCode.OTHER, null, message, null);
  }

  /** A failure of kind {@link ErrorCode#OTHER} with the underlying cause. */
  public MobileNetException(String message, Throwable cause) {
    this(ErrorCode.OTHER, null, message, cause);
  }

  /**
   * A failure of kind {@code code} concerning {@code input} (a file, image name, profile or graph).
   *
   * @param message names the input and the reason; shown to users as it is
   * @param cause the underlying exception, or null
   */
  public MobileNetException(ErrorCode code, String input, String message, Throwable cause) {
    super(message, cause);
    this.code = java.util.Objects.requireNonNull(code, "code");
    this.input = input;
  }

  /** The kind of failure. */
  public ErrorCode code() {
    return code;
  }

  /**
   * The name of the input that failed: a path, the name given with bytes or a stream, a model file.
   * Null only when the message-only constructors were used.
   */
  public String input() {
    return input;
  }
}
