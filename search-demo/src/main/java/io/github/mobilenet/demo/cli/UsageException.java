package io.github.mobilenet.demo.cli;

/**
 * A command line that cannot be run as written: exit code 2 with the message and the command's
 * usage.
 */
public class UsageException extends Exception {
  public UsageException(String message) {
    super(message);
  }
}
