package io.github.mobilenet.demo.cli;

import picocli.CommandLine.Command;

/** {@code eval SUBCOMMAND}: the evaluation harness (retrieval, classify, probe, variants). */
@Command(
    name = "eval",
    synopsisSubcommandLabel = "retrieval|classify|probe|variants",
    description = "Embedding quality: retrieval, classify, probe, variants.",
    commandListHeading = "%nSubcommands:%n",
    subcommands = {
      EvalRetrievalCommand.class,
      EvalClassifyCommand.class,
      EvalProbeCommand.class,
      EvalVariantsCommand.class,
      EvalEditsCommand.class,
      EvalDupsCommand.class
    })
final class EvalCommand extends CliCommand {
  @Override
  public Integer call() throws UsageException {
    throw new UsageException(
        "eval needs a subcommand: " + String.join(", ", spec.subcommands().keySet()));
  }
}
