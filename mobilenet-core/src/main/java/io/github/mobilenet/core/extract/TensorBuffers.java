package io.github.mobilenet.core.extract;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A pool of direct, native-order float buffers for input tensors. ONNX Runtime reads such buffers
 * without copying, and reusing them spares an allocation of a batch-sized native block per call.
 *
 * <p>Thread-safe: each borrowed buffer belongs to its borrower until it is given back.
 */
final class TensorBuffers {
  private final ConcurrentLinkedQueue<FloatBuffer> free = new ConcurrentLinkedQueue<>();

  /** A buffer whose limit is exactly {@code floats} floats, positioned at 0. */
  FloatBuffer borrow(int floats) {
    FloatBuffer b = free.poll();
    // A too-small buffer is dropped, so the pool converges to the largest batch.
    if (b == null || b.capacity() < floats) {
      b =
          ByteBuffer.allocateDirect(floats * Float.BYTES)
              .order(ByteOrder.nativeOrder())
              .asFloatBuffer();
    }
    b.clear().limit(floats);
    return b;
  }

  /** Returns a borrowed buffer for reuse; the caller must not touch it afterwards. */
  void giveBack(FloatBuffer b) {
    free.offer(b);
  }

  /** Drops the pooled buffers, leaving their native memory to the garbage collector. */
  void clear() {
    free.clear();
  }
}
