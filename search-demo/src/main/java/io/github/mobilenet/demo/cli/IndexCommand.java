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
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code index}: adds a folder of images to a Lucene index, incrementally. */
@Command(
    name = "index",
    sortOptions = false,
    description = {
      "Adds images to an index, embedding only new/changed files.",
      "Walks PATHs (recursive, hidden entries skipped, symlink loops safe), embeds new and changed"
          + " images and commits every N documents; unchanged files (same path, size, time or same"
          + " content) are not embedded again. Settings not given come from an existing index, else"
          + " the defaults (model mobilenet_v2_1.0_224, layer_19 with GeM p=3 pooling, full image,"
          + " antialias, float, dba 2; another model's default layer is the map its pooled"
          + " vector averages, e.g. Conv2d_13_pointwise for MobileNetV1).",
      "stdout: {\"file\": ..., \"reason\": ..., \"error\": ...} per bad file, then {\"indexed\": n,"
          + " \"unchanged\": n, \"updated\": n, \"removed\": n, \"failed\": n, \"embedded\": n,"
          + " \"augmented\": n, \"seconds\": s, ...}. Progress goes to stderr. Exit 0 all indexed, 1"
          + " some files failed, 2 usage error."
    })
final class IndexCommand extends CliCommand {
  @Option(
      names = "--index",
      paramLabel = "DIR",
      description = "The index folder (created if missing); or --solr and --collection.")
  Path dir;

  @Mixin SolrOptions solr = new SolrOptions();

  @Mixin SolrCollectionOptions collection = new SolrCollectionOptions();

  @Mixin IndexOptions settings;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Decode and inference threads, 1..256 (default: the number of cores).")
  Integer threads;

  @Mixin BatchOption batch = new BatchOption();

  @Option(
      names = "--tags",
      paramLabel = "FILE",
      description =
          "Tags per image: CSV/TSV (path,KEY...) or JSON lines ({\"path\": ..., \"tags\": [...]}).")
  Path tags;

  @Option(
      names = "--clear-tags",
      description =
          "Remove the stored tags of every image under PATHs that the --tags file does not name"
              + " (without --tags: of every image under PATHs). Without this option stored tags"
              + " are kept.")
  boolean clearTags;

  @Option(names = "--prune", description = "Drop documents under PATHs whose files are gone.")
  boolean prune;

  @Option(
      names = "--commit-every",
      paramLabel = "N",
      description = "Commit after N documents (default: " + IndexingJob.DEFAULT_COMMIT_EVERY + ").")
  Integer commitEvery;

  @Option(
      names = "--commit-seconds",
      paramLabel = "S",
      description = "Commit at least every S seconds (default: 30).")
  Double commitSeconds;

  @Option(
      names = "--progress",
      paramLabel = "auto|tty|plain|none",
      defaultValue = "auto",
      description =
          "Progress on stderr: a redrawn line on a terminal, plain lines in logs (default:"
              + " ${DEFAULT-VALUE}).")
  ProgressPrinter.Mode mode;

  @Parameters(paramLabel = "PATH", arity = "1..*", description = "Images or folders to index.")
  List<Path> paths;

  @Override
  public Integer call() throws UsageException {
    Check.filesOnly(paths);
    int threads =
        Check.range("--threads", this.threads, Runtime.getRuntime().availableProcessors(), 1, 256);
    int batch = this.batch.get();
    int commitEvery =
        Check.range(
            "--commit-every",
            this.commitEvery,
            IndexingJob.DEFAULT_COMMIT_EVERY,
            1,
            Integer.MAX_VALUE);
    double commitSeconds =
        this.commitSeconds != null
            ? this.commitSeconds
            : IndexingJob.DEFAULT_COMMIT_INTERVAL.toSeconds();
    if (!(commitSeconds > 0)) {
      throw new UsageException("--commit-seconds must be > 0");
    }
    Tags tags = this.tags != null ? Tags.load(this.tags) : Tags.none();
    if (solr.given()) {
      return SolrIndexing.run(this, tags, threads, batch, commitEvery, commitSeconds);
    }
    if (dir == null) {
      throw new UsageException("--index is required");
    }
    IndexOptions.Resolved resolved = settings.resolve(dir);
    ModelProfile profile = resolved.profile();
    IndexConfig config = resolved.config();

    ProgressPrinter progress = new ProgressPrinter(err(), mode, 10);
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
            Json.line(out(), Json.obj("file", path, "reason", reason, "error", message));
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
    // The model first: one that cannot run at --size must not leave an empty index behind.
    FeatureExtractor opened =
        SizeOption.opening(() -> IndexOptions.extractor(config, profile, threads, batch));
    ImageIndex index;
    try {
      index = ImageIndex.openOrCreate(dir, config);
    } catch (IndexConfigMismatchException e) {
      opened.close();
      throw new UsageException(ImageIndexes.describe(e));
    } catch (RuntimeException e) {
      opened.close();
      throw e;
    }
    try (index;
        FeatureExtractor fx = opened) {
      IndexingSummary s =
          IndexingJob.builder(index, ImageEmbedder.wrap(fx, config))
              .paths(paths)
              .tags(tags)
              .prune(prune)
              .clearTags(clearTags)
              .decodeThreads(threads)
              .commitEvery(commitEvery)
              .commitInterval(Duration.ofMillis((long) (commitSeconds * 1000)))
              .listener(listener)
              .build()
              .run();
      Json.line(out(), summary(s, dir.toString()));
      return s.failed() == 0 ? ExitCode.OK : ExitCode.SOME_FAILED;
    }
  }

  /** The summary line's fields, in their contract order; the Solr path appends its own after. */
  static Map<String, Object> summary(IndexingSummary s, String index) {
    return Json.obj(
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
        index,
        "retagged",
        s.retagged());
  }
}
