package io.github.mobilenet.demo.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Timing for {@code bench}: alternating rounds of two pieces of work, their medians, and process
 * CPU time, so that load from other processes on a shared machine hits both sides alike. Not
 * thread-safe; one measurement at a time.
 */
final class BenchRounds {
  private static final int ROUNDS = 5;

  private BenchRounds() {}

  /** One unit of work that returns how many images it processed. */
  interface Work {
    int run() throws Exception;
  }

  /**
   * Runs x and y in alternating rounds of about a quarter second each (at least {@link #ROUNDS}
   * rounds; x first in even rounds, y first in odd ones), after a warm-up of each. Returns per
   * round: rate of x, rate of y, y/x, CPU ms per image of x and of y (process CPU time, all
   * threads), and CPU x/y. Medians over rounds resist bursts of load from other processes; CPU per
   * image barely moves with such load.
   */
  static double[][] alternate(double seconds, Work x, Work y) {
    int rounds =
        Math.max(
            ROUNDS, (int) Math.round(4 * seconds)); // ~0.25 s slices: load bursts hit both sides
    double slice = seconds / rounds;
    measure(x, Math.min(1, slice));
    measure(y, Math.min(1, slice));
    double[][] r = new double[6][rounds];
    for (int i = 0; i < rounds; i++) {
      double[] mx;
      double[] my;
      if (i % 2 == 0) {
        mx = measure(x, slice);
        my = measure(y, slice);
      } else {
        my = measure(y, slice);
        mx = measure(x, slice);
      }
      r[0][i] = mx[0];
      r[1][i] = my[0];
      r[2][i] = my[0] / mx[0];
      r[3][i] = mx[1];
      r[4][i] = my[1];
      r[5][i] = mx[1] / my[1];
    }
    return r;
  }

  /**
   * {images per second, process CPU ms per image} of {@code work} repeated for about {@code
   * seconds}.
   */
  static double[] measure(Work work, double seconds) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    long images = 0;
    try {
      do {
        images += work.run();
      } while (System.nanoTime() < end);
    } catch (Exception e) {
      throw new IllegalStateException("benchmark step failed: " + e, e);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    return new double[] {images / wall, (processCpuNanos() - cpu0) / 1e6 / images};
  }

  /**
   * {images per second, process CPU ms per image} of {@code works} each repeated on its own thread
   * for about {@code seconds}, all at once.
   */
  static double[] measureConcurrently(List<? extends Work> works, double seconds) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    java.util.concurrent.atomic.AtomicLong images = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicReference<Exception> failed =
        new java.util.concurrent.atomic.AtomicReference<>();
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    List<Thread> threads = new java.util.ArrayList<>();
    for (Work w : works) {
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      do {
                        images.addAndGet(w.run());
                      } while (System.nanoTime() < end && failed.get() == null);
                    } catch (Exception e) {
                      failed.compareAndSet(null, e);
                    }
                  }));
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while benchmarking", e);
      }
    }
    if (failed.get() != null) {
      throw new IllegalStateException("benchmark step failed: " + failed.get(), failed.get());
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    long n = Math.max(1, images.get());
    return new double[] {n / wall, (processCpuNanos() - cpu0) / 1e6 / n};
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return String.format(
          "%.2f",
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
