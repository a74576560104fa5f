package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.util.FileTrees;
import io.github.mobilenet.embeddings.index.ImageDoc;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.index.IndexStats;
import io.github.mobilenet.embeddings.index.VectorFormat;
import io.github.mobilenet.embeddings.search.SearchHit;
import io.github.mobilenet.embeddings.search.SearchOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.util.VectorUtil;

/**
 * One {@code bench-index} table: per vector format, build throughput (add + commit on {@code
 * buildThreads} threads, then the merge to one segment), size on disk, peak RSS, single-threaded
 * search latency and recall@10 against a brute-force exact top 10 (multi-threaded, over a sample of
 * the queries).
 *
 * @param buildThreads threads adding vectors at once (each fills its own segment)
 * @param mergeThreads threads building a merged segment's graph ({@link
 *     ImageIndex.WriteSettings#mergeThreads()})
 * @param exactQueries how many of the queries get an exact top 10 and count towards recall
 * @param threads threads of the brute-force search
 * @param candidates approximate candidates per query to measure on each built index, one row each
 *     (0: the default for the format and the index's size, {@link VectorFormat#candidates(int,
 *     long)})
 */
record FormatBench(
    int buildThreads, int mergeThreads, int exactQueries, int threads, List<Integer> candidates) {
  private static final int K = 10;

  void table(
      PrintStream out,
      String title,
      List<float[]> docs,
      List<float[]> queries,
      List<VectorFormat> formats,
      IndexConfig config,
      Path work)
      throws IOException {
    int sample = Math.min(exactQueries, queries.size());
    long t = System.nanoTime();
    List<Set<Integer>> truth = bruteForce(docs, queries.subList(0, sample));
    out.printf(
        Locale.ROOT,
        "## %s%n%nExact top %d of %d queries by brute force on %d threads: %.1f s. Build: %d adding"
            + " thread(s), merge to one segment with %d graph thread(s). Peak RSS = VmHWM of this"
            + " JVM from the start of the build to the end of the searches; it includes the %.0f MiB"
            + " of input vectors the bench keeps on its heap.%n%n",
        title,
        K,
        sample,
        threads,
        (System.nanoTime() - t) / 1e9,
        buildThreads,
        mergeThreads,
        (docs.size() + queries.size()) * (double) docs.get(0).length * 4 / (1 << 20));
    out.println(
        "| format | candidates | build vec/s | merge s | recall@10 | p50 ms | p95 ms | p99 ms |"
            + " exact p50 ms | search bytes/vec | float bytes/vec | disk bytes/vec | index MiB |"
            + " peak RSS MiB |");
    out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (VectorFormat f : formats) {
      Path dir = work.resolve(f.cliName());
      FileTrees.deleteRecursively(dir);
      resetPeakRss();
      // no compound files; large buffers so each adding thread flushes as few segments as it can
      try (ImageIndex index =
          ImageIndex.openOrCreate(
              dir,
              config.withFormat(f).withAugment(0),
              new ImageIndex.WriteSettings(4096, false, mergeThreads))) {
        long t0 = System.nanoTime();
        addAll(index, docs);
        index.commit();
        double build = docs.size() / ((System.nanoTime() - t0) / 1e9);
        long t1 = System.nanoTime();
        index.forceMerge(1);
        index.commit();
        double merge = (System.nanoTime() - t1) / 1e9;
        index.refresh();
        int exactRuns = Math.min(docs.size() > 200_000 ? 10 : 50, queries.size());
        long[] exactNanos = new long[exactRuns];
        for (int i = 0; i < exactRuns; i++) {
          long s = System.nanoTime();
          index.search(queries.get(i), SearchOptions.top(K).exact(true));
          exactNanos[i] = System.nanoTime() - s;
        }
        Arrays.sort(exactNanos);
        IndexStats st = index.stats();
        for (int c : candidates) {
          SearchOptions options = SearchOptions.top(K).candidates(c);
          for (int i = 0; i < Math.min(100, queries.size()); i++) { // warm-up
            index.search(queries.get(i), options);
          }
          long[] nanos = new long[queries.size()];
          int found = 0;
          for (int i = 0; i < queries.size(); i++) {
            long s = System.nanoTime();
            List<SearchHit> hits = index.search(queries.get(i), options);
            nanos[i] = System.nanoTime() - s;
            if (i < sample) {
              Set<Integer> got = ids(hits);
              got.retainAll(truth.get(i));
              found += got.size();
            }
          }
          Arrays.sort(nanos);
          out.printf(
              Locale.ROOT,
              "| %s | %d | %.0f | %.1f | %.4f | %.2f | %.2f | %.2f | %.1f | %.0f | %.0f | %.0f | %.0f"
                  + " | %.0f |%n",
              f.cliName(),
              c == 0 ? f.candidates(K, docs.size()) : c,
              build,
              merge,
              found / (double) (K * sample),
              percentile(nanos, 0.50) / 1e6,
              percentile(nanos, 0.95) / 1e6,
              percentile(nanos, 0.99) / 1e6,
              percentile(exactNanos, 0.50) / 1e6,
              st.searchBytesPerVector(),
              (double) st.bytesByKind().getOrDefault("vectors_float", 0L) / st.documents(),
              (double) st.bytesOnDisk() / st.documents(),
              st.bytesOnDisk() / (double) (1 << 20),
              peakRssKib() / 1024.0);
          out.flush();
        }
      }
      FileTrees.deleteRecursively(dir);
    }
    out.println();
  }

  /** Adds docs[i] with id i, on {@code buildThreads} threads taking interleaved documents. */
  private void addAll(ImageIndex index, List<float[]> docs) throws IOException {
    if (buildThreads == 1) {
      for (int i = 0; i < docs.size(); i++) {
        add(index, docs, i);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(buildThreads);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < buildThreads; t++) {
        running.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement();
                      i < docs.size();
                      i = next.getAndIncrement()) {
                    add(index, docs, i);
                  }
                }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while adding", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException("adding failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static void add(ImageIndex index, List<float[]> docs, int i) {
    index.add(new ImageDoc(Integer.toString(i), "/v/" + i, 0, 0, 0, 0, Map.of()), docs.get(i));
  }

  /**
   * The ids (positions in {@code docs}) of each query's {@value #K} largest dot products; the
   * vectors are unit length, so these are the exact cosine neighbours.
   */
  List<Set<Integer>> bruteForce(List<float[]> docs, List<float[]> queries) throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Set<Integer>>> parts = new ArrayList<>();
      for (float[] q : queries) {
        parts.add(pool.submit(() -> topK(docs, q)));
      }
      List<Set<Integer>> out = new ArrayList<>();
      for (Future<Set<Integer>> p : parts) {
        out.add(p.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted during the exact search", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException("exact search failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static Set<Integer> topK(List<float[]> docs, float[] q) {
    float[] unit = q.clone();
    VectorUtil.l2normalize(unit);
    PriorityQueue<double[]> heap = new PriorityQueue<>((a, b) -> Double.compare(a[0], b[0]));
    for (int i = 0; i < docs.size(); i++) {
      double s = VectorUtil.dotProduct(unit, docs.get(i));
      if (heap.size() < K) {
        heap.add(new double[] {s, i});
      } else if (s > heap.peek()[0]) {
        heap.poll();
        heap.add(new double[] {s, i});
      }
    }
    Set<Integer> ids = new HashSet<>();
    heap.forEach(e -> ids.add((int) e[1]));
    return ids;
  }

  private static long percentile(long[] sorted, double p) {
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)];
  }

  static Set<Integer> ids(List<SearchHit> hits) {
    Set<Integer> s = new HashSet<>();
    hits.forEach(h -> s.add(Integer.parseInt(h.id())));
    return s;
  }

  /**
   * Starts a new peak-RSS window (Linux: writing 5 to clear_refs resets VmHWM); elsewhere nothing.
   */
  static void resetPeakRss() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (IOException | UnsupportedOperationException e) {
      // not Linux, or not allowed: the peak then covers the whole run
    }
  }

  /** VmHWM of this process in KiB (Linux), or -1. */
  static long peakRssKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return -1;
  }
}
