package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.image.ImageFiles;
import io.github.mobilenet.eval.data.PhotoEdits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code eval edits}: writes each photo with nine edited copies, the near-duplicate test set. */
@Command(
    name = "edits",
    description = {
      "Writes photos with nine edited copies each, for eval dups.",
      "Each photo is copied to DIR/NAME/ with crop80, watermark, jpeg30, brighter, resize50,"
          + " reencode, exif6, hflip and rot90 copies, listed in DIR/LABELS (class = NAME); then"
          + " index DIR and run eval dups --labels DIR/LABELS."
    })
final class EvalEditsCommand extends CliCommand {
  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder to write.")
  Path dir;

  @Option(names = "--quiet", description = "Accepted for symmetry with the other eval commands.")
  boolean quiet;

  @Parameters(paramLabel = "PATH", arity = "1..*", description = "Photos or folders of photos.")
  List<Path> paths;

  @Override
  public Integer call() throws UsageException {
    int[] failures = {0};
    List<Path> files =
        ImageFiles.expand(
            Check.filesOnly(paths),
            problem -> {
              failures[0]++;
              Json.line(out(), Json.obj("file", problem, "error", "cannot walk"));
            });
    try {
      Path labels = PhotoEdits.write(files, dir);
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
              files.size() * (PhotoEdits.KINDS.size() + 1)));
    } catch (IOException | RuntimeException e) {
      err().println("mobilenet eval edits: " + e.getMessage());
      return ExitCode.SOME_FAILED;
    }
    return failures[0] == 0 ? ExitCode.OK : ExitCode.SOME_FAILED;
  }
}
