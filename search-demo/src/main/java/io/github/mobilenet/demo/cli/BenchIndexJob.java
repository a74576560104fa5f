package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.core.util.FileTrees;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.job.IndexingJob;
import io.github.mobilenet.embeddings.job.IndexingListener;
import io.github.mobilenet.embeddings.job.IndexingProgress;
import io.github.mobilenet.embeddings.job.IndexingSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code bench} section (i): the {@code index} job ({@link IndexingJob} into a fresh temporary
 * index with the default configuration: walk, plan, embed, hash, HNSW insert, commits, augmentation
 * pass) against the extraction pipeline it runs ({@code extractEach} with the same embedding and
 * its conversion to the index vector) on the same files, in ABBA order.
 */
final class BenchIndexJob {
  private BenchIndexJob() {}

  /** Files of each warm-up job. */
  private static final int WARM_UP_FILES = 400;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /**
   * CPU time of the job's writer thread (read in the callbacks it makes itself: progress and
   * commits) and of the augmentation pass (on the calling thread, from its first progress report to
   * the job's end).
   */
  private static final class CpuListener implements IndexingListener {
    volatile long writerNanos;
    long augmentStart = -1;
    long augmentNanos;

    @Override
    public void progress(IndexingProgress progress) {
      writerNanos = THREADS.getCurrentThreadCpuTime();
    }

    @Override
    public void committed(int documents) {
      if (Thread.currentThread().getName().contains("writer")) {
        writerNanos = THREADS.getCurrentThreadCpuTime();
      }
    }

    @Override
    public void augmenting(int done, int total) {
      if (augmentStart < 0) {
        augmentStart = THREADS.getCurrentThreadCpuTime();
      }
    }

    @Override
    public void finished(IndexingSummary summary) {
      if (augmentStart >= 0) {
        augmentNanos = THREADS.getCurrentThreadCpuTime() - augmentStart;
      }
    }
  }

  /** What one variant measured over its passes. */
  private static final class Totals {
    double seconds;
    long cpu;
    long writerCpu;
    long augmentCpu;
    double augmentSeconds;
    int embedded;
    int failed;
    int passes;

    double rate(int n) {
      return passes * n / seconds;
    }

    double cpuMs(long nanos, int n) {
      return nanos / 1e6 / ((double) passes * n);
    }
  }

