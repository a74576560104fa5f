package io.github.mobilenet.demo.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;

/**
 * {@code mobilenet completion}: prints a bash completion script for every command and option
 * ({@code source <(./mobilenet completion)}), generated from the same definitions as the parser.
 */
@Command(
    name = "completion",
    hidden = true,
    description = "Prints a bash completion script: source <(mobilenet completion).")
final class CompletionCommand extends CliCommand {
  @Override
  public Integer call() {
    out().print(AutoComplete.bash(spec.root().name(), spec.root().commandLine()));
    out().flush();
    return ExitCode.OK;
  }
}
