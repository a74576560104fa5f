package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.MobileNetException;
import io.github.mobilenet.embeddings.EmbeddingsException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code mobilenet COMMAND [options] ...}: the command-line entry point. */
public final class Cli {
  private Cli() {}

  /** Every command, in the order the help lists them. */
  static List<Command> commands() {
    return List.of(
        new ClassifyCommand(),
        new ExtractCommand(),
        new IndexCommand(),
        new SearchCommand(),
        new DupsCommand(),
        new CheckCommand(),
        new ServeCommand(),
        new DemoCommand(),
        new EvalCommand(),
        new TrainHeadCommand(),
        new PredictCommand(),
        new BenchCommand(),
        new BenchIndexCommand());
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a command and returns its exit code; never calls System.exit (tests call this). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, Command> byName = new LinkedHashMap<>();
    for (Command c : commands()) {
      byName.put(c.name(), c);
    }
    if (args.length == 0
        || args[0].equals("--help")
        || args[0].equals("-h")
        || args[0].equals("help")) {
      err.println("usage: mobilenet COMMAND [options]\n\ncommands:");
      for (Command c : byName.values()) {
        err.println("  " + c.usage().lines().findFirst().orElse(c.name()));
      }
      err.println("\nmobilenet COMMAND --help shows a command's options.");
      return args.length == 0 ? Command.USAGE : Command.OK;
    }
    Command command = byName.get(args[0]);
    if (command == null) {
      err.println(
          "mobilenet: unknown command '"
              + args[0]
              + "' (known: "
              + String.join(", ", byName.keySet())
              + ")");
      return Command.USAGE;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
      out.println("usage: " + command.usage());
      return Command.OK;
    }
    try {
      return command.run(rest, out, err);
    } catch (UsageException e) {
      err.println("mobilenet " + command.name() + ": " + e.getMessage());
      err.println("usage: " + command.usage());
      return Command.USAGE;
    } catch (EmbeddingsException e) {
      err.println("mobilenet " + command.name() + ": " + ImageIndexes.describe(e));
      return e.reason() == EmbeddingsException.Reason.NOT_FOUND
          ? Command.USAGE
          : Command.SOME_FAILED;
    } catch (MobileNetException e) {
      err.println("mobilenet " + command.name() + ": " + e.getMessage());
      return Command.SOME_FAILED;
    } catch (java.io.UncheckedIOException e) {
      err.println("mobilenet " + command.name() + ": " + e.getMessage() + ": " + e.getCause());
      return Command.SOME_FAILED;
    }
  }
}
