package io.github.mobilenet.embeddings.job;

import io.github.mobilenet.core.image.ImageFiles;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.image.RgbImage;
import io.github.mobilenet.embeddings.EmbeddingsException;
import io.github.mobilenet.embeddings.EmbeddingsException.Reason;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.ImageStore;
import io.github.mobilenet.embeddings.index.Tags;
import io.github.mobilenet.embeddings.job.Ops.Delete;
import io.github.mobilenet.embeddings.job.Ops.Failure;
import io.github.mobilenet.local.extract.LocalFeatureExtractor;
import io.github.mobilenet.local.extract.OrbExtractor;
import io.github.mobilenet.local.features.LocalFeaturesCodec;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Indexes image files into an {@link ImageStore} (the local {@link
 * io.github.mobilenet.embeddings.index.ImageIndex}, or a SolrCloud collection): walks folders,
 * skips what is already indexed, embeds the rest and writes them, committing periodically.
 *
 * <pre>{@code
 * try (ImageIndex index = ImageIndex.openOrCreate(Path.of("photos.idx"), IndexConfig.defaults());
 *      ImageEmbedder embedder = ImageEmbedder.open(index.config())) {
 *   IndexingSummary s = IndexingJob.builder(index, embedder).paths(List.of(Path.of("photos"))).prune(true).build().run();
 * }
 * }</pre>
 *
 * <p>When the index keeps local features ({@link ImageStore#hasLocalFeatures()}), each decode
 * thread also extracts the image's ORB features from the same decoded pixels ({@link OrbExtractor},
 * stored with {@link LocalFeaturesCodec}), so they cost no second decode and run in parallel.
 *
 * <p>Pipeline: the calling thread walks and plans (a file whose path, size and modification time
 * match its document is unchanged; one whose content hash matches an indexed image reuses that
 * vector), {@code decodeThreads} lanes decode and run batches a bounded window ahead ({@link
 * io.github.mobilenet.core.extract.FeatureExtractor#extractEach}), and one writer thread hashes,
 * writes and commits behind a bounded queue. Memory stays bounded whatever the number of files.
 *
 * <p>Crash safety: every commit is atomic. After a crash the index holds exactly the last commit,
 * and the next run finds those files unchanged and embeds only the rest. A file that fails is
 * reported to the listener and skipped; it never stops the job.
 */
public final class IndexingJob {
  /** Commit after this many written documents by default. */
  public static final int DEFAULT_COMMIT_EVERY = 1000;

  /** ... or after this long, whichever comes first. */
  public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(30);

  private final ImageStore index;
  private final ImageEmbedder embedder;
  private final List<Path> paths;
  private final Tags tags;
  private final boolean clearTags;
  private final boolean prune;
  private final int decodeThreads;
  private final int commitEvery;
  private final long commitIntervalNanos;
  private final IndexingListener listener;
  private final AtomicInteger localFeatureFailures = new AtomicInteger();

  private IndexingJob(Builder b) {
    this.index = b.index;
    this.embedder = b.embedder;
    this.paths = List.copyOf(b.paths);
    this.tags = b.tags;
    this.clearTags = b.clearTags;
    this.prune = b.prune;
    this.decodeThreads = b.decodeThreads;
    this.commitEvery = b.commitEvery;
    this.commitIntervalNanos = b.commitInterval.toNanos();
    this.listener = b.listener;
  }

  public static Builder builder(ImageStore index, ImageEmbedder embedder) {
    return new Builder(index, embedder);
  }

  /**
   * Runs the job to the end.
   *
   * @throws EmbeddingsException when the index cannot be written (the index keeps its last commit);
   *     the reason says why, e.g. {@link Reason#DISK_FULL}
   */
  public IndexingSummary run() {
    if (!index.writable()) {
      throw new EmbeddingsException(
          Reason.READ_ONLY, index.folder(), index.describe() + " is open read-only");
    }
    index.requireCompatible(embedder.config());
    long start = System.nanoTime();

    List<String> walkProblems = new ArrayList<>();
    List<Path> files = ImageFiles.expand(paths, walkProblems::add);

    JobWriter writer =
        new JobWriter(index, listener, commitEvery, commitIntervalNanos, files.size(), 0, start);
    Planner planner = new Planner(index, embedder, tags, clearTags, writer);
    planner.load();
    writer.documents = planner.byPath.size();
    listener.started(files.size());
    Thread writerThread = new Thread(writer, "mobilenet-index-writer");
    writerThread.setDaemon(true);
    writerThread.start();
    try {
      for (String problem : walkProblems) {
        // ImageFiles reports "path: error"; the path is what precedes the first ": "
        String path =
            problem.contains(": ") ? problem.substring(0, problem.indexOf(": ")) : problem;
        writer.put(
            new Failure(
                new IndexingFailure(path, IndexingFailure.Reason.WALK_ERROR, problem),
                false,
                false));
      }
      if (index.hasLocalFeatures()) {
        // ORB runs on the decode threads, on the pixels the embedding is made from
        LocalFeatureExtractor orb = new OrbExtractor();
        embedder
            .extractor()
            .extractEach(
                plan(files, planner),
                embedder.config().layer(),
                decodeThreads,
                rgb -> localFeatures(orb, rgb),
                planner::embedded);
      } else {
        embedder
            .extractor()
            .extractEach(
                plan(files, planner),
                embedder.config().layer(),
                decodeThreads,
                r -> planner.embedded(r, null));
      }
      if (prune) {
        prune(planner, walkProblems.isEmpty(), writer);
      }
    } finally {
      writer.finish();
      try {
        writerThread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    writer.rethrow();
    int noFeatures = localFeatureFailures.get();
    if (noFeatures > 0) {
      listener.notice(
          noFeatures
              + (noFeatures == 1 ? " image was" : " images were")
              + " indexed without local features (their extraction failed): they are searched"
              + " by the embedding alone");
    }
    int unmatched = planner.unmatchedTagRows();
    if (unmatched > 0) {
      listener.notice(
          unmatched
              + (unmatched == 1
                  ? " file named by the tags matches"
                  : " files named by the tags match")
              + " no file indexed in this run; their tags were not used");
    }
    // After the last add, so every newcomer is there to be a neighbour; a no-op when nothing
    // changed.
    int augmented;
    long augmentStart = System.nanoTime();
    try {
      augmented = index.augment(listener::augmenting);
      if (augmented > 0) {
        index.commit();
        listener.committed(writer.documents);
      }
    } catch (RuntimeException e) {
      throw new EmbeddingsException(
          e instanceof EmbeddingsException ee ? ee.reason() : Reason.IO_ERROR,
          index.folder(),
          "indexing stopped: cannot augment "
              + index.describe()
              + " (the images are "
              + "indexed; the next run finishes the augmentation): "
              + e,
          e);
    }
    IndexingSummary summary =
        new IndexingSummary(
            writer.indexed,
            writer.unchanged,
            writer.updated,
            writer.removed,
            writer.failed,
            writer.embedded,
            augmented,
            (System.nanoTime() - augmentStart) / 1e9,
            (System.nanoTime() - start) / 1e9,
            writer.documents,
            writer.retagged,
            unmatched);
    listener.finished(summary);
    return summary;
  }

  /**
   * An image's encoded local features, or null when extraction fails: the image keeps its embedding
   * (counted and reported at the end) rather than failing for its secondary features.
   */
  private byte[] localFeatures(LocalFeatureExtractor orb, RgbImage rgb) {
    try {
      return LocalFeaturesCodec.encode(orb.extract(rgb));
    } catch (RuntimeException e) {
      localFeatureFailures.incrementAndGet();
      return null;
    }
  }

  /** The files to embed, planned lazily as the extractor asks for them. */
  private static Iterator<ImageSource> plan(List<Path> files, Planner planner) {
    return new Iterator<>() {
      private int next;
      private ImageSource ready;

      @Override
      public boolean hasNext() {
        while (ready == null && next < files.size()) {
          ready = planner.consider(files.get(next++));
        }
        return ready != null;
      }

      @Override
      public ImageSource next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        ImageSource s = ready;
        ready = null;
        return s;
      }
    };
  }

  /** Drops documents under the walked roots whose files were not seen. */
  private void prune(Planner planner, boolean walkedAll, JobWriter writer) {
    boolean rootsOk = paths.stream().allMatch(Files::exists);
    if (!walkedAll || !rootsOk) {
      listener.notice(
          "prune skipped: "
              + (rootsOk ? "some folders could not be walked" : "a PATH does not exist")
              + ", so missing files cannot be told from unreadable ones");
      return;
    }
    List<String> roots =
        paths.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList();
    for (String key : planner.byPath.keySet()) {
      if (!planner.seen.contains(key)
          && roots.stream()
              .anyMatch(
                  r ->
                      key.equals(r)
                          || key.startsWith(r.endsWith(File.separator) ? r : r + File.separator))) {
        writer.put(new Delete(key));
      }
    }
  }

  /** Job settings; only the index and embedder are required. */
  public static final class Builder {
    private final ImageStore index;
    private final ImageEmbedder embedder;
    private List<Path> paths = List.of();
    private Tags tags = Tags.none();
    private boolean clearTags;
    private boolean prune;
    private int decodeThreads = Runtime.getRuntime().availableProcessors();
    private int commitEvery = DEFAULT_COMMIT_EVERY;
    private Duration commitInterval = DEFAULT_COMMIT_INTERVAL;
    private IndexingListener listener = IndexingListener.NONE;

    private Builder(ImageStore index, ImageEmbedder embedder) {
      this.index = index;
      this.embedder = embedder;
    }

    /**
     * Files and folders (walked recursively: symlinks followed without loops, hidden entries
     * skipped).
     */
    public Builder paths(List<Path> paths) {
      this.paths = paths;
      return this;
    }

    /**
     * Tags for the files they name; they replace those files' stored tags. Files they do not name
     * keep theirs (tags are user data), unless {@link #clearTags(boolean)}.
     */
    public Builder tags(Tags tags) {
      this.tags = tags;
      return this;
    }

    /**
     * Whether walked files the {@link #tags} do not name lose their stored tags (default false:
     * they keep them). Files not walked in this run are never touched.
     */
    public Builder clearTags(boolean clear) {
      this.clearTags = clear;
      return this;
    }

    /**
     * Whether to drop documents whose files, under the given folders (or equal to the given files),
     * are gone. Skipped (with a notice) when a folder could not be walked.
     */
    public Builder prune(boolean prune) {
      this.prune = prune;
      return this;
    }

    public Builder decodeThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("decodeThreads must be >= 1");
      }
      this.decodeThreads = threads;
      return this;
    }

    /** Commit after this many written documents (default {@value #DEFAULT_COMMIT_EVERY}). */
    public Builder commitEvery(int documents) {
      if (documents < 1) {
        throw new IllegalArgumentException("commitEvery must be >= 1");
      }
      this.commitEvery = documents;
      return this;
    }

    /** ... or after this long (default 30 s). */
    public Builder commitInterval(Duration interval) {
      this.commitInterval = interval;
      return this;
    }

    public Builder listener(IndexingListener listener) {
      this.listener = listener;
      return this;
    }

    public IndexingJob build() {
      if (paths.isEmpty()) {
        throw new IllegalArgumentException("no paths to index");
      }
      return new IndexingJob(this);
    }
  }
}
