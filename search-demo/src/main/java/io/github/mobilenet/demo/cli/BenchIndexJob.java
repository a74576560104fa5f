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

  /**
   * Returns {pipeline img/s, job img/s}, each the mean over two passes of every file.
   *
   * @param decodeThreads decode threads of both (the job's {@code --threads})
   */
  static double[] measure(
      List<Path> files, int threads, int decodeThreads, int batch, PrintStream out)
      throws IOException {
    IndexConfig config = IndexConfig.defaults();
    Path work = Files.createTempDirectory("bench-index-job");
    try (FeatureExtractor fx =
        IndexOptions.extractor(config, ModelProfile.mobileNetV2(), threads, batch)) {
      ImageEmbedder embedder = ImageEmbedder.wrap(fx, config);
      out.printf(
          "%n(i) index job vs its extraction pipeline: %d files, layer %s pooled by %s, format %s,"
              + " augment %d, %d decode threads, batch %d; ABBA order, two passes each%n",
          files.size(),
          config.layer(),
          config.embedding().pooling(),
          config.format().cliName(),
          config.augment(),
          decodeThreads,
          batch);
      fx.extractEach(
          files.subList(0, Math.min(64, files.size())).stream().map(ImageSource::of).iterator(),
          config.layer(),
          decodeThreads,
          r -> {}); // warm-up
      double pipeSeconds = 0;
      double jobSeconds = 0;
      long pipeCpu = 0;
      long jobCpu = 0;
      double augmentSeconds = 0;
      long writerCpu = 0;
      long augmentCpu = 0;
      int embedded = 0;
      int failed = 0;
      for (int round = 0; round < 2; round++) {
        for (int step = 0; step < 2; step++) {
          long cpu0 = BenchRounds.processCpuNanos();
          long t0 = System.nanoTime();
          if ((round + step) % 2 == 0) {
            fx.extractEach(
                files.stream().map(ImageSource::of).iterator(),
                config.layer(),
                decodeThreads,
                r -> {
                  if (r.ok()) {
                    embedder.toVector(r.features());
                  }
                });
            pipeSeconds += (System.nanoTime() - t0) / 1e9;
            pipeCpu += BenchRounds.processCpuNanos() - cpu0;
          } else {
            Path idx = work.resolve("index-" + round);
            IndexingSummary s;
            CpuListener cpu = new CpuListener();
            try (ImageIndex index = ImageIndex.openOrCreate(idx, config)) {
              s =
                  IndexingJob.builder(index, embedder)
                      .paths(files)
                      .decodeThreads(decodeThreads)
                      .listener(cpu)
                      .build()
                      .run();
            }
            writerCpu += cpu.writerNanos;
            augmentCpu += cpu.augmentNanos;
            jobSeconds += (System.nanoTime() - t0) / 1e9;
            jobCpu += BenchRounds.processCpuNanos() - cpu0;
            augmentSeconds += s.augmentSeconds();
            embedded += s.embedded();
            failed += s.failed();
            FileTrees.deleteRecursively(idx);
          }
        }
      }
      int n = files.size();
      double pipe = 2 * n / pipeSeconds;
      double job = 2 * n / jobSeconds;
      out.printf(
          "    extraction pipeline: %.1f img/s, CPU %.2f ms/img%n"
              + "    index job:           %.1f img/s, CPU %.2f ms/img (%d embedded, %d failed per"
              + " pass; augmentation pass %.2f s of %.2f s)%n"
              + "    the job's own CPU per image: writer thread (hash, HNSW insert, commits) %.2f ms,"
              + " augmentation pass %.2f ms%n"
              + "    index job / pipeline = %.3f by rate, %.3f by CPU per image%n",
          pipe,
          pipeCpu / 1e6 / (2.0 * n),
          job,
          jobCpu / 1e6 / (2.0 * n),
          embedded / 2,
          failed / 2,
          augmentSeconds / 2,
          jobSeconds / 2,
          writerCpu / 1e6 / (2.0 * n),
          augmentCpu / 1e6 / (2.0 * n),
          job / pipe,
          (double) pipeCpu / jobCpu);
      return new double[] {pipe, job};
    } finally {
      FileTrees.deleteRecursively(work);
    }
  }
}
