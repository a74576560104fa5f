package io.github.mobilenet.local.features;

import io.github.mobilenet.local.LocalFeaturesException;
import io.github.mobilenet.local.LocalFeaturesException.Reason;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The binary form of {@link LocalFeatures}, for an index's stored field or a file. Little-endian:
 *
 * <pre>
 * header (24 bytes): magic "MNLF", version u8 (= 1), flags u8 (bit 0 mirrored, bit 1 a mirrored
 *                    companion follows), reserved u16 (0), width i32, height i32, scale f32,
 *                    count i32
 * count × f32 x, count × f32 y, count × f16 size, count × f16 angle, count × u8 octave,
 * count × 32 bytes descriptor
 * [the companion, encoded the same way, when flag bit 1 is set]
 * </pre>
 *
 * 45 bytes per keypoint plus 24: 45 024 bytes for 1000 keypoints. Readers refuse newer versions
 * ({@link Reason#UNSUPPORTED_VERSION}) and damaged bytes ({@link Reason#CORRUPT_DATA}) with a
 * message naming the input. Stateless: thread-safe.
 */
public final class LocalFeaturesCodec {
  /** The format version this library writes. */
  public static final int VERSION = 1;

  /** Header bytes before the keypoints. */
  public static final int HEADER_BYTES = 24;

  /** Bytes per keypoint. */
  public static final int BYTES_PER_KEYPOINT = 4 + 4 + 2 + 2 + 1 + LocalFeatures.DESCRIPTOR_BYTES;

  /** More keypoints than any extractor here produces: a guard against absurd counts. */
  public static final int MAX_KEYPOINTS = 1 << 20;

  private static final int MAGIC = 'M' | 'N' << 8 | 'L' << 16 | 'F' << 24;
  private static final int FLAG_MIRRORED = 1;
  private static final int FLAG_COMPANION = 2;

  private LocalFeaturesCodec() {}

  /** Size of {@link #encode}'s result. */
  public static int encodedSize(LocalFeatures f) {
    int own = HEADER_BYTES + f.count() * BYTES_PER_KEYPOINT;
    return f.hasMirror() ? own + encodedSize(f.mirror()) : own;
  }

  /** The features (and their companion, if any) as bytes. */
  public static byte[] encode(LocalFeatures f) {
    ByteBuffer out = ByteBuffer.allocate(encodedSize(f)).order(ByteOrder.LITTLE_ENDIAN);
    write(f, out);
    return out.array();
  }

  private static void write(LocalFeatures f, ByteBuffer out) {
    int n = f.count();
    LocalFeatures companion = f.mirrorOrNull();
    out.putInt(MAGIC)
        .put((byte) VERSION)
        .put((byte) ((f.mirrored() ? FLAG_MIRRORED : 0) | (companion != null ? FLAG_COMPANION : 0)))
        .putShort((short) 0)
        .putInt(f.width())
        .putInt(f.height())
        .putFloat(f.scale())
        .putInt(n);
    for (float v : f.xs()) {
      out.putFloat(v);
    }
    for (float v : f.ys()) {
      out.putFloat(v);
    }
    for (float v : f.sizes()) {
      out.putShort(Float.floatToFloat16(v));
    }
    for (float v : f.angles()) {
      out.putShort(Float.floatToFloat16(v));
    }
    out.put(f.octaves());
    for (long d : f.descriptors()) {
      out.putLong(d);
    }
    if (companion != null) {
      write(companion, out);
    }
  }

  /**
   * Reads what {@link #encode} wrote.
   *
   * @param name names the bytes in error messages (an index document id, a file)
   * @throws LocalFeaturesException CORRUPT_DATA or UNSUPPORTED_VERSION
   */
  public static LocalFeatures decode(byte[] bytes, String name) {
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    try {
      LocalFeatures f = read(in, name, false);
      if (in.hasRemaining()) {
        throw corrupt(name, in.remaining() + " bytes after the features");
      }
      return f;
    } catch (BufferUnderflowException e) {
      throw corrupt(name, "truncated: " + bytes.length + " bytes end inside the features");
    } catch (IllegalArgumentException e) {
      throw new LocalFeaturesException(name, Reason.CORRUPT_DATA, e.getMessage(), e);
    }
  }

  private static LocalFeatures read(ByteBuffer in, String name, boolean nested) {
    if (in.remaining() < HEADER_BYTES) {
      throw corrupt(name, "only " + in.remaining() + " bytes, a header needs " + HEADER_BYTES);
    }
    if (in.getInt() != MAGIC) {
      throw corrupt(name, "no local-features signature");
    }
    int version = in.get() & 0xFF;
    if (version > VERSION) {
      throw new LocalFeaturesException(
          name,
          Reason.UNSUPPORTED_VERSION,
          "format version " + version + ", this library reads up to " + VERSION,
          null);
    }
    if (version == 0) {
      throw corrupt(name, "format version 0");
    }
    int flags = in.get() & 0xFF;
    in.getShort();
    int width = in.getInt();
    int height = in.getInt();
    float scale = in.getFloat();
    int n = in.getInt();
    if (n < 0 || n > MAX_KEYPOINTS) {
      throw corrupt(name, "keypoint count " + n);
    }
    if ((long) n * BYTES_PER_KEYPOINT > in.remaining()) {
      throw corrupt(
          name,
          n
              + " keypoints need "
              + (long) n * BYTES_PER_KEYPOINT
              + " bytes, "
              + in.remaining()
              + " left");
    }
    float[] x = new float[n];
    float[] y = new float[n];
    float[] size = new float[n];
    float[] angle = new float[n];
    byte[] octave = new byte[n];
    long[] desc = new long[n * LocalFeatures.DESCRIPTOR_LONGS];
    for (int i = 0; i < n; i++) {
      x[i] = in.getFloat();
    }
    for (int i = 0; i < n; i++) {
      y[i] = in.getFloat();
    }
    for (int i = 0; i < n; i++) {
      size[i] = Float.float16ToFloat(in.getShort());
    }
    for (int i = 0; i < n; i++) {
      angle[i] = Float.float16ToFloat(in.getShort());
    }
    in.get(octave);
    for (int i = 0; i < desc.length; i++) {
      desc[i] = in.getLong();
    }
    LocalFeatures companion = null;
    if ((flags & FLAG_COMPANION) != 0) {
      if (nested) {
        throw corrupt(name, "a companion inside a companion");
      }
      companion = read(in, name, true);
    }
    return new LocalFeatures(
        width,
        height,
        scale,
        (flags & FLAG_MIRRORED) != 0,
        x,
        y,
        size,
        angle,
        octave,
        desc,
        companion);
  }

  private static LocalFeaturesException corrupt(String name, String detail) {
    return new LocalFeaturesException(name, Reason.CORRUPT_DATA, detail, null);
  }
}
