package io.github.mobilenet.local.features;

import java.util.Arrays;
import java.util.Objects;

/**
 * The keypoints and binary descriptors of one image, in compact arrays: keypoint {@code i} is at
 * ({@link #x(int)}, {@link #y(int)}) in the <em>original</em> image's pixel coordinates (pixel
 * centres at integers), whatever resolution it was extracted at; its 256-bit descriptor is the four
 * longs {@code descriptors()[4i .. 4i+3]}, so Hamming distances are four {@link Long#bitCount}s.
 *
 * <p>Features extracted from the horizontally mirrored image ({@link #mirrored()}) still report
 * keypoints in the original image's coordinates, so a homography found with them maps the original
 * image (mirrored) onto the other. A query may carry its mirrored companion ({@link #mirror()}),
 * which the {@code Verifier} tries as well: ORB descriptors are not mirror-invariant.
 *
 * <p>Size and angle are kept at half precision, as {@link LocalFeaturesCodec} stores them, so a
 * serialisation round trip gives equal features. Immutable (the arrays are copied in and never
 * handed out): thread-safe.
 */
public final class LocalFeatures {
  /** Bytes of one ORB descriptor (256 bits). */
  public static final int DESCRIPTOR_BYTES = 32;

  /** Longs per descriptor in {@link #descriptors()}. */
  public static final int DESCRIPTOR_LONGS = DESCRIPTOR_BYTES / Long.BYTES;

  private final int width;
  private final int height;
  private final float scale;
  private final boolean mirrored;
  private final float[] x;
  private final float[] y;
  private final float[] size;
  private final float[] angle;
  private final byte[] octave;
  private final long[] descriptors;
  private final LocalFeatures mirror;

