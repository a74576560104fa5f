package io.github.mobilenet.demo.cli;

import io.github.mobilenet.embeddings.dups.DuplicateGroup;
import io.github.mobilenet.embeddings.dups.DuplicateOptions;
import io.github.mobilenet.embeddings.dups.Verification;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.index.IndexConfigMismatchException;
import io.github.mobilenet.embeddings.search.SearchHit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dups}: groups of copies of one photo in an index. */
@Command(
    name = "dups",
    description = {
      "Groups of copies of one photo in an index.",
      "One line per group of copies of one photograph (resized, re-encoded, cropped, watermarked,"
          + " rotated by 90/180/270 degrees, mirrored, EXIF-rotated, lightly edited):"
          + " {\"group\": [{\"id\": ..., \"path\": ..., \"score\": ..., \"inliers\": ...,"
          + " \"transform\": ...}, ...]}, the largest image first; score = cosine to it, inliers and"
          + " transform (identity, crop, scale, rot90, rot180, rot270, hflip, homography) = the"
          + " geometric verification against it.",
      "Candidates come from the embedding, the verdict from local features (ORB + homography)."
          + " --threshold T groups by cosine >= T alone, without verification (the behaviour"
          + " before verification, no inliers or transform)."
    })
final class DupsCommand extends CliCommand {
  @Mixin IndexDirOption indexDir = new IndexDirOption();

  @Mixin ModelOptions model = new ModelOptions();

  @Option(
      names = "--threshold",
      paramLabel = "T",
      description =
          "Group by cosine >= T alone, in (0, 1], without verification (default with --verify"
              + " false: "
              + ImageIndex.DEFAULT_DUPLICATE_THRESHOLD
              + ").")
  Double threshold;

  @Option(
      names = "--verify",
      paramLabel = "BOOL",
      arity = "1",
      description =
          "Verify candidate pairs by local features (default: true unless --threshold is given).")
  Boolean verify;

  @Mixin DupsOptions dups = new DupsOptions();

  @Override
  public Integer call() throws UsageException {
    boolean verified = verify != null ? verify : threshold == null;
    if (verified && threshold != null) {
      throw new UsageException(
          "--threshold groups by cosine alone; it cannot go with --verify true");
    }
    if (!verified) {
      return cosineGroups(threshold != null ? threshold : ImageIndex.DEFAULT_DUPLICATE_THRESHOLD);
    }
    DuplicateOptions options = dups.options();
    try (ImageIndex index = ImageIndex.open(indexDir.path)) {
      ImageEmbedder embedder = null;
      try {
        embedder = dups.embedder(index, model, "index " + indexDir.path, options.threads());
        List<DuplicateGroup> groups =
            index.duplicates(options, embedder, w -> err().println("mobilenet dups: " + w));
        for (DuplicateGroup g : groups) {
          List<Object> members = new ArrayList<>();
          for (int i = 0; i < g.size(); i++) {
            SearchHit h = g.members().get(i);
            Verification v = g.verification(i).orElseThrow();
            Map<String, Object> m =
                Json.obj(
                    "id",
                    h.id(),
                    "path",
                    h.path(),
                    "score",
                    h.score(),
                    "inliers",
                    v.inliers(),
                    "transform",
                    v.transform().label());
            members.add(m);
          }
          Json.line(out(), Json.obj("group", members));
        }
      } catch (IndexConfigMismatchException e) {
        throw new UsageException(ImageIndexes.describe(e));
      } finally {
        if (embedder != null) {
          embedder.close();
        }
      }
    }
    return ExitCode.OK;
  }

  private int cosineGroups(double t) throws UsageException {
    if (!(t > 0 && t <= 1)) {
      throw new UsageException("--threshold must be in (0, 1], got " + t);
    }
    try (ImageIndex index = ImageIndex.open(indexDir.path)) {
      for (DuplicateGroup g : index.duplicates(t)) {
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
