package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.embeddings.dups.DuplicateOptions;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.ImageIndex;
import picocli.CommandLine.Option;

/** The verification options of {@code dups} and {@code eval dups}. */
final class DupsOptions {
  @Option(
      names = "--candidates",
      paramLabel = "K",
      description =
          "Nearest images per image that are verified, 1-1000 (default: "
              + DuplicateOptions.DEFAULT_CANDIDATES
              + ").")
  Integer candidates;

  @Option(
      names = "--floor",
      paramLabel = "C",
      description =
          "Candidates need a cosine >= C, in [0, 1] (default: "
              + DuplicateOptions.DEFAULT_FLOOR
              + ").")
  Double floor;

  @Option(
      names = "--min-inliers",
      paramLabel = "N",
      description =
          "Inliers that make a verified pair the same photo, 4-100000 (default: "
              + DuplicateOptions.DEFAULT_MIN_INLIERS
              + ").")
  Integer minInliers;

  @Option(
      names = "--rotations",
      paramLabel = "BOOL",
      arity = "1",
      defaultValue = "true",
      description =
          "Also take candidates by the embeddings of each image turned 90/180/270 degrees (three"
              + " more forward passes per image; default: ${DEFAULT-VALUE}).")
  boolean rotations;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Threads that decode, embed and verify (default: one per core).")
  Integer threads;

  /** The checked options. */
  DuplicateOptions options() throws UsageException {
    DuplicateOptions o =
        DuplicateOptions.defaults()
            .withCandidates(
                Check.range(
                    "--candidates", candidates, DuplicateOptions.DEFAULT_CANDIDATES, 1, 1000))
            .withMinInliers(
                Check.range(
                    "--min-inliers", minInliers, DuplicateOptions.DEFAULT_MIN_INLIERS, 4, 100_000))
            .withRotations(rotations)
            .withThreads(
                Check.range(
                    "--threads", threads, Runtime.getRuntime().availableProcessors(), 1, 256));
    if (floor != null) {
      if (!(floor >= 0 && floor <= 1)) {
        throw new UsageException("--floor must be in [0, 1], got " + floor);
      }
      o = o.withFloor(floor);
    }
    return o;
  }

  /** The embedder for rotated candidates (the index's model), or null when they are off. */
  ImageEmbedder embedder(ImageIndex index, ModelOptions model, String what, int threads)
      throws UsageException {
    if (!rotations) {
      return null;
    }
    ModelProfile profile = model.orRecorded(index.config().modelId(), what);
    return ImageEmbedder.open(index.config(), profile, threads);
  }
}
