package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.index.IndexConfigMismatchException;
import io.github.mobilenet.embeddings.index.Tags;
import io.github.mobilenet.embeddings.index.VectorFormat;
import io.github.mobilenet.embeddings.job.IndexingJob;
import io.github.mobilenet.embeddings.job.IndexingListener;
import io.github.mobilenet.embeddings.job.IndexingProgress;
import io.github.mobilenet.embeddings.job.IndexingSummary;
import io.github.mobilenet.solr.SolrImageIndex;
import io.github.mobilenet.solr.SolrSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code index --solr URL --collection NAME}: the same job, walk, progress, failure lines, summary
 * and exit codes as {@code index --index DIR}, written to a SolrCloud collection (created with
 * {@code --shards}/{@code --replicas} when missing). Solr stores float vectors without
 * database-side augmentation, so {@code --format} other than float and {@code --dba} above 0 are
 * usage errors.
 */
final class SolrIndexing {
  private SolrIndexing() {}

  static int run(
      IndexCommand c, Tags tags, int threads, int batch, int commitEvery, double commitSeconds)
      throws UsageException {
    if (c.dir != null) {
      throw new UsageException("give --index DIR or --solr URL --collection NAME, not both");
    }
    if (c.settings.format != null && c.settings.format != VectorFormat.FLOAT32) {
      throw new UsageException(
          "--format " + c.settings.format.cliName() + " is local-only: Solr stores float vectors");
    }
    if (c.settings.dba != null && c.settings.dba != 0) {
      throw new UsageException(
          "--dba is local-only: a Solr collection searches the images' own vectors (give --dba 0"
              + " or leave it out)");
    }
    SolrSettings at = c.solr.settings("index", c.err());
    at =
        at.shards(Check.range("--shards", c.collection.shards, 1, 1, 1024))
            .replicas(Check.range("--replicas", c.collection.replicas, 1, 1, 16));
    Optional<IndexConfig> existing;
    try {
      existing = SolrImageIndex.readConfig(at);
    } catch (IndexConfigMismatchException e) {
      throw new UsageException(e.getMessage());
    }
    IndexOptions.Resolved resolved =
        c.settings.resolve(existing, "Solr collection " + at.collection());
    IndexConfig config = resolved.config().withAugment(0).withFormat(VectorFormat.FLOAT32);

    ProgressPrinter progress = new ProgressPrinter(c.err(), c.mode, 10);
    SolrSettings noticed = at.notices(m -> progress.notice(m));
    FeatureExtractor opened =
        SizeOption.opening(
            () -> IndexOptions.extractor(config, resolved.profile(), threads, batch));
    SolrImageIndex index;
    try {
      index = SolrImageIndex.openOrCreate(noticed, config);
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
              .paths(c.paths)
              .tags(tags)
              .prune(c.prune)
              .clearTags(c.clearTags)
              .decodeThreads(threads)
              .commitEvery(commitEvery)
              .commitInterval(Duration.ofMillis((long) (commitSeconds * 1000)))
              .listener(listener(c, progress))
              .build()
              .run();
      Map<String, Object> line = IndexCommand.summary(s, "solr:" + at.collection());
      line.put("solr", String.join(",", at.urls()));
      line.put("collection", at.collection());
      Json.line(c.out(), line);
      return s.failed() == 0 ? ExitCode.OK : ExitCode.SOME_FAILED;
    }
  }

  /** Progress on stderr and one JSON line per bad file on stdout, as {@code index --index}. */
  private static IndexingListener listener(IndexCommand c, ProgressPrinter progress) {
    return new IndexingListener() {
      @Override
      public void started(int total) {
        progress.started(total);
      }

      @Override
      public void progress(IndexingProgress p) {
        progress.progress(p);
      }

      @Override
      public void failed(String path, String reason, String message) {
        progress.failed(path, reason, message);
        Json.line(c.out(), Json.obj("file", path, "reason", reason, "error", message));
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
      public void finished(IndexingSummary s) {
        progress.finished(s);
      }
    };
  }
}
