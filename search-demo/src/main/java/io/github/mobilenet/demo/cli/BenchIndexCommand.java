package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.image.ImageFiles;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.util.FileTrees;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.ImageDoc;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.index.VectorFormat;
import io.github.mobilenet.embeddings.job.IndexingJob;
import io.github.mobilenet.embeddings.job.IndexingSummary;
import io.github.mobilenet.embeddings.search.SearchHit;
import io.github.mobilenet.embeddings.search.SearchOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench-index}: recall@10 and latency of approximate vs exact search per vector format,
 * build throughput and bytes per vector, on real flowers17 embeddings and on synthetic vectors;
 * plus end-to-end indexing throughput next to raw extraction in the same run. Prints a Markdown
 * table.
 */
@Command(
    name = "bench-index",
    sortOptions = false,
    description = {
      "Index recall, latency and size per vector format.",
      "Benchmarks the index (not a test). Synthetic vectors are clustered, non-negative and scaled"
          + " per dimension like the flowers17 embeddings (see docs/INDEX.md). Prints Markdown"
          + " tables."
    })
final class BenchIndexCommand extends CliCommand {
  @Option(
      names = "--flowers",
      paramLabel = "DIR",
      defaultValue = "../shared/datasets/flowers17",
      description = "Real images to embed (default: ${DEFAULT-VALUE}).")
  Path flowers;

  @Option(
      names = "--synthetic",
      paramLabel = "N",
      defaultValue = "100000",
      description = "Synthetic vectors, 0..10000000 (default: ${DEFAULT-VALUE}).")
  int synthetic;

  @Option(
      names = "--queries",
      paramLabel = "N",
      defaultValue = "1000",
      description = "Synthetic queries, 10..100000 (default: ${DEFAULT-VALUE}).")
  int queries;

  @Option(
      names = "--formats",
      paramLabel = "LIST",
      defaultValue = "float,int7,int4,bit",
      description = "Vector formats to compare (default: ${DEFAULT-VALUE}).")
  String formatList;

  @Option(
      names = "--work",
      paramLabel = "DIR",
      description = "Where to build the indexes (default: a temporary folder).")
  Path workDir;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Threads, 1..256 (default: the number of cores).")
  Integer threadsOption;

  @Option(names = "--skip-e2e", description = "Skip the end-to-end IndexingJob runs.")
  boolean skipE2e;

  @Option(
      names = "--clusters",
      paramLabel = "N",
      defaultValue = "1000",
      description = "Clusters of the synthetic vectors (default: ${DEFAULT-VALUE}).")
  int clusters;

  @Option(
      names = "--spread",
      paramLabel = "S",
      defaultValue = "0.5",
      description = "Spread of a cluster, in per-dimension deviations (default: ${DEFAULT-VALUE}).")
  double spread;

  @Option(
      names = "--augmented",
      paramLabel = "N",
      defaultValue = "20000",
      description =
          "Also time database-side augmentation (index default) on the first N synthetic vectors"
              + " (0 = skip; default: ${DEFAULT-VALUE}).")
  int augmentedOption;

