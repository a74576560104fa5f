package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.MobileNetException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
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
    err.println(cmd.getCommandSpec().qualifiedName() + ": " + message(e));
    if (e instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
      err.println(
          cmd.getCommandSpec().qualifiedName()
              + ": did you mean "
              + u.getSuggestions().get(0)
              + "?");
    }
    printSynopsis(cmd);
    return ExitCode.USAGE;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    String prefix = cmd.getCommandSpec().qualifiedName() + ": ";
    switch (e) {
      case UsageException u -> {
        err.println(prefix + u.getMessage());
        printSynopsis(cmd);
        return ExitCode.USAGE;
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
    String name = cmd.getCommandSpec().qualifiedName();
    String what = cmd.getParent() == null ? "command" : cmd.getCommandName() + " subcommand";
    String arg = e.getUnmatched().isEmpty() ? "" : e.getUnmatched().get(0);
    if (arg.startsWith("-")) {
      err.println(name + ": unknown option " + optionName(arg));
    } else {
      String known =
          cmd.getSubcommands().entrySet().stream()
              .filter(s -> !s.getValue().getCommandSpec().usageMessage().hidden())
              .map(s -> s.getKey())
              .filter(k -> !k.equals("help"))
              .collect(Collectors.joining(", "));
      err.println(name + ": unknown " + what + " '" + arg + "' (known: " + known + ")");
    }
    List<String> suggestions = e.getSuggestions();
    if (!suggestions.isEmpty()) {
      err.println(name + ": did you mean " + suggestions.get(0) + "?");
    }
    return ExitCode.USAGE;
  }

  private void printSynopsis(CommandLine cmd) {
    err.print("usage: " + cmd.getHelp().synopsis(0));
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
      if (e.getMessage().startsWith("Missing required parameter for ") && name != null) {
        return name + " needs a value";
      }
      return m.getMissing().stream()
          .map(
              a ->
                  a instanceof OptionSpec o
                      ? o.longestName() + " is required"
                      : "no " + a.paramLabel() + " given")
          .collect(Collectors.joining("; "));
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

  private static String optionName(String arg) {
    int eq = arg.indexOf('=');
    return eq > 0 ? arg.substring(0, eq) : arg;
  }
}
