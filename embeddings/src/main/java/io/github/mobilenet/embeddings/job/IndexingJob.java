package io.github.mobilenet.embeddings.job;

import io.github.mobilenet.core.MobileNetException;
import io.github.mobilenet.core.extract.ExtractionResult;
import io.github.mobilenet.core.image.ImageDecodeException;
import io.github.mobilenet.core.image.ImageFiles;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.ContentHash;
import io.github.mobilenet.embeddings.index.ImageDoc;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.index.Tags;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Indexes image files into an {@link ImageIndex}: walks folders, skips what is already indexed,
 * embeds the rest and writes them, committing periodically.
 *
 * <pre>{@code
 * try (ImageIndex index = ImageIndex.openOrCreate(Path.of("photos.idx"), IndexConfig.defaults());
 *      ImageEmbedder embedder = ImageEmbedder.open(index.config())) {
 *   IndexingSummary s = IndexingJob.builder(index, embedder).paths(List.of(Path.of("photos"))).prune(true).build().run();
 * }
 * }</pre>
 *
 * <p>Pipeline: the calling thread walks and plans (a file whose path, size and modification time
 * match its document is unchanged; one whose content hash matches an indexed image reuses that
 * vector), decoding runs on {@code decodeThreads} threads a bounded window ahead of batched
 * inference ({@link io.github.mobilenet.core.extract.FeatureExtractor#extractEach}), and one writer
 * thread hashes, writes and commits behind a bounded queue. Memory stays bounded whatever the
 * number of files.
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

  private static final int QUEUE_CAPACITY = 256;

  private final ImageIndex index;
  private final ImageEmbedder embedder;
  private final List<Path> paths;
  private final Tags tags;
  private final boolean prune;
  private final int decodeThreads;
  private final int commitEvery;
  private final long commitIntervalNanos;
  private final IndexingListener listener;

  private IndexingJob(Builder b) {
    this.index = b.index;
    this.embedder = b.embedder;
    this.paths = List.copyOf(b.paths);
    this.tags = b.tags;
    this.prune = b.prune;
    this.decodeThreads = b.decodeThreads;
    this.commitEvery = b.commitEvery;
    this.commitIntervalNanos = b.commitInterval.toNanos();
    this.listener = b.listener;
  }

  public static Builder builder(ImageIndex index, ImageEmbedder embedder) {
    return new Builder(index, embedder);
  }

  // ---- queue operations, consumed by the writer thread
  // -------------------------------------------

  private enum Outcome {
    INDEXED,
    UPDATED,
    UNCHANGED
  }

  private sealed interface Op {}

  /** Write a document; {@code id} null means: hash {@code file} first. */
  private record Put(
      String id,
      String key,
      Path file,
      long size,
      long modified,
      int width,
      int height,
      Map<String, List<String>> tags,
      float[] vector,
      boolean embedded,
      Outcome outcome)
      implements Op {}

  private record Unchanged() implements Op {}

  private record Failure(
      String path, String reason, String message, boolean isFile, boolean deleteStale)
      implements Op {}

  private record Delete(String key) implements Op {}

  private record End() implements Op {}

  /** What the planner knows about a file sent to the extractor. */
  private record Pending(
      String key,
      Path file,
      long size,
      long modified,
      String id,
      Map<String, List<String>> tags,
      boolean existed) {}

  /**
   * Runs the job to the end.
   *
   * @throws MobileNetException when the index cannot be written (the index keeps its last commit)
   */
  public IndexingSummary run() {
    if (!index.writable()) {
      throw new IllegalStateException("index " + index.folder() + " is open read-only");
    }
    index.requireCompatible(embedder.config());
    long start = System.nanoTime();

    List<String> walkProblems = new ArrayList<>();
    List<Path> files = ImageFiles.expand(paths, walkProblems::add);

    index.refresh(); // plan against everything written so far
    Map<String, ImageDoc> byPath = new HashMap<>();
    Map<String, String> pathById = new HashMap<>();
    Set<Long> sizes = new HashSet<>();
    index.forEach(
        d -> {
          byPath.put(d.path(), d);
          pathById.merge(d.id(), d.path(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
          sizes.add(d.size());
        });

    listener.started(files.size());
    Writer writer = new Writer(files.size(), byPath.size(), start);
    Thread writerThread = new Thread(writer, "mobilenet-index-writer");
    writerThread.setDaemon(true);
    writerThread.start();
    boolean completed = false;
    try {
      for (String problem : walkProblems) {
        writer.put(
            new Failure(
                problem.contains(": ") ? problem.substring(0, problem.indexOf(": ")) : problem,
                "walk_error",
                problem,
                false,
                false));
      }
      Set<String> seen = new HashSet<>();
      Map<ImageSource, Pending> pending = new IdentityHashMap<>();
      Iterator<ImageSource> plan =
          new Iterator<>() {
            private int next;
            private ImageSource ready;

            @Override
            public boolean hasNext() {
              while (ready == null && next < files.size()) {
                ready = consider(files.get(next++), byPath, pathById, sizes, seen, pending, writer);
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
      embedder
          .extractor()
          .extractEach(
              plan,
              embedder.config().layer(),
              decodeThreads,
              r -> embedded(r, pending.remove(r.source()), writer));

      if (prune) {
        boolean rootsOk = paths.stream().allMatch(Files::exists);
        if (!walkProblems.isEmpty() || !rootsOk) {
          listener.notice(
              "prune skipped: "
                  + (rootsOk ? "some folders could not be walked" : "a PATH does not exist")
                  + ", so missing files cannot be told from unreadable ones");
        } else {
          List<String> roots =
              paths.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList();
          for (String key : byPath.keySet()) {
            if (!seen.contains(key)
                && roots.stream()
                    .anyMatch(
                        r ->
                            key.equals(r)
                                || key.startsWith(
                                    r.endsWith(File.separator) ? r : r + File.separator))) {
              writer.put(new Delete(key));
            }
          }
        }
      }
      completed = true;
    } finally {
      writer.finish(completed);
      try {
        writerThread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    writer.rethrow();
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
      throw new MobileNetException(
          "indexing stopped: cannot augment index "
              + index.folder()
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
            writer.documents);
    listener.finished(summary);
    return summary;
  }

  /**
   * Plans one file: returns it when it must be embedded, else queues what to do and returns null.
   */
  private ImageSource consider(
      Path f,
      Map<String, ImageDoc> byPath,
      Map<String, String> pathById,
      Set<Long> sizes,
      Set<String> seen,
      Map<ImageSource, Pending> pending,
      Writer writer) {
    String key = f.toAbsolutePath().normalize().toString();
    seen.add(key);
    ImageDoc old = byPath.get(key);
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(f, BasicFileAttributes.class);
    } catch (IOException e) {
      writer.put(
          new Failure(
              key,
              "io_error",
              f + ": " + (e instanceof NoSuchFileException ? "no such file" : e.toString()),
              true,
              false));
      return null;
    }
    long size = attrs.size();
    long modified = attrs.lastModifiedTime().toMillis();
    Map<String, List<String>> fileTags = Tags.copy(tags.forFile(f));
    if (old != null && old.size() == size && old.modified() == modified) {
      if (old.tags().equals(fileTags)) {
        writer.put(new Unchanged());
        return null;
      }
      Optional<float[]> v = index.vectorByPath(key);
      if (v.isPresent()) {
        writer.put(
            new Put(
                old.id(),
                key,
                f,
                size,
                modified,
                old.width(),
                old.height(),
                fileTags,
                v.get(),
                false,
                Outcome.UNCHANGED));
        return null;
      }
    }
    String id = null;
    // A same-content document may exist: hash now to reuse its vector. Only a regular file: a FIFO
    // or socket goes on to extraction, which refuses it unopened with a per-file error.
    if (attrs.isRegularFile() && (old != null || sizes.contains(size))) {
      try {
        id = ContentHash.of(f);
      } catch (IOException e) {
        writer.put(new Failure(key, "io_error", f + ": " + e, true, false));
        return null;
      }
      String same = old != null && old.id().equals(id) ? key : pathById.get(id);
      if (same != null) {
        Optional<float[]> v = index.vectorByPath(same);
        ImageDoc src = byPath.get(same);
        if (v.isPresent()) {
          Outcome o =
              old == null
                  ? Outcome.INDEXED
                  : old.id().equals(id) ? Outcome.UNCHANGED : Outcome.UPDATED;
          writer.put(
              new Put(
                  id,
                  key,
                  f,
                  size,
                  modified,
                  src.width(),
                  src.height(),
                  fileTags,
                  v.get(),
                  false,
                  o));
          return null;
        }
      }
    }
    ImageSource source = ImageSource.of(f);
    pending.put(source, new Pending(key, f, size, modified, id, fileTags, old != null));
    return source;
  }

  private void embedded(ExtractionResult r, Pending p, Writer writer) {
    if (!r.ok()) {
      String reason =
          r.error() instanceof ImageDecodeException d
              ? d.reason().name().toLowerCase(Locale.ROOT)
              : "error";
      writer.put(new Failure(p.key(), reason, r.error().getMessage(), true, p.existed()));
      return;
    }
    float[] v = embedder.toVector(r.features());
    writer.put(
        new Put(
            p.id(),
            p.key(),
            p.file(),
            p.size(),
            p.modified(),
            r.width(),
            r.height(),
            p.tags(),
            v,
            true,
            p.existed() ? Outcome.UPDATED : Outcome.INDEXED));
  }

  /** The single thread that writes to the index; counts are read after it ends. */
  private final class Writer implements Runnable {
    private final BlockingQueue<Op> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicReference<Throwable> error = new AtomicReference<>();
    private final int total;
    private final long start;
    private int done;
    private int indexed;
    private int unchanged;
    private int updated;
    private int removed;
    private int failed;
    private int embedded;
    private int documents;
    private int uncommitted;
    private long lastCommit;

    Writer(int total, int documents, long start) {
      this.total = total;
      this.documents = documents;
      this.start = start;
      this.lastCommit = System.nanoTime();
    }

    /**
     * Queues an operation, waiting while the queue is full; fails fast once the writer has failed.
     */
    void put(Op op) {
      try {
        while (!queue.offer(op, 100, TimeUnit.MILLISECONDS)) {
          rethrow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new MobileNetException("indexing interrupted", e);
      }
      rethrow();
    }

    void finish(boolean completed) {
      Op end = new End();
      while (error.get() == null) {
        try {
          if (queue.offer(end, 100, TimeUnit.MILLISECONDS)) {
            return;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          error.compareAndSet(null, e);
        }
      }
    }

    void rethrow() {
      Throwable t = error.get();
      if (t != null) {
        throw new MobileNetException(
            "indexing stopped: cannot write index " + index.folder() + ": " + t, t);
      }
    }

    @Override
    public void run() {
      try {
        for (Op op = queue.take(); !(op instanceof End); op = queue.take()) {
          apply(op);
          long now = System.nanoTime();
          if (uncommitted >= commitEvery
              || (uncommitted > 0 && now - lastCommit >= commitIntervalNanos)) {
            commit();
          }
        }
        commit();
      } catch (Throwable t) {
        error.set(t);
        queue.clear();
      }
    }

    private void apply(Op op) throws IOException {
      switch (op) {
        case Unchanged u -> {
          unchanged++;
          fileDone();
        }
        case Put p -> {
          String id = p.id();
          if (id == null) {
            try {
              id = ContentHash.of(p.file());
            } catch (IOException e) {
              apply(new Failure(p.key(), "io_error", p.file() + ": " + e, true, false));
              return;
            }
          }
          index.add(
              new ImageDoc(id, p.key(), p.size(), p.modified(), p.width(), p.height(), p.tags()),
              p.vector());
          uncommitted++;
          switch (p.outcome()) {
            case INDEXED -> {
              indexed++;
              documents++;
            }
            case UPDATED -> updated++;
            case UNCHANGED -> unchanged++;
          }
          if (p.embedded()) {
            embedded++;
          }
          fileDone();
        }
        case Failure f -> {
          if (f.deleteStale()) {
            index.delete(f.path());
            documents--;
            uncommitted++;
          }
          failed++;
          listener.failed(f.path(), f.reason(), f.message());
          if (f.isFile()) {
            fileDone();
          }
        }
        case Delete d -> {
          index.delete(d.key());
          removed++;
          documents--;
          uncommitted++;
        }
        case End e -> throw new IllegalStateException("unreachable");
      }
    }

    private void fileDone() {
      done++;
      listener.progress(
          new IndexingProgress(done, total, embedded, failed, System.nanoTime() - start));
    }

    private void commit() {
      index.commit();
      uncommitted = 0;
      lastCommit = System.nanoTime();
      listener.committed(documents);
    }
  }

  /** Job settings; only the index and embedder are required. */
  public static final class Builder {
    private final ImageIndex index;
    private final ImageEmbedder embedder;
    private List<Path> paths = List.of();
    private Tags tags = Tags.none();
    private boolean prune;
    private int decodeThreads = Runtime.getRuntime().availableProcessors();
    private int commitEvery = DEFAULT_COMMIT_EVERY;
    private Duration commitInterval = DEFAULT_COMMIT_INTERVAL;
    private IndexingListener listener = IndexingListener.NONE;

    private Builder(ImageIndex index, ImageEmbedder embedder) {
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

    public Builder tags(Tags tags) {
      this.tags = tags;
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
