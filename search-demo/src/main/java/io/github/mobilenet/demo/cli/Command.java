package io.github.mobilenet.demo.cli;

import java.io.PrintStream;

/** One CLI sub-command. Exit codes: 0 all succeeded, 1 some inputs failed, 2 usage error. */
public interface Command {
  int OK = 0;
  int SOME_FAILED = 1;
  int USAGE = 2;

  /** The word after {@code mobilenet}. */
  String name();

  /** Usage text: first line is the synopsis. */
  String usage();

  int run(String[] args, PrintStream out, PrintStream err) throws UsageException;
}
