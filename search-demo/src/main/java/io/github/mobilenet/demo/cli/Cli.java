package io.github.mobilenet.demo.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;

/**
 * {@code mobilenet COMMAND [options] ...}: the command-line entry point. The commands are picocli
 * classes; this wires them to the run's streams, the error handlers and the value converters.
 */
public final class Cli {
  /**
   * Held so that the level set below stays: java.util.logging keeps loggers only weakly. Lucene
   * logs its vector-API setup at INFO on every start; warnings still show.
   */
  private static final Logger LUCENE = Logger.getLogger("org.apache.lucene");

  private Cli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.in, System.out, System.err));
  }

  /** Runs a command and returns its exit code; never calls System.exit (tests call this). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, System.in, out, err);
  }

  /**
   * As {@link #run(String[], PrintStream, PrintStream)}, with {@code -} paths reading {@code in}.
   */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    LUCENE.setLevel(Level.WARNING);
    return commandLine(new Streams(in, out, err)).execute(args);
  }

  /** The whole command tree, bound to {@code streams}. */
  static CommandLine commandLine(Streams streams) {
    CommandLine.IFactory defaults = CommandLine.defaultFactory();
    CommandLine.IFactory factory =
        new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> type) throws Exception {
            K made = defaults.create(type);
            if (made instanceof CliCommand c) {
              c.streams(streams);
            }
            return made;
          }
        };
    CommandLine cl = new CommandLine(new MobilenetCommand(), factory);
    ((MobilenetCommand) cl.getCommand()).streams(streams);
    Converters.register(cl);
    ErrorHandlers handlers = new ErrorHandlers(streams.err());
    cl.setParameterExceptionHandler(handlers)
        .setExecutionExceptionHandler(handlers)
        .setOverwrittenOptionsAllowed(true) // the last --top wins, as it always has
        .setOut(writer(streams.out()))
        .setErr(writer(streams.err()));
    return cl;
  }

  private static PrintWriter writer(PrintStream stream) {
    Charset charset = stream.charset();
    return new PrintWriter(new java.io.OutputStreamWriter(stream, charset), true);
  }
}
