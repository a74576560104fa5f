package io.github.mobilenet.demo.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the pixels being decoded at once. A decode holds its full raster (a 100-megapixel photo
 * needs about half a gigabyte while it is decoded and reduced), so memory grows with the pixels in
 * flight, not with the number of requests. Each decode is charged its pixel count (an image larger
 * than the whole budget is charged the budget, so it runs alone); past the budget a request gets
 * 503 with {@code Retry-After} instead of pushing the process out of memory. Small photos cost
 * little, so the page's many thumbnails never crowd out an upload.
 *
 * <p>An upload never waits: a waiting request holds a pool thread, and threads blocked here would
 * starve the reads of other requests. A thumbnail or TIFF original (the page asks for many at once
 * and cannot retry) waits up to a bounded time first.
 *
 * <p>Thread-safe.
 */
final class DecodeGate {
  /** Seconds a refused client is told to wait before it tries again. */
  static final int RETRY_AFTER_SECONDS = 2;

  private final long budget;
  private final AtomicLong refused = new AtomicLong();
  private long inUse;
  private int running;

  /**
   * @param budget pixels that may be decoded at once
   */
  DecodeGate(long budget) {
    this.budget = budget;
  }

  /** A held share of the budget; closing it gives the share back. */
  interface Slot extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Takes {@code pixels} of the budget, waiting up to {@code wait} for them.
   *
   * @param what the work, for the refusal's message ("upload", "thumbnail")
   * @throws ApiError 503 with Retry-After when the pixels do not free up in time
   */
  Slot enter(String what, long pixels, Duration wait) {
    long charge = Math.max(1, Math.min(pixels, budget));
    if (!take(charge, System.nanoTime() + wait.toNanos())) {
      refused.incrementAndGet();
      throw new ApiError(
              503,
              what
                  + ": the server is busy decoding other images (at most "
                  + budget
                  + " pixels at once); try again in a few seconds")
          .header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
    }
    return () -> give(charge);
  }

  private synchronized boolean take(long charge, long deadline) {
    try {
      while (inUse + charge > budget) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        wait(Math.max(1, left / 1_000_000));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    inUse += charge;
    running++;
    return true;
  }

  private synchronized void give(long charge) {
    inUse -= charge;
    running--;
    notifyAll();
  }

  /** Counts for {@code /api/stats}. */
  synchronized Map<String, Object> stats() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("maxPixels", budget);
    m.put("pixels", inUse);
    m.put("running", running);
    m.put("refused", refused.get());
    return m;
  }
}
