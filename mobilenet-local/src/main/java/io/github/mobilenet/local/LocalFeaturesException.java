package io.github.mobilenet.local;

import io.github.mobilenet.core.MobileNetException;
import java.util.Locale;

/**
 * Local features could not be read, extracted or matched: serialised bytes that are damaged or of
 * an unknown version, or an OpenCV native library that cannot be loaded on this platform. The one
 * exception family of this module; {@link #reason()} says why and {@link #input()} names the input
 * (the serialised record's name, or the platform for native-library failures).
 */
public class LocalFeaturesException extends MobileNetException {
  /** Why the operation failed; stable names for scripts and reports. */
  public enum Reason {
    /** Serialised features are truncated, have a wrong signature, or hold impossible values. */
    CORRUPT_DATA,
    /** Serialised features were written by a newer format version than this library reads. */
    UNSUPPORTED_VERSION,
    /** OpenCV's bundled native library could not be loaded (platform, temp directory, ...). */
    NATIVE_LIBRARY;

    /** The reason in words, as messages show it: {@code CORRUPT_DATA} → "corrupt data". */
    public String text() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  private final Reason reason;

  /** A failure concerning {@code input}; the message is {@code input: reason (detail)}. */
  public LocalFeaturesException(String input, Reason reason, String detail, Throwable cause) {
    super(ErrorCode.OTHER, input, input + ": " + reason.text() + " (" + detail + ")", cause);
    this.reason = reason;
  }

  /** Why it failed. */
  public Reason reason() {
    return reason;
  }
}