  /**
   * @param width the original image's width in pixels
   * @param height the original image's height in pixels
   * @param scale original pixels per pixel of the image the features were extracted from (≥ 1 when
   *     the image was reduced): verification tolerances scale with it
   * @param mirrored whether the features come from the horizontally mirrored image
   * @param x keypoint x in original pixels
   * @param y keypoint y in original pixels
   * @param size keypoint diameter in original pixels (rounded to half precision)
   * @param angle keypoint orientation in degrees, 0..360, in the frame it was extracted in (rounded
   *     to half precision)
   * @param octave pyramid level each keypoint was found at
   * @param descriptors {@link #DESCRIPTOR_LONGS} longs per keypoint
   * @param mirror the mirrored image's features (for a query), or null
   * @throws IllegalArgumentException when array lengths disagree or values are impossible
   */
  public LocalFeatures(
      int width,
      int height,
      float scale,
      boolean mirrored,
      float[] x,
      float[] y,
      float[] size,
      float[] angle,
      byte[] octave,
      long[] descriptors,
      LocalFeatures mirror) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
    }
    if (!(scale > 0) || !Float.isFinite(scale)) {
      throw new IllegalArgumentException("scale must be positive and finite: " + scale);
    }
    int n = x.length;
    if (y.length != n || size.length != n || angle.length != n || octave.length != n) {
      throw new IllegalArgumentException(
          "keypoint arrays differ in length: x "
              + n
              + ", y "
              + y.length
              + ", size "
              + size.length
              + ", angle "
              + angle.length
              + ", octave "
              + octave.length);
    }
    if (descriptors.length != (long) n * DESCRIPTOR_LONGS) {
      throw new IllegalArgumentException(
          "expected " + n * DESCRIPTOR_LONGS + " descriptor longs, got " + descriptors.length);
    }
    for (int i = 0; i < n; i++) {
      if (!Float.isFinite(x[i]) || !Float.isFinite(y[i])) {
        throw new IllegalArgumentException("keypoint " + i + " has no finite position");
      }
    }
    if (mirror != null && (mirror.mirror != null || mirror.mirrored == mirrored)) {
      throw new IllegalArgumentException("a companion must be the other orientation, without one");
    }
    this.width = width;
    this.height = height;
    this.scale = scale;
    this.mirrored = mirrored;
    this.x = x.clone();
    this.y = y.clone();
    this.size = halves(size);
    this.angle = halves(angle);
    this.octave = octave.clone();
    this.descriptors = descriptors.clone();
    this.mirror = mirror;
  }

  private static float[] halves(float[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Float.float16ToFloat(Float.floatToFloat16(v[i]));
    }
    return out;
  }

  /** These features with {@code companion} (the other orientation of the same image) attached. */
  public LocalFeatures withMirror(LocalFeatures companion) {
    Objects.requireNonNull(companion, "companion");
    if (companion.width != width || companion.height != height) {
      throw new IllegalArgumentException(
          "companion is "
              + companion.width
              + "x"
              + companion.height
              + ", these features "
              + width
              + "x"
              + height);
    }
    return new LocalFeatures(
        width, height, scale, mirrored, x, y, size, angle, octave, descriptors, companion);
  }

  /** These features without a companion (what an index stores). */
  public LocalFeatures withoutMirror() {
    return mirror == null
        ? this
        : new LocalFeatures(
            width, height, scale, mirrored, x, y, size, angle, octave, descriptors, null);
  }

  /** Number of keypoints. */
  public int count() {
    return x.length;
  }

  /** The original image's width. */
  public int width() {
    return width;
  }

  /** The original image's height. */
  public int height() {
    return height;
  }

  /** Original pixels per extraction pixel. */
  public float scale() {
    return scale;
  }

  /** Whether these features were extracted from the horizontally mirrored image. */
  public boolean mirrored() {
    return mirrored;
  }

  /** Whether a mirrored companion is attached. */
  public boolean hasMirror() {
    return mirror != null;
  }

  /**
   * The companion of the other orientation.
   *
   * @throws IllegalStateException when there is none ({@link #hasMirror()})
   */
  public LocalFeatures mirror() {
    if (mirror == null) {
      throw new IllegalStateException("no mirrored companion attached");
    }
    return mirror;
  }

  /** Keypoint i's x in original pixels. */
  public float x(int i) {
    return x[i];
  }

  /** Keypoint i's y in original pixels. */
  public float y(int i) {
    return y[i];
  }

  /** Keypoint i's diameter in original pixels. */
  public float size(int i) {
    return size[i];
  }

  /** Keypoint i's angle in degrees. */
  public float angle(int i) {
    return angle[i];
  }

  /** Keypoint i's pyramid level. */
  public int octave(int i) {
    return octave[i];
  }

  /**
   * All descriptors, {@link #DESCRIPTOR_LONGS} longs per keypoint. The array itself, for fast
   * matching: callers must not modify it.
   */
  public long[] descriptors() {
    return descriptors;
  }

  // Package-private raw access for the codec (no copies).
  float[] xs() {
    return x;
  }

  float[] ys() {
    return y;
  }

  float[] sizes() {
    return size;
  }

  float[] angles() {
    return angle;
  }

  byte[] octaves() {
    return octave;
  }

  LocalFeatures mirrorOrNull() {
    return mirror;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LocalFeatures f
        && width == f.width
        && height == f.height
        && Float.compare(scale, f.scale) == 0
        && mirrored == f.mirrored
        && Arrays.equals(x, f.x)
        && Arrays.equals(y, f.y)
        && Arrays.equals(size, f.size)
        && Arrays.equals(angle, f.angle)
        && Arrays.equals(octave, f.octave)
        && Arrays.equals(descriptors, f.descriptors)
        && Objects.equals(mirror, f.mirror);
  }

  @Override
  public int hashCode() {
    return Objects.hash(width, height, count(), mirrored, Arrays.hashCode(descriptors));
  }

  @Override
  public String toString() {
    return "LocalFeatures["
        + count()
        + " keypoints, "
        + width
        + "x"
        + height
        + ", scale "
        + scale
        + (mirrored ? ", mirrored" : "")
        + (mirror != null ? ", with mirror" : "")
        + "]";
  }
}
