package io.github.mobilenet.demo.web;

import io.github.mobilenet.core.image.Drawing;
import io.github.mobilenet.core.image.ImageDecoder;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.image.JpegEncoder;
import io.github.mobilenet.core.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.imageio.ImageIO;

/**
 * JPEG thumbnails that fit a square box, made once per image and kept in a least-recently-used
 * cache bounded by bytes. Concurrent requests for the same image share one computation.
 */
final class Thumbnails {
  private final int box;
  private final long maxBytes;
  private final ImageDecoder decoder = new ImageDecoder();
  private final LinkedHashMap<String, byte[]> cache = new LinkedHashMap<>(64, 0.75f, true);
  private final ConcurrentHashMap<String, CompletableFuture<byte[]>> inFlight =
      new ConcurrentHashMap<>();
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private long cachedBytes;

  /**
   * @param box the longer side of a thumbnail, in pixels
   * @param maxBytes cache capacity; the least recently used thumbnails are dropped beyond it
   */
  Thumbnails(int box, long maxBytes) {
    this.box = box;
    this.maxBytes = maxBytes;
  }

  /** The thumbnail cached under {@code key}, or one that {@code make} makes (and is cached). */
  byte[] get(String key, Supplier<byte[]> make) {
    synchronized (cache) {
      byte[] hit = cache.get(key);
      if (hit != null) {
        hits.incrementAndGet();
        return hit;
      }
    }
    CompletableFuture<byte[]> mine = new CompletableFuture<>();
    CompletableFuture<byte[]> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      hits.incrementAndGet(); // made once, by the other request
      return join(running);
    }
    misses.incrementAndGet();
    try {
      byte[] made = make.get();
      put(key, made);
      mine.complete(made);
      return made;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(key, mine);
    }
  }

  private static byte[] join(CompletableFuture<byte[]> f) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void put(String key, byte[] value) {
    if (value.length > maxBytes) {
      return;
    }
    synchronized (cache) {
      byte[] old = cache.put(key, value);
      cachedBytes += value.length - (old == null ? 0 : old.length);
      for (Iterator<Map.Entry<String, byte[]>> it = cache.entrySet().iterator();
          cachedBytes > maxBytes && it.hasNext(); ) {
        cachedBytes -= it.next().getValue().length;
        it.remove();
      }
    }
  }

  /** Counts for {@code /api/stats}: entries, bytes, hits, misses. */
  Map<String, Object> stats() {
    synchronized (cache) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("cached", cache.size());
      m.put("bytes", cachedBytes);
      m.put("maxBytes", maxBytes);
      m.put("hits", hits.get());
      m.put("misses", misses.get());
      return m;
    }
  }

  /** Decodes (upright, reduced when large), scales to fit the box and encodes as JPEG. */
  byte[] make(ImageSource file) {
    RgbImage rgb = decoder.decode(file, 2 * box);
    return JpegEncoder.encode(scaleToFit(rgb.toBufferedImage(), box), 0.85f);
  }

  /**
   * Halves with bilinear filtering until within 2× of the target, then one last bilinear step: no
   * aliasing.
   */
  static BufferedImage scaleToFit(BufferedImage image, int box) {
    int w = image.getWidth();
    int h = image.getHeight();
    double scale = Math.min(1.0, (double) box / Math.max(w, h));
    int tw = Math.max(1, (int) Math.round(w * scale));
    int th = Math.max(1, (int) Math.round(h * scale));
    BufferedImage current = image;
    while (current.getWidth() >= 2 * tw && current.getHeight() >= 2 * th) {
      current = Drawing.scaled(current, current.getWidth() / 2, current.getHeight() / 2);
    }
    return current.getWidth() == tw && current.getHeight() == th
        ? current
        : Drawing.scaled(current, tw, th);
  }

  static byte[] png(BufferedImage image) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 << 10);
    try {
      ImageIO.write(image, "png", bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
