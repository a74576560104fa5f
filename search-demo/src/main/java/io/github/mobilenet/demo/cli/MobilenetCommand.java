package io.github.mobilenet.demo.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** The root: {@code mobilenet COMMAND}; without a command it prints the usage and exits 2. */
@Command(
    name = "mobilenet",
    versionProvider = VersionProvider.class,
    synopsisSubcommandLabel = "COMMAND",
    description = "Image features with headless MobileNets, searchable in Lucene.",
    commandListHeading = "%nCommands:%n",
    footer = {
      "",
      "mobilenet COMMAND --help (or mobilenet help COMMAND) shows a command's options.",
      "@FILE stands for the arguments listed in FILE.",
      "Bash completion: source <(mobilenet completion)"
    },
    subcommands = {
      ClassifyCommand.class,
      ExtractCommand.class,
      IndexCommand.class,
      SearchCommand.class,
      DupsCommand.class,
      CheckCommand.class,
      ServeCommand.class,
      DemoCommand.class,
      EvalCommand.class,
      TrainHeadCommand.class,
      PredictCommand.class,
      ModelsCommand.class,
      DumpCommand.class,
      BenchCommand.class,
      BenchIndexCommand.class,
      SparkEmbedCommand.class,
      HelpCommand.class,
      CompletionCommand.class
    })
final class MobilenetCommand extends CliCommand {
  @Override
  public Integer call() {
    spec.commandLine().usage(err());
    return ExitCode.USAGE;
  }
}
