package io.github.mobilenet.embeddings.job;

import io.github.mobilenet.embeddings.EmbeddingsException;
import io.github.mobilenet.embeddings.EmbeddingsException.Reason;
import io.github.mobilenet.embeddings.index.ContentHash;
import io.github.mobilenet.embeddings.index.ImageDoc;
import io.github.mobilenet.embeddings.index.ImageIds;
import io.github.mobilenet.embeddings.index.ImageStore;
import io.github.mobilenet.embeddings.job.Ops.Delete;
import io.github.mobilenet.embeddings.job.Ops.End;
import io.github.mobilenet.embeddings.job.Ops.Failure;
import io.github.mobilenet.embeddings.job.Ops.Op;
import io.github.mobilenet.embeddings.job.Ops.Put;
import io.github.mobilenet.embeddings.job.Ops.Unchanged;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The single thread of an {@link IndexingJob} that writes to the index: takes operations from a
 * bounded queue, writes them, commits every {@code commitEvery} documents or {@code
 * commitInterval}, and counts what it did (read the counts after the thread has ended).
 */
final class JobWriter implements Runnable {
  private static final int QUEUE_CAPACITY = 256;

  private final ImageStore index;
  private final IndexingListener listener;
  private final int commitEvery;
  private final long commitIntervalNanos;
  private final BlockingQueue<Op> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final AtomicReference<Throwable> error = new AtomicReference<>();
  private final int total;
  private final long start;
  private int done;
  int indexed;
  int unchanged;
  int updated;
  int removed;
  int failed;
  int embedded;
  int retagged;
  int documents;
  private int uncommitted;
  private long lastCommit;

  JobWriter(
      ImageStore index,
      IndexingListener listener,
      int commitEvery,
      long commitIntervalNanos,
      int total,
      int documents,
      long start) {
    this.index = index;
    this.listener = listener;
    this.commitEvery = commitEvery;
    this.commitIntervalNanos = commitIntervalNanos;
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
      throw new EmbeddingsException(Reason.INTERRUPTED, index.folder(), "indexing interrupted", e);
    }
    rethrow();
  }

  /** Tells the thread to commit and end after what is queued (unless it has failed). */
  void finish() {
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

  /** Throws the writer's failure, keeping its reason (e.g. {@link Reason#DISK_FULL}). */
  void rethrow() {
    Throwable t = error.get();
    if (t != null) {
      Reason reason =
          t instanceof EmbeddingsException e ? e.reason() : EmbeddingsException.reasonOf(t);
      String what = t instanceof EmbeddingsException ? t.getMessage() : t.toString();
      throw new EmbeddingsException(
          reason,
          index.folder(),
          "indexing stopped: cannot write " + index.describe() + ": " + what,
          t);
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

  /**
   * Whether the file's size or modification time now differ from those it was planned with: read
   * after hashing, so that a write before or during the decode or the hash shows.
   */
  private static boolean changedSincePlanned(Put p) throws IOException {
    BasicFileAttributes now = Files.readAttributes(p.file(), BasicFileAttributes.class);
    return now.size() != p.size() || now.lastModifiedTime().toMillis() != p.modified();
  }

  private void apply(Op op) {
    switch (op) {
      case Unchanged u -> {
        unchanged++;
        fileDone();
      }
      case Put p -> {
        String content = p.content();
        if (content == null) {
          try {
            content = ContentHash.of(p.file());
            if (changedSincePlanned(p)) {
              // The decoded bytes may not be the hashed ones. The old document (if any) keeps
              // the old size and time, so the next run embeds the file again.
              apply(
                  new Failure(
                      new IndexingFailure(
                          p.key(),
                          IndexingFailure.Reason.CHANGED_WHILE_INDEXING,
                          p.file()
                              + ": changed while it was being indexed; the next run indexes it"),
                      true,
                      false));
              return;
            }
          } catch (IOException e) {
            apply(
                new Failure(
                    new IndexingFailure(
                        p.key(), IndexingFailure.Reason.IO_ERROR, p.file() + ": " + e),
                    true,
                    false));
            return;
          }
        }
        String id = p.id() != null ? p.id() : ImageIds.of(content, p.key());
        index.add(
            new ImageDoc(
                id, p.key(), p.size(), p.modified(), p.width(), p.height(), p.tags(), content),
            p.vector(),
            p.localFeatures());
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
        if (p.retagged()) {
          retagged++;
        }
        fileDone();
      }
      case Failure f -> {
        if (f.deleteStale()) {
          index.delete(f.failure().path());
          documents--;
          uncommitted++;
        }
        failed++;
        listener.failed(f.failure());
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
