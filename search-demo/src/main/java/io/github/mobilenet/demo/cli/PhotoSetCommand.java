package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code eval} commands that write a labelled set of copies of photos ({@code edits}, {@code
 * variants}): their shared options, the walk, and the one JSON summary line {@code {"out",
 * "labels", "sources", "images"}}.
 */
abstract class PhotoSetCommand extends CliCommand {
  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder to write.")
  Path dir;

  @Option(names = "--quiet", description = "Accepted for symmetry with the other eval commands.")
  boolean quiet;

  @Parameters(paramLabel = "PATH", arity = "1..*", description = "Photos or folders of photos.")
  List<Path> paths;

  /** Checks the command's own options before anything is read. */
  void checkOptions() throws UsageException {}

  /** Writes the set for {@code files} into {@link #dir}; returns its LABELS file. */
  abstract Path write(List<Path> files) throws IOException;

  /** How many images {@link #write} writes for {@code sources} photos. */
  abstract int images(int sources);

  @Override
  public final Integer call() throws UsageException {
    checkOptions();
    int[] failures = {0};
    List<Path> files =
        ImageFiles.expand(
            Check.filesOnly(paths),
            problem -> {
              failures[0]++;
              Json.line(out(), Json.obj("file", problem, "error", "cannot walk"));
            });
    try {
      Path labels = write(files);
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
              images(files.size())));
    } catch (IOException | RuntimeException e) {
      err().println("mobilenet eval " + spec.name() + ": " + e.getMessage());
      return ExitCode.SOME_FAILED;
    }
    return failures[0] == 0 ? ExitCode.OK : ExitCode.SOME_FAILED;
  }
}
