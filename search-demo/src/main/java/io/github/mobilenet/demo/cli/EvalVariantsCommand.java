package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.image.ImageFiles;
import io.github.mobilenet.eval.data.DistortedCopies;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code eval variants}: writes a labelled set of distorted copies of photos, for a data-set-free
 * sanity check.
 */
final class EvalVariantsCommand implements Command {
  @Override
  public String name() {
    return "variants";
  }

  @Override
  public String usage() {
    return "eval variants --out DIR [--copies "
        + DistortedCopies.KINDS.size()
        + "] [--seed 0] PATH...\n"
        + "  each photo becomes a class of copies ("
        + String.join(", ", DistortedCopies.KINDS)
        + ") in DIR/NAME/,\n"
        + "  listed in DIR/LABELS; then run eval retrieval --labels DIR/LABELS DIR.";
  }

  @Override
  public int run(String[] argv, PrintStream out, PrintStream err) throws UsageException {
    Args a = Args.parse(argv, Set.of("out", "copies", "seed"), Set.of("quiet"));
    Path dir = Path.of(a.require("out"));
    int copies = a.getInt("copies", DistortedCopies.KINDS.size(), 2, DistortedCopies.KINDS.size());
    long seed = a.getInt("seed", 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
    int[] failures = {0};
    List<Path> files =
        ImageFiles.expand(
            a.paths(),
            problem -> {
              failures[0]++;
              Json.line(out, Json.obj("file", problem, "error", "cannot walk"));
            });
    try {
      Path labels = DistortedCopies.write(files, dir, copies, seed);
      Json.line(
          out,
          Json.obj(
              "out",
              dir.toString(),
              "labels",
              labels.toString(),
              "sources",
              files.size(),
              "images",
              files.size() * copies));
    } catch (IOException | RuntimeException e) {
      err.println("mobilenet eval variants: " + e.getMessage());
      return SOME_FAILED;
    }
    return failures[0] == 0 ? OK : SOME_FAILED;
  }
}
