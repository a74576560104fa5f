package io.github.mobilenet.demo.cli;

import java.nio.file.Path;
import java.util.List;

/** Checks of parsed option values, with messages that name the option. */
final class Check {
  private Check() {}

  /** {@code value}, or {@code fallback} when the option was not given; in [min, max]. */
  static int range(String option, Integer value, int fallback, int min, int max)
      throws UsageException {
    if (value == null) {
      return fallback;
    }
    if (value < min || value > max) {
      throw new UsageException(
          option + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  /** Whether {@code path} is {@code -}, standard input. */
  static boolean isStandardInput(Path path) {
    return path.toString().equals("-");
  }

  /** The PATHs of a command that walks folders, where {@code -} (standard input) has no meaning. */
  static List<Path> filesOnly(List<Path> paths) throws UsageException {
    for (Path p : paths) {
      if (isStandardInput(p)) {
        throw new UsageException(
            "- (standard input) works with classify and extract only; give files or folders");
      }
    }
    return paths;
  }
}
