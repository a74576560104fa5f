package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.MobileNetException;
import io.github.mobilenet.embeddings.EmbeddingsException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns what goes wrong into the CLI's error lines and exit codes: usage errors (picocli's parse
 * errors and {@link UsageException}) exit 2 with {@code mobilenet COMMAND: message} and the
 * synopsis; library failures ({@link MobileNetException}, {@link UncheckedIOException}) exit 1 with
 * {@code mobilenet COMMAND: message}.
 */
final class ErrorHandlers implements IParameterExceptionHandler, IExecutionExceptionHandler {
  private final PrintStream err;

  ErrorHandlers(PrintStream err) {
    this.err = err;
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    if (e instanceof UnmatchedArgumentException u && !cmd.getSubcommands().isEmpty()) {
      return unknownCommand(cmd, u);
    }
    String name = prefix(cmd);
    err.println(name + ": " + message(e));
    if (e instanceof UnmatchedArgumentException u && u.isUnknownOption()) {
      Suggestions.nearest(optionName(u.getUnmatched().get(0)), optionNames(cmd))
          .ifPresent(s -> err.println(name + ": did you mean " + s + "?"));
    }
    printSynopsis(cmd);
    return ExitCode.USAGE;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    String prefix = prefix(cmd) + ": ";
    switch (e) {
      case UsageException u -> {
        err.println(prefix + u.getMessage());
        printSynopsis(cmd);
        return ExitCode.USAGE;
      }
      case EmbeddingsException x -> {
        err.println(prefix + ImageIndexes.describe(x));
        // No index where one was named is a usage error: nothing was read or written.
        return x.reason() == EmbeddingsException.Reason.NOT_FOUND
            ? ExitCode.USAGE
            : ExitCode.SOME_FAILED;
      }
      case MobileNetException m -> err.println(prefix + m.getMessage());
      case UncheckedIOException io -> err.println(prefix + io.getMessage() + ": " + io.getCause());
      default -> {
        err.println(prefix + "unexpected error: " + e);
        e.printStackTrace(err);
      }
    }
    return ExitCode.SOME_FAILED;
  }

  /** {@code mobilenet idnex}: the known commands and the nearest ones. */
  private int unknownCommand(CommandLine cmd, UnmatchedArgumentException e) {
    String name = prefix(cmd);
    String what = cmd.getParent() == null ? "command" : cmd.getCommandName() + " subcommand";
    String arg = e.getUnmatched().isEmpty() ? "" : e.getUnmatched().get(0);
    Optional<String> suggestion;
    if (arg.startsWith("-")) {
      err.println(name + ": unknown option " + optionName(arg));
      suggestion = Suggestions.nearest(optionName(arg), optionNames(cmd));
    } else {
      List<String> known =
          cmd.getSubcommands().entrySet().stream()
              .filter(s -> !s.getValue().getCommandSpec().usageMessage().hidden())
              .map(Map.Entry::getKey)
              .filter(k -> !k.equals("help"))
              .toList();
      err.println(
          name + ": unknown " + what + " '" + arg + "' (known: " + String.join(", ", known) + ")");
      suggestion = Suggestions.nearest(arg, known);
    }
    suggestion.ifPresent(s -> err.println(name + ": did you mean " + s + "?"));
    return ExitCode.USAGE;
  }

  private void printSynopsis(CommandLine cmd) {
    err.print("usage: " + cmd.getHelp().synopsis("usage: ".length()));
    err.println("'" + cmd.getCommandSpec().qualifiedName() + " --help' lists the options.");
  }

  /** picocli's messages in the CLI's words: the option first, then what is wrong. */
  static String message(ParameterException e) {
    ArgSpec arg = e.getArgSpec();
    String name = arg == null ? null : label(arg);
    if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String first = u.getUnmatched().get(0);
      return first.startsWith("-") && first.length() > 1
          ? "unknown option " + optionName(first)
          : "unexpected argument " + first;
    }
    if (e instanceof MissingParameterException m) {
      if (e.getMessage().startsWith("Missing required parameter for option ")
          && m.getMissing().size() == 1) {
        return label(m.getMissing().get(0)) + " needs a value";
      }
      return m.getMissing().stream()
          .map(
              a ->
                  a instanceof OptionSpec o
                      ? o.longestName() + " is required"
                      : "no " + a.paramLabel() + " given")
          .collect(Collectors.joining("; "));
    }
    if (arg instanceof OptionSpec o
        && o.arity().max() == 0
        && e.getMessage().endsWith("is not a boolean")) {
      return name + " takes no value";
    }
    Throwable cause = e.getCause();
    if (name != null && cause instanceof TypeConversionException) {
      return name + " " + cause.getMessage();
    }
    if (name != null && cause instanceof IllegalArgumentException) {
      return name + ": " + cause.getMessage();
    }
    return e.getMessage();
  }

  private static String label(ArgSpec arg) {
    return arg instanceof OptionSpec o ? o.longestName() : arg.paramLabel();
  }

  /**
   * "mobilenet index", and "mobilenet eval" for eval's subcommands too: the prefix error lines have
   * always had.
   */
  static String prefix(CommandLine cmd) {
    CommandLine c = cmd;
    while (c.getParent() != null && c.getParent().getParent() != null) {
      c = c.getParent();
    }
    return c.getCommandSpec().qualifiedName();
  }

  private static List<String> optionNames(CommandLine cmd) {
    return cmd.getCommandSpec().options().stream()
        .filter(o -> !o.hidden())
        .flatMap(o -> Arrays.stream(o.names()))
        .filter(n -> n.startsWith("--"))
        .toList();
  }

  private static String optionName(String arg) {
    int eq = arg.indexOf('=');
    return eq > 0 ? arg.substring(0, eq) : arg;
  }
}