  @Option(
      names = "--build-threads",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Threads adding vectors at once, 1..64; each fills its own segment (default:"
              + " ${DEFAULT-VALUE}).")
  int buildThreads;

  @Option(
      names = "--merge-threads",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Threads building the merged segment's HNSW graph, 1..64 (default: ${DEFAULT-VALUE}).")
  int mergeThreads;

  @Option(
      names = "--exact-queries",
      paramLabel = "N",
      defaultValue = "1000",
      description =
          "Queries whose exact top 10 (brute force on --threads) recall is measured against"
              + " (default: ${DEFAULT-VALUE}, at most --queries).")
  int exactQueries;

  @Option(
      names = "--candidates",
      paramLabel = "LIST",
      defaultValue = "0",
      description =
          "Approximate candidates per query to measure on each built index, one row each, e.g."
              + " 64,128,256 (0 = the format's default; default: ${DEFAULT-VALUE}).")
  String candidateList;

  private List<Integer> candidateCounts() throws UsageException {
    List<Integer> counts = new ArrayList<>();
    for (String c : candidateList.split(",")) {
      int n;
      try {
        n = Integer.parseInt(c.strip());
      } catch (NumberFormatException e) {
        throw new UsageException("--candidates: not a number: '" + c.strip() + "'");
      }
      counts.add(Check.range("--candidates", n, 0, 0, 10_000));
    }
    return counts;
  }

  @Override
  public Integer call() throws UsageException {
    PrintStream out = out();
    PrintStream err = err();
    int synthetic = Check.range("--synthetic", this.synthetic, 100_000, 0, 10_000_000);
    int queries = Check.range("--queries", this.queries, 1000, 10, 100_000);
    int threads =
        Check.range("--threads", threadsOption, Runtime.getRuntime().availableProcessors(), 1, 256);
    int clusters = Check.range("--clusters", this.clusters, 1000, 1, 1_000_000);
    int augmented = Check.range("--augmented", augmentedOption, 20_000, 0, 10_000_000);
    FormatBench bench =
        new FormatBench(
            Check.range("--build-threads", buildThreads, 1, 1, 64),
            Check.range("--merge-threads", mergeThreads, 1, 1, 64),
            Check.range("--exact-queries", exactQueries, 1000, 1, 100_000),
            threads,
            candidateCounts());
    List<VectorFormat> formats = new ArrayList<>();
    for (String f : formatList.split(",")) {
      try {
        formats.add(VectorFormat.parse(f.strip()));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--formats: " + e.getMessage());
      }
    }
    if (!Files.isDirectory(flowers)) {
      throw new UsageException("--flowers " + flowers + " is not a folder");
    }
    try {
      Path work =
          workDir != null
              ? Files.createDirectories(workDir)
              : Files.createTempDirectory("bench-index");
      IndexConfig config = IndexConfig.defaults();
      List<Path> files = ImageFiles.expand(List.of(flowers), p -> err.println("walk: " + p));
      out.println(
          "# bench-index ("
              + Runtime.getRuntime().availableProcessors()
              + " cores, "
              + threads
              + " threads, JDK "
              + Runtime.version()
              + ")\n");

      // ---- 1. raw extraction vs end-to-end indexing, same run, same files
      // --------------------------
      List<float[]> flowerVectors = new ArrayList<>();
      try (FeatureExtractor fx =
          IndexOptions.extractor(
              config,
              io.github.mobilenet.core.model.ModelProfile.mobileNetV2(),
              threads,
              FeatureExtractor.DEFAULT_MAX_BATCH)) {
        ImageEmbedder embedder = ImageEmbedder.wrap(fx, config);
        fx.extractEach(
            files.subList(0, Math.min(64, files.size())).stream().map(ImageSource::of).iterator(),
            config.layer(),
            threads,
            r -> {}); // warm-up: JIT, ONNX Runtime, page cache
        // ABBA order (raw, index, index, raw) so load from other processes and warm-up hit both
        // alike
        double rawSeconds = 0;
        double e2eSeconds = 0;
        IndexingSummary s = null;
        Path idx = work.resolve("e2e");
        for (int round = 0; round < 2; round++) {
          for (int step = 0; step < 2; step++) {
            boolean raw = (round + step) % 2 == 0;
            if (raw) {
              List<float[]> got = new ArrayList<>();
              long t0 = System.nanoTime();
              fx.extractEach(
                  files.stream().map(ImageSource::of).iterator(),
                  config.layer(),
                  threads,
                  r -> got.add(embedder.toVector(r.features())));
              rawSeconds += (System.nanoTime() - t0) / 1e9;
              if (flowerVectors.isEmpty()) {
                flowerVectors.addAll(got);
              }
            } else if (!skipE2e) {
              FileTrees.deleteRecursively(idx);
              long t1 = System.nanoTime();
              s = indexFlowers(idx, config, embedder, threads);
              e2eSeconds += (System.nanoTime() - t1) / 1e9;
            }
          }
        }
        int n = files.size();
        out.printf(
            Locale.ROOT,
            "## Throughput on %d flowers17 JPEGs (2 runs each, ABBA order)%n%n| pipeline | seconds per run | img/s |%n|---|---:|---:|%n",
            n);
        out.printf(
            Locale.ROOT,
            "| raw extraction (extractEach, default embedding, L2-normalised) | %.1f | %.1f |%n",
            rawSeconds / 2,
            2 * n / rawSeconds);
        if (s != null) {
          out.printf(
              Locale.ROOT,
              "| IndexingJob (walk, stat, embed, hash, HNSW insert, commit, augmentation pass) | %.1f | %.1f |%n",
              e2eSeconds / 2,
              2 * s.embedded() / e2eSeconds);
          out.printf(
              Locale.ROOT,
              "%nEnd-to-end keeps %.0f %% of raw extraction throughput (%d embedded, %d failed per run).%n",
              100 * rawSeconds / e2eSeconds,
              s.embedded(),
              s.failed());
          long t2 = System.nanoTime();
          s = indexFlowers(idx, config, embedder, threads);
          out.printf(
              Locale.ROOT,
              "Incremental re-run over the unchanged folder: %.2f s, %d embedded.%n%n",
              (System.nanoTime() - t2) / 1e9,
              s.embedded());
        }
      }

      out.flush();

      // ---- 2. flowers17 vectors: hold out 200 queries
      // ----------------------------------------------
      List<float[]> shuffled = new ArrayList<>(flowerVectors);
      java.util.Collections.shuffle(shuffled, new Random(17));
      int held = Math.min(200, shuffled.size() / 5);
      bench.table(
          out,
          "flowers17 embeddings ("
              + (shuffled.size() - held)
              + " indexed, "
              + held
              + " held-out queries)",
          shuffled.subList(held, shuffled.size()),
          shuffled.subList(0, held),
          formats,
          config,
          work.resolve("flowers"));

      // ---- 3. synthetic vectors
      // ---------------------------------------------------------------------
      if (synthetic > 0) {
        List<float[]> base =
            SyntheticVectors.like(flowerVectors, synthetic + queries, clusters, spread, 42);
        bench.table(
            out,
            synthetic
                + " synthetic 1280-d vectors, "
                + clusters
                + " clusters, spread "
                + spread
                + " ("
                + queries
                + " queries)",
            base.subList(0, synthetic),
            base.subList(synthetic, synthetic + queries),
            formats,
            config,
            work.resolve("synthetic"));
        if (augmented > 0) {
          int m = Math.min(augmented, synthetic);
          augmentTable(
              out,
              base.subList(0, m),
              base.subList(synthetic, synthetic + queries),
              config,
              work.resolve("augmented"));
        }
      }
      return ExitCode.OK;
    } catch (IOException e) {
      err.println("mobilenet bench-index: " + e);
      return ExitCode.SOME_FAILED;
    }
  }

  /** One IndexingJob run over --flowers into {@code idx} (created, or updated when it exists). */
  private IndexingSummary indexFlowers(
      Path idx, IndexConfig config, ImageEmbedder embedder, int threads) throws IOException {
    try (ImageIndex index = ImageIndex.openOrCreate(idx, config)) {
      return IndexingJob.builder(index, embedder)
          .paths(List.of(flowers))
          .decodeThreads(threads)
          .build()
          .run();
    }
  }

  /**
   * Database-side augmentation at scale: time of the pass over a fresh index and of an incremental
   * one (1 % newcomers), and search latency and recall@10 against the exact (augmented) ranking.
   */
  private static void augmentTable(
      PrintStream out, List<float[]> docs, List<float[]> queries, IndexConfig config, Path dir)
      throws IOException {
    int fresh = docs.size() - Math.max(1, docs.size() / 100);
    out.printf(
        Locale.ROOT,
        "## Database-side augmentation (augment %d, float): %d vectors, then %d more%n%n",
        config.augment(),
        fresh,
        docs.size() - fresh);
    FileTrees.deleteRecursively(dir);
    try (ImageIndex index =
        ImageIndex.openOrCreate(
            dir,
            config.withFormat(VectorFormat.FLOAT32),
            new ImageIndex.WriteSettings(4096, false))) {
      long t0 = System.nanoTime();
      for (int i = 0; i < fresh; i++) {
        index.add(new ImageDoc(Integer.toString(i), "/v/" + i, 0, 0, 0, 0, Map.of()), docs.get(i));
      }
      index.commit();
      double add = (System.nanoTime() - t0) / 1e9;
      long t1 = System.nanoTime();
      int first = index.augment();
      index.commit();
      double pass = (System.nanoTime() - t1) / 1e9;
      long t2 = System.nanoTime();
      for (int i = fresh; i < docs.size(); i++) {
        index.add(new ImageDoc(Integer.toString(i), "/v/" + i, 0, 0, 0, 0, Map.of()), docs.get(i));
      }
      int second = index.augment();
      index.commit();
      double incremental = (System.nanoTime() - t2) / 1e9;
      index.forceMerge(1);
      index.refresh();
      long[] nanos = new long[queries.size()];
      int found = 0;
      for (int i = 0; i < Math.min(100, queries.size()); i++) { // warm-up
        index.search(queries.get(i), SearchOptions.top(10));
      }
      int exactRuns = Math.min(100, queries.size());
      for (int i = 0; i < queries.size(); i++) {
        long s = System.nanoTime();
        List<SearchHit> hits = index.search(queries.get(i), SearchOptions.top(10));
        nanos[i] = System.nanoTime() - s;
        if (i < exactRuns) {
          Set<Integer> got = FormatBench.ids(hits);
          got.retainAll(
              FormatBench.ids(index.search(queries.get(i), SearchOptions.top(10).exact(true))));
          found += got.size();
        }
      }
      Arrays.sort(nanos);
      out.println("| step | images | seconds | images/s |");
      out.println("|---|---:|---:|---:|");
      out.printf(
          Locale.ROOT,
          "| add (HNSW insert of own vectors) | %d | %.1f | %.0f |%n",
          fresh,
          add,
          fresh / add);
      out.printf(
          Locale.ROOT,
          "| first augmentation pass (neighbours from the graph, doc-values update) | %d | %.1f | %.0f |%n",
          first,
          pass,
          first / pass);
      out.printf(
          Locale.ROOT,
          "| add %d newcomers + incremental pass | %d recomputed | %.2f | |%n",
          docs.size() - fresh,
          second,
          incremental);
      out.printf(
          Locale.ROOT,
          "%nSearch with augmentation: p50 %.2f ms, p99 %.2f ms, recall@10 %.4f against the exact augmented ranking (%d queries).%n%n",
          nanos[nanos.length / 2] / 1e6,
          nanos[(int) Math.min(nanos.length - 1, Math.ceil(nanos.length * 0.99) - 1)] / 1e6,
          found / (10.0 * exactRuns),
          exactRuns);
      out.flush();
    }
    FileTrees.deleteRecursively(dir);
  }
}
