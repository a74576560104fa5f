package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.index.IndexConfigMismatchException;
import io.github.mobilenet.embeddings.index.Tags;
import io.github.mobilenet.embeddings.job.IndexingJob;
import io.github.mobilenet.embeddings.job.IndexingListener;
import io.github.mobilenet.embeddings.job.IndexingSummary;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/** {@code index}: adds a folder of images to a Lucene index, incrementally. */
final class IndexCommand implements Command {
  @Override
  public String name() {
    return "index";
  }

  @Override
  public String usage() {
    return "index --index DIR [--layer layer_19] [--pool gem|avg|max|gem:P] [--format float|int7|int4|bit] [--dba N] [--threads N]"
        + " [--tags FILE] [--prune] [--commit-every N] [--commit-seconds S] [--progress auto|tty|plain|none]"
        + " [--preprocess full|center-crop] [--resize antialias|bilinear] [--profile PROFILE.json] [--batch N] PATH...\n"
        + "  walks PATHs (recursive, hidden entries skipped, symlink loops safe), embeds new and changed images and\n"
        + "  commits every N documents; unchanged files (same path, size, time or same content) are not embedded again.\n"
        + "  Settings not given come from an existing index, else the defaults (layer_19 with GeM p=3 pooling, full image, antialias, float, dba 2).\n"
        + "  --dba N: database-side augmentation; each image is searched by the sum of its vector and its N nearest\n"
        + "  neighbours' (0 = off), recomputed for the images each run affects. Near-duplicates use the images' own vectors.\n"
        + "  --prune drops documents under PATHs whose files are gone. --tags: CSV/TSV (path,KEY...) or JSON lines\n"
        + "  ({\"path\": ..., \"tags\": [...]}). stdout: {\"file\": ..., \"reason\": ..., \"error\": ...} per bad file, then\n"
        + "  {\"indexed\": n, \"unchanged\": n, \"updated\": n, \"removed\": n, \"failed\": n, \"embedded\": n, \"augmented\": n, \"seconds\": s, ...}.\n"
        + "  Progress goes to stderr. Exit 0 all indexed, 1 some files failed, 2 usage error.";
  }

  @Override
  public int run(String[] argv, PrintStream out, PrintStream err) throws UsageException {
    Args a =
        Args.parse(
            argv,
            Set.of(
                "index",
                "layer",
                "pool",
                "format",
                "dba",
                "threads",
                "tags",
                "commit-every",
                "commit-seconds",
                "progress",
                "preprocess",
                "resize",
                "profile",
                "batch"),
            Set.of("prune"));
    Path dir = ImageIndexes.indexPath(a);
    var paths = a.paths();
    int threads = a.getInt("threads", Runtime.getRuntime().availableProcessors(), 1, 256);
    int batch = a.getInt("batch", FeatureExtractor.DEFAULT_MAX_BATCH, 1, 1024);
    int commitEvery =
        a.getInt("commit-every", IndexingJob.DEFAULT_COMMIT_EVERY, 1, Integer.MAX_VALUE);
    double commitSeconds =
        a.getDouble("commit-seconds", IndexingJob.DEFAULT_COMMIT_INTERVAL.toSeconds());
    if (!(commitSeconds > 0)) {
      throw new UsageException("--commit-seconds must be > 0");
    }
    ProgressPrinter.Mode mode =
        a.get("progress", ProgressPrinter.parse("auto"), ProgressPrinter::parse);
    Tags tags = a.has("tags") ? Tags.load(Path.of(a.get("tags", null))) : Tags.none();
    ModelProfile profile = IndexOptions.profile(a);
    IndexConfig config = IndexOptions.resolve(a, dir, profile);

    ImageIndex index;
    try {
      index = ImageIndex.openOrCreate(dir, config);
    } catch (IndexConfigMismatchException e) {
      throw new UsageException(ImageIndexes.describe(e));
    }
    ProgressPrinter progress = new ProgressPrinter(err, mode, 10);
    IndexingListener listener =
        new IndexingListener() {
          @Override
          public void started(int total) {
            progress.started(total);
          }

          @Override
          public void progress(io.github.mobilenet.embeddings.job.IndexingProgress p) {
            progress.progress(p);
          }

          @Override
          public void failed(String path, String reason, String message) {
            progress.failed(path, reason, message);
            Json.line(out, Json.obj("file", path, "reason", reason, "error", message));
          }

          @Override
          public void committed(int documents) {
            progress.committed(documents);
          }

          @Override
          public void notice(String message) {
            progress.notice(message);
          }

          @Override
          public void augmenting(int done, int total) {
            progress.augmenting(done, total);
          }

          @Override
          public void finished(IndexingSummary s) {
            progress.finished(s);
          }
        };
    try (index;
        FeatureExtractor fx = IndexOptions.extractor(config, profile, threads, batch)) {
      IndexingSummary s =
          IndexingJob.builder(index, ImageEmbedder.wrap(fx, config))
              .paths(paths)
              .tags(tags)
              .prune(a.has("prune"))
              .decodeThreads(threads)
              .commitEvery(commitEvery)
              .commitInterval(Duration.ofMillis((long) (commitSeconds * 1000)))
              .listener(listener)
              .build()
              .run();
      Json.line(
          out,
          Json.obj(
              "indexed",
              s.indexed(),
              "unchanged",
              s.unchanged(),
              "updated",
              s.updated(),
              "removed",
              s.removed(),
              "failed",
              s.failed(),
              "embedded",
              s.embedded(),
              "augmented",
              s.augmented(),
              "augment_seconds",
              Math.round(s.augmentSeconds() * 1000) / 1000.0,
              "seconds",
              Math.round(s.seconds() * 1000) / 1000.0,
              "documents",
              s.documents(),
              "index",
              dir.toString(),
              "retagged",
              s.retagged()));
      return s.failed() == 0 ? OK : SOME_FAILED;
    }
  }
}
