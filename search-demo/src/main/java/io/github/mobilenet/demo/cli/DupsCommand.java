package io.github.mobilenet.demo.cli;

import io.github.mobilenet.embeddings.dups.DuplicateGroup;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.search.SearchHit;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dups}: groups of near-identical images in an index. */
@Command(
    name = "dups",
    description = {
      "Groups of near-identical images in an index.",
      "One line per group of near-identical images (resized, re-encoded, cropped, EXIF-rotated,"
          + " lightly edited): {\"group\": [{\"id\": ..., \"path\": ..., \"score\": ...}, ...]}, the"
          + " largest image first; score = cosine to it."
    })
final class DupsCommand extends CliCommand {
  @Mixin IndexDirOption indexDir = new IndexDirOption();

  @Option(
      names = "--threshold",
      paramLabel = "T",
      defaultValue = "" + ImageIndex.DEFAULT_DUPLICATE_THRESHOLD,
      description =
          "Images are linked when their cosine is >= T, in (0, 1] (default: ${DEFAULT-VALUE}).")
  double threshold;

  @Override
  public Integer call() throws UsageException {
    if (!(threshold > 0 && threshold <= 1)) {
      throw new UsageException("--threshold must be in (0, 1], got " + threshold);
    }
    try (ImageIndex index = ImageIndex.open(indexDir.path)) {
      for (DuplicateGroup g : index.duplicates(threshold)) {
        List<Object> members = new ArrayList<>();
        for (SearchHit h : g.members()) {
          members.add(Json.obj("id", h.id(), "path", h.path(), "score", h.score()));
        }
        Json.line(out(), Json.obj("group", members));
      }
    }
    return ExitCode.OK;
  }
}
