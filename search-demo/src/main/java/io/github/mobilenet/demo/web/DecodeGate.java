package io.github.mobilenet.demo.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds how many images are decoded at once. A decode holds the full raster (a 100-megapixel photo
 * needs several hundred MB while it is decoded and reduced), so memory grows with the number of
 * concurrent decodes, not with the number of requests; past the bound a request waits a little and
 * then gets 503 with {@code Retry-After}, instead of pushing the process out of memory.
 *
 * <p>Thread-safe.
 */
final class DecodeGate {
  /** Seconds a refused client is told to wait before it tries again. */
  static final int RETRY_AFTER_SECONDS = 2;

  private final Semaphore permits;
  private final int size;
  private final Duration wait;
  private final AtomicLong refused = new AtomicLong();

  /**
   * @param size decodes allowed at once
   * @param wait how long a request waits for a free slot before it is refused
   */
  DecodeGate(int size, Duration wait) {
    this.permits = new Semaphore(size, true);
    this.size = size;
    this.wait = wait;
  }

  /** A held slot; closing it frees the slot. */
  interface Slot extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Takes a slot, waiting up to the configured time.
   *
   * @param what the work, for the refusal's message ("upload", "thumbnail")
   * @throws ApiError 503 with Retry-After when no slot frees up in time
   */
  Slot enter(String what) {
    boolean got;
    try {
      got = permits.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      got = false;
    }
    if (!got) {
      refused.incrementAndGet();
      throw new ApiError(
              503,
              what
                  + ": the server is busy decoding "
                  + size
                  + (size == 1 ? " image" : " images")
                  + " already; try again in a few seconds")
          .header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
    }
    return permits::release;
  }

  /** Counts for {@code /api/stats}. */
  Map<String, Object> stats() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("maxConcurrent", size);
    m.put("running", size - permits.availablePermits());
    m.put("refused", refused.get());
    return m;
  }
}
