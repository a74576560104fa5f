package io.github.mobilenet.demo.cli;

import io.github.mobilenet.eval.data.DistortedCopies;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code eval variants}: writes a labelled set of distorted copies of photos, for a data-set-free
 * sanity check.
 */
@Command(
    name = "variants",
    description = {
      "Writes distorted copies of photos as a labelled set.",
      "Each photo becomes a class of copies (original, mirror, crop, small, tone, rotate) in"
          + " DIR/NAME/, listed in DIR/LABELS; then run eval retrieval --labels DIR/LABELS DIR."
    })
final class EvalVariantsCommand extends PhotoSetCommand {
  @Option(
      names = "--copies",
      paramLabel = "N",
      description = "Copies per photo: the first N kinds, at least 2 (default: all).")
  Integer copies;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "0",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  int seed;

  private int n;

  @Override
  void checkOptions() throws UsageException {
    n =
        Check.range(
            "--copies", copies, DistortedCopies.KINDS.size(), 2, DistortedCopies.KINDS.size());
  }

  @Override
  Path write(List<Path> files) throws IOException {
    return DistortedCopies.write(files, dir, n, seed);
  }

  @Override
  int images(int sources) {
    return sources * n;
  }
}
