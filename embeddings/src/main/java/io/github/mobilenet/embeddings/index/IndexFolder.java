package io.github.mobilenet.embeddings.index;

import io.github.mobilenet.embeddings.EmbeddingsException;
import io.github.mobilenet.embeddings.EmbeddingsException.Reason;
import io.github.mobilenet.embeddings.codec.ImageVectorsFormat;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * An image index's Lucene side: the directory, the configuration recorded in its commits, the
 * writer (when writable), the codec that writes our vectors, and the searchers that see it
 * (refreshed at most once a second, or on demand). Opening checks the configuration; every Lucene
 * {@link IOException} becomes an {@link EmbeddingsException} with a typed reason. Thread-safe.
 */
final class IndexFolder implements Closeable {
  private static final long REFRESH_NANOS = 1_000_000_000L;

  private final Path folder;
  private final Directory directory;
  private final IndexConfig config;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final ExecutorService mergeExecutor;
  private volatile long lastRefresh = System.nanoTime();

  private IndexFolder(
      Path folder,
      Directory directory,
      IndexConfig config,
      IndexWriter writer,
      ExecutorService mergeExecutor)
      throws IOException {
    this.folder = folder;
    this.directory = directory;
    this.config = config;
    this.writer = writer;
    this.mergeExecutor = mergeExecutor;
    this.searchers =
        writer != null
            ? new SearcherManager(writer, true, false, null)
            : new SearcherManager(directory, null);
  }

  Path folder() {
    return folder;
  }

  Directory directory() {
    return directory;
  }

  IndexConfig config() {
    return config;
  }

  /** The writer; null when read-only. */
  IndexWriter writer() {
    return writer;
  }

  // ---- opening ----------------------------------------------------------------------------------

  /** The configuration recorded in the latest commit of {@code dir}, empty without a commit. */
  static Optional<IndexConfig> readConfig(Directory dir, Path folder) throws IOException {
    try {
      return Optional.of(
          IndexConfig.fromUserData(
              SegmentInfos.readLatestCommit(dir).getUserData(), "index " + folder));
    } catch (IndexNotFoundException e) {
      return Optional.empty();
    } catch (IndexConfigMismatchException e) {
      throw new IndexConfigMismatchException(e.reason(), folder, e.getMessage());
    }
  }

  /**
   * Opens an existing index read-only; creates nothing (Lucene's {@link FSDirectory} would create a
   * missing folder, so it is only opened on a folder that exists).
   */
  static IndexFolder open(Path folder) {
    requireFolder(folder);
    Directory dir = null;
    try {
      dir = FSDirectory.open(folder);
      Optional<IndexConfig> cfg = readConfig(dir, folder);
      if (cfg.isEmpty()) {
        throw notFound(folder);
      }
      return new IndexFolder(folder, dir, cfg.get(), null, null);
    } catch (IOException e) {
      closeQuietly(dir);
      throw EmbeddingsException.io(folder, "cannot open", e);
    } catch (RuntimeException e) {
      closeQuietly(dir);
      throw e;
    }
  }

