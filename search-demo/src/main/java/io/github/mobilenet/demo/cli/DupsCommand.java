package io.github.mobilenet.demo.cli;

import io.github.mobilenet.embeddings.dups.DuplicateGroup;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.search.SearchHit;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code dups}: groups of near-identical images in an index. */
final class DupsCommand implements Command {
  @Override
  public String name() {
    return "dups";
  }

  @Override
  public String usage() {
    return "dups --index DIR [--threshold "
        + ImageIndex.DEFAULT_DUPLICATE_THRESHOLD
        + "]\n"
        + "  one line per group of near-identical images (resized, re-encoded, cropped, EXIF-rotated, lightly edited):\n"
        + "  {\"group\": [{\"id\": ..., \"path\": ..., \"score\": ...}, ...]}, the largest image first; score = cosine to it.\n"
        + "  Images are linked when their cosine is >= threshold.";
  }

  @Override
  public int run(String[] argv, PrintStream out, PrintStream err) throws UsageException {
    Args a = Args.parse(argv, Set.of("index", "threshold"), Set.of());
    if (!a.positionals().isEmpty()) {
      throw new UsageException("unexpected argument " + a.positionals().get(0));
    }
    double threshold = a.getDouble("threshold", ImageIndex.DEFAULT_DUPLICATE_THRESHOLD);
    if (!(threshold > 0 && threshold <= 1)) {
      throw new UsageException("--threshold must be in (0, 1], got " + threshold);
    }
    try (ImageIndex index = ImageIndex.open(ImageIndexes.indexPath(a))) {
      for (DuplicateGroup g : index.duplicates(threshold)) {
        List<Object> members = new ArrayList<>();
        for (SearchHit h : g.members()) {
          members.add(Json.obj("id", h.id(), "path", h.path(), "score", h.score()));
        }
        Json.line(out, Json.obj("group", members));
      }
    }
    return OK;
  }
}
