package io.github.mobilenet.demo.web;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body of at most {@code max} bytes without holding a thread while the client
 * sends: each chunk is taken as it arrives, and when none is there the reader asks to be called
 * back. A declared length above the limit is refused before anything is read; a body without a
 * length stops being read one chunk past the limit.
 */
final class BodyReader implements Runnable {
  private final Request request;
  private final long max;
  private final Consumer<byte[]> done;
  private final Consumer<Throwable> failed;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  private BodyReader(Request request, long max, Consumer<byte[]> done, Consumer<Throwable> failed) {
    this.request = request;
    this.max = max;
    this.done = done;
    this.failed = failed;
  }

  /**
   * Starts reading; exactly one of {@code done} and {@code failed} is called, on some Jetty thread.
   */
  static void read(Request request, long max, Consumer<byte[]> done, Consumer<Throwable> failed) {
    long declared = request.getLength();
    if (declared > max) {
      failed.accept(tooLarge(declared + " bytes", max));
      return;
    }
    new BodyReader(request, max, done, failed).run();
  }

  @Override
  public void run() {
    while (true) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        request.demand(this);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        failed.accept(chunk.getFailure());
        return;
      }
      ByteBuffer b = chunk.getByteBuffer();
      int n = b.remaining();
      if (bytes.size() + (long) n > max) {
        chunk.release();
        failed.accept(tooLarge("more than " + max + " bytes", max));
        return;
      }
      byte[] part = new byte[n];
      b.get(part);
      bytes.write(part, 0, n);
      boolean last = chunk.isLast();
      chunk.release();
      if (last) {
        done.accept(bytes.toByteArray());
        return;
      }
    }
  }

  static ApiError tooLarge(String what, long max) {
    return new ApiError(
        413,
        "upload of " + what + " exceeds the limit of " + max + " bytes (" + (max >> 20) + " MB)");
  }
}
