package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.image.ImageFiles;
import io.github.mobilenet.eval.data.DistortedCopies;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
final class EvalVariantsCommand extends CliCommand {
  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder to write.")
  Path dir;

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

  @Option(names = "--quiet", description = "Accepted for symmetry with the other eval commands.")
  boolean quiet;

  @Parameters(paramLabel = "PATH", arity = "1..*", description = "Photos or folders of photos.")
  List<Path> paths;

  @Override
  public Integer call() throws UsageException {
    int n =
        Check.range(
            "--copies", copies, DistortedCopies.KINDS.size(), 2, DistortedCopies.KINDS.size());
    int[] failures = {0};
    List<Path> files =
        ImageFiles.expand(
            Check.filesOnly(paths),
            problem -> {
              failures[0]++;
              Json.line(out(), Json.obj("file", problem, "error", "cannot walk"));
            });
    try {
      Path labels = DistortedCopies.write(files, dir, n, seed);
      Json.line(
          out(),
          Json.obj(
              "out",
              dir.toString(),
              "labels",
              labels.toString(),
              "sources",
              files.size(),
              "images",
              files.size() * n));
    } catch (IOException | RuntimeException e) {
      err().println("mobilenet eval variants: " + e.getMessage());
      return ExitCode.SOME_FAILED;
    }
    return failures[0] == 0 ? ExitCode.OK : ExitCode.SOME_FAILED;
  }
}
