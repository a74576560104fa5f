package io.github.mobilenet.demo.cli;

/**
 * A command line that cannot be run as written, found after parsing (a value out of range, options
 * that exclude each other, a setting that conflicts with an existing index): exit code 2 with the
 * message and the command's synopsis.
 */
public class UsageException extends Exception {
  /** A usage error described by {@code message}, which names the option at fault. */
  public UsageException(String message) {
    super(message);
  }
}
