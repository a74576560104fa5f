package io.github.mobilenet.demo.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code eval SUBCOMMAND}: the evaluation harness (retrieval, classify, probe, variants). */
final class EvalCommand implements Command {
  private final Map<String, Command> subcommands = new LinkedHashMap<>();

  EvalCommand() {
    for (Command c :
        List.of(
            new EvalRetrievalCommand(),
            new EvalClassifyCommand(),
            new EvalProbeCommand(),
            new EvalVariantsCommand())) {
      subcommands.put(c.name(), c);
    }
  }

  @Override
  public String name() {
    return "eval";
  }

  @Override
  public String usage() {
    StringBuilder b =
        new StringBuilder("eval retrieval|classify|probe|variants ...: measure embedding quality");
    for (Command c : subcommands.values()) {
      b.append("\n\n").append(c.usage());
    }
    return b.toString();
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws UsageException {
    if (args.length == 0) {
      throw new UsageException(
          "eval needs a subcommand: " + String.join(", ", subcommands.keySet()));
    }
    Command c = subcommands.get(args[0]);
    if (c == null) {
      throw new UsageException(
          "unknown eval subcommand '"
              + args[0]
              + "' (known: "
              + String.join(", ", subcommands.keySet())
              + ")");
    }
    return c.run(Arrays.copyOfRange(args, 1, args.length), out, err);
  }
}
