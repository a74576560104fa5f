package io.github.mobilenet.demo.cli;

/** The CLI's exit codes, a contract scripts depend on. */
public final class ExitCode {
  /** Every input succeeded. */
  public static final int OK = 0;

  /** Some inputs failed (reported on stdout or stderr); the others were processed. */
  public static final int SOME_FAILED = 1;

  /** The command line cannot be run as written. */
  public static final int USAGE = 2;

  private ExitCode() {}
}