  /**
   * Returns {pipeline img/s, job img/s, job with local features img/s}, each the mean over two
   * passes of every file. The job is measured as the issue defines it, without the index's local
   * features; with them (the {@code index} default) it is measured separately, so that their cost
   * shows on its own.
   *
   * @param decodeThreads decode threads of all three (the job's {@code --threads})
   */
  static double[] measure(
      List<Path> files, int threads, int decodeThreads, int batch, PrintStream out)
      throws IOException {
    IndexConfig withLocal = IndexConfig.defaults().withLocalFeatures(true);
    IndexConfig config = withLocal.withLocalFeatures(false);
    Path work = Files.createTempDirectory("bench-index-job");
    try (FeatureExtractor fx =
        IndexOptions.extractor(config, ModelProfile.mobileNetV2(), threads, batch)) {
      ImageEmbedder embedder = ImageEmbedder.wrap(fx, config);
      ImageEmbedder embedderLocal = ImageEmbedder.wrap(fx, withLocal);
      out.printf(
          "%n(i) index job vs its extraction pipeline: %d files, layer %s pooled by %s, format %s,"
              + " augment %d, %d decode threads, batch %d; two passes each in the order P J L, L J P"
              + " (P pipeline, J job without local features, L job with them), after a warm-up"
              + " job of %d files per variant%n",
          files.size(),
          config.layer(),
          config.embedding().pooling(),
          config.format().cliName(),
          config.augment(),
          decodeThreads,
          batch,
          Math.min(WARM_UP_FILES, files.size()));
      fx.extractEach(
          files.subList(0, Math.min(64, files.size())).stream().map(ImageSource::of).iterator(),
          config.layer(),
          decodeThreads,
          r -> {}); // warm-up
      // The jobs' own code (Lucene's writer and HNSW insertion, the planner, the augmentation
      // pass) is compiled during its first pass; warm it up too, so both sides are measured in
      // steady state as a long job runs.
      List<Path> warmUp = files.subList(0, Math.min(WARM_UP_FILES, files.size()));
      for (IndexConfig c : new IndexConfig[] {config, withLocal}) {
        Path idx = work.resolve("warm-up");
        try (ImageIndex index = ImageIndex.openOrCreate(idx, c)) {
          IndexingJob.builder(index, c == config ? embedder : embedderLocal)
              .paths(warmUp)
              .decodeThreads(decodeThreads)
              .build()
              .run();
        }
        FileTrees.deleteRecursively(idx);
      }
      Totals pipe = new Totals();
      Totals job = new Totals();
      Totals local = new Totals();
      char[][] order = {{'P', 'J', 'L'}, {'L', 'J', 'P'}};
      for (char[] round : order) {
        for (char step : round) {
          long cpu0 = BenchRounds.processCpuNanos();
          long t0 = System.nanoTime();
          Totals t;
          if (step == 'P') {
            t = pipe;
            fx.extractEach(
                files.stream().map(ImageSource::of).iterator(),
                config.layer(),
                decodeThreads,
                r -> {
                  if (r.ok()) {
                    embedder.toVector(r.features());
                  }
                });
          } else {
            t = step == 'J' ? job : local;
            IndexConfig c = step == 'J' ? config : withLocal;
            Path idx = work.resolve("index-" + step + "-" + t.passes);
            IndexingSummary s;
            CpuListener cpu = new CpuListener();
            try (ImageIndex index = ImageIndex.openOrCreate(idx, c)) {
              s =
                  IndexingJob.builder(index, step == 'J' ? embedder : embedderLocal)
                      .paths(files)
                      .decodeThreads(decodeThreads)
                      .listener(cpu)
                      .build()
                      .run();
            }
            t.writerCpu += cpu.writerNanos;
            t.augmentCpu += cpu.augmentNanos;
            t.augmentSeconds += s.augmentSeconds();
            t.embedded += s.embedded();
            t.failed += s.failed();
            FileTrees.deleteRecursively(idx);
          }
          t.seconds += (System.nanoTime() - t0) / 1e9;
          t.cpu += BenchRounds.processCpuNanos() - cpu0;
          t.passes++;
        }
      }
      int n = files.size();
      out.printf(
          "    extraction pipeline: %.1f img/s, CPU %.2f ms/img%n",
          pipe.rate(n), pipe.cpuMs(pipe.cpu, n));
      for (Totals t : new Totals[] {job, local}) {
        out.printf(
            "    index job%s %.1f img/s, CPU %.2f ms/img (%d embedded, %d failed per pass;"
                + " augmentation pass %.2f s of %.2f s); its own CPU per image: writer thread"
                + " (hash, HNSW insert, commits) %.2f ms, augmentation pass %.2f ms%n",
            t == job ? ":                  " : " with local features:",
            t.rate(n),
            t.cpuMs(t.cpu, n),
            t.embedded / t.passes,
            t.failed / t.passes,
            t.augmentSeconds / t.passes,
            t.seconds / t.passes,
            t.cpuMs(t.writerCpu, n),
            t.cpuMs(t.augmentCpu, n));
      }
      out.printf(
          "    index job / pipeline = %.3f by rate, %.3f by CPU per image; local features cost"
              + " %.2f ms CPU per image more (job with / without them = %.3f by rate)%n",
          job.rate(n) / pipe.rate(n),
          (double) pipe.cpu / job.cpu,
          local.cpuMs(local.cpu, n) - job.cpuMs(job.cpu, n),
          local.rate(n) / job.rate(n));
      return new double[] {pipe.rate(n), job.rate(n), local.rate(n)};
    } finally {
      FileTrees.deleteRecursively(work);
    }
  }
}
