package io.github.mobilenet.demo.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every command: the run's streams (set by {@link Cli}'s factory before parsing) and the
 * picocli spec. {@link #call} returns an {@link ExitCode}; a {@link UsageException} it throws exits
 * 2, a library exception 1 (see {@link ErrorHandlers}). One instance per run, used by one thread.
 * Its {@code @Command} gives every command {@code --help} and {@code --version} (picocli applies a
 * superclass's command attributes to its subclasses).
 */
@Command(mixinStandardHelpOptions = true)
abstract class CliCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  private Streams streams;

  void streams(Streams streams) {
    this.streams = streams;
  }

  InputStream in() {
    return streams.in();
  }

  PrintStream out() {
    return streams.out();
  }

  PrintStream err() {
    return streams.err();
  }
}
