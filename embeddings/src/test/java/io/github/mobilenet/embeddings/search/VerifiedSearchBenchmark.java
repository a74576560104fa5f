package io.github.mobilenet.embeddings.search;

import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.ImageIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * In-process latency of image queries with and without verification (a test-scope main, not a
 * test): {@code VerifiedSearchBenchmark INDEX FOLDER N DEPTH}. Takes N images spread over FOLDER as
 * queries, warms up, then runs each query at depth 0 and DEPTH alternately and prints p50/p95 of
 * the whole {@code search(embedder, image, options)} call (decode, embedding, ORB, kNN,
 * verification).
 */
public final class VerifiedSearchBenchmark {
  private VerifiedSearchBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path idx = Path.of(args[0]);
    List<Path> files;
    try (var s = Files.list(Path.of(args[1]))) {
      files = s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
    }
    int n = Integer.parseInt(args[2]);
    int depth = Integer.parseInt(args[3]);
    List<Path> queries = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      queries.add(files.get(i * files.size() / n));
    }
    try (ImageIndex index = ImageIndex.open(idx);
        ImageEmbedder embedder = ImageEmbedder.open(index.config())) {
      for (int i = 0; i < 5; i++) { // warm-up: model, OpenCV, JIT
        index.search(embedder, ImageSource.of(queries.get(i)), SearchOptions.top(10).verify(depth));
        index.search(embedder, ImageSource.of(queries.get(i)), SearchOptions.top(10).verify(0));
      }
      double[] plain = new double[n];
      double[] verified = new double[n];
      int first = 0;
      var os =
          (com.sun.management.OperatingSystemMXBean)
              java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      long cpuPlain = 0;
      long cpuVerified = 0;
      for (int i = 0; i < n; i++) {
        ImageSource q = ImageSource.of(queries.get(i));
        long c0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        index.search(embedder, q, SearchOptions.top(10).verify(0));
        long t1 = System.nanoTime();
        long c1 = os.getProcessCpuTime();
        List<SearchHit> hits = index.search(embedder, q, SearchOptions.top(10).verify(depth));
        long t2 = System.nanoTime();
        cpuPlain += c1 - c0;
        cpuVerified += os.getProcessCpuTime() - c1;
        plain[i] = (t1 - t0) / 1e6;
        verified[i] = (t2 - t1) / 1e6;
        if (hits.get(0).path().equals(queries.get(i).toAbsolutePath().normalize().toString())) {
          first++;
        }
      }
      System.out.printf(
          "queries %d  verify 0: p50 %.1f ms p95 %.1f ms  verify %d: p50 %.1f ms p95 %.1f ms"
              + "  (itself first: %d)%n  mean CPU per query: verify 0 %.1f ms, verify %d %.1f ms%n",
          n,
          pct(plain, 50),
          pct(plain, 95),
          depth,
          pct(verified, 50),
          pct(verified, 95),
          first,
          cpuPlain / 1e6 / n,
          depth,
          cpuVerified / 1e6 / n);
    }
  }

  private static double pct(double[] v, int p) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
  }
}