  /** Refuses a path that is not a folder, before anything could create it. */
  static void requireFolder(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw notFound(folder);
    }
  }

  /** There is no index at {@code folder}: says what is there instead. */
  private static EmbeddingsException notFound(Path folder) {
    Path parent = folder.toAbsolutePath().normalize().getParent();
    String inside =
        parent != null && holdsIndex(parent)
            ? " (it would be inside the index at " + parent + ")"
            : "";
    String what;
    if (Files.isRegularFile(folder)) {
      what = ": it is a file, not a folder" + inside.replace("would be", "is");
    } else if (!Files.exists(folder)) {
      what = ": the folder does not exist" + inside;
    } else {
      what = "";
    }
    return new EmbeddingsException(Reason.NOT_FOUND, folder, "no image index at " + folder + what);
  }

  /** Whether {@code dir} holds a Lucene commit (a {@code segments_N} file). */
  private static boolean holdsIndex(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (var files = Files.list(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().startsWith("segments_"));
    } catch (IOException e) {
      return false;
    }
  }

  /** Opens an index for writing, creating it (and the folder) when absent. */
  static IndexFolder openOrCreate(
      Path folder,
      IndexConfig config,
      ImageIndex.WriteSettings settings,
      UnaryOperator<Directory> wrap) {
    Directory dir = null;
    IndexWriter w = null;
    ExecutorService merges = null;
    try {
      Files.createDirectories(folder);
      dir = wrap.apply(FSDirectory.open(folder));
      Optional<IndexConfig> existing = readConfig(dir, folder);
      if (existing.isPresent()) {
        List<String> diff = existing.get().differences(config);
        if (!diff.isEmpty()) {
          throw mismatch(folder, diff);
        }
      } else if (DirectoryReader.indexExists(dir)) {
        throw new IndexConfigMismatchException(
            Reason.NOT_AN_INDEX,
            folder,
            folder + " holds a Lucene index that is not an image index");
      }
      if (settings.mergeThreads() > 1) {
        merges =
            Executors.newFixedThreadPool(
                settings.mergeThreads(),
                Thread.ofPlatform().daemon().name("hnsw-merge-", 0).factory());
      }
      IndexWriterConfig iwc =
          new IndexWriterConfig()
              .setCodec(codec(config.format(), settings.mergeThreads(), merges))
              .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
              .setRAMBufferSizeMB(settings.ramBufferMb())
              .setUseCompoundFile(settings.compoundFiles());
      if (!settings.compoundFiles()) {
        iwc.getMergePolicy().setNoCFSRatio(0);
      }
      w = new IndexWriter(dir, iwc);
      w.setLiveCommitData(config.toUserData().entrySet());
      if (existing.isEmpty()) {
        w.commit(); // an empty index already records its configuration
      }
      return new IndexFolder(folder, dir, config, w, merges);
    } catch (LockObtainFailedException e) {
      shutdown(merges);
      closeQuietly(dir);
      throw new EmbeddingsException(
          Reason.LOCKED,
          folder,
          "index " + folder + " is being written by another process (" + e.getMessage() + ")",
          e);
    } catch (IOException e) {
      closeQuietly(w);
      closeQuietly(dir);
      shutdown(merges);
      throw EmbeddingsException.io(folder, "cannot open for writing", e);
    } catch (RuntimeException e) {
      closeQuietly(w);
      closeQuietly(dir);
      shutdown(merges);
      throw e;
    }
  }

  static IndexConfigMismatchException mismatch(Path folder, List<String> diff) {
    return new IndexConfigMismatchException(folder, diff);
  }

  /**
   * The codec that writes {@code format}'s vectors. It carries the default codec's name: segments
   * record our vectors format by name (see {@link ImageVectorsFormat}), so the stock codec reads
   * them back. Merges build graphs on {@code mergeWorkers} threads of {@code mergeExecutor} (null:
   * the merging thread).
   */
  static Codec codec(VectorFormat format, int mergeWorkers, ExecutorService mergeExecutor) {
    Codec base = Codec.getDefault();
    KnnVectorsFormat vectors = format.luceneFormat(mergeWorkers, mergeExecutor);
    KnnVectorsFormat perField =
        new PerFieldKnnVectorsFormat() {
          @Override
          public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
            return vectors;
          }
        };
    return new FilterCodec(base.getName(), base) {
      @Override
      public KnnVectorsFormat knnVectorsFormat() {
        return perField;
      }
    };
  }

  // ---- searchers --------------------------------------------------------------------------------

  /** Makes searches see the latest changes now. */
  void refresh() {
    try {
      searchers.maybeRefreshBlocking();
      lastRefresh = System.nanoTime();
    } catch (IOException e) {
      throw EmbeddingsException.io(folder, "cannot refresh", e);
    }
  }

  /** What a caller does with a searcher. */
  @FunctionalInterface
  interface SearcherFunction<T> {
    T apply(IndexSearcher searcher) throws IOException;
  }

  /** Runs {@code f} on a current searcher (refreshed when older than a second). */
  <T> T withSearcher(SearcherFunction<T> f) {
    try {
      if (System.nanoTime() - lastRefresh > REFRESH_NANOS) {
        lastRefresh = System.nanoTime();
        searchers.maybeRefresh();
      }
      IndexSearcher s = searchers.acquire();
      try {
        return f.apply(s);
      } finally {
        searchers.release(s);
      }
    } catch (IOException e) {
      throw EmbeddingsException.io(folder, "cannot read", e);
    }
  }

  /** Commits pending changes (when writable) and releases the index. */
  @Override
  public void close() {
    IOException failure = null;
    for (Closeable c : new Closeable[] {searchers, writer, directory}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (IOException e) {
        if (failure == null) {
          failure = e; // the rest is still released
        }
      }
    }
    shutdown(mergeExecutor); // after the writer: its merges have finished
    if (failure != null) {
      throw EmbeddingsException.io(folder, "cannot close", failure);
    }
  }

  private static void shutdown(ExecutorService executor) {
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  static void closeQuietly(Closeable c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException | RuntimeException e) {
        // already failing; the first error is the one to report
      }
    }
  }
}
