package io.github.mobilenet.core.extract;

import io.github.mobilenet.core.util.Vectors;
import java.util.Arrays;

/**
 * One image's output at one endpoint: a vector ({@code shape = [C]}) or a spatial map ({@code shape
 * = [C, H, W]}, channel-major as the network computes it). Immutable.
 */
public final class Features {
  /** Memory order of {@link #values()}. */
  public enum Layout {
    /** A plain vector. */
    C,
    /** Channel-major map: value (c, y, x) at {@code (c * H + y) * W + x}. */
    CHW
  }

  private final String layer;
  private final int[] shape;
  private final float[] values;

  /**
   * @param layer the endpoint name
   * @param shape {@code [C]} or {@code [C, H, W]}
   * @param values C or C·H·W values in {@link Layout} order; kept, not copied
   */
  public Features(String layer, int[] shape, float[] values) {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    if (shape.length != 1 && shape.length != 3) {
      throw new IllegalArgumentException(
          "shape must be [C] or [C, H, W]: " + Arrays.toString(shape));
    }
    if (n != values.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
    }
    this.layer = layer;
    this.shape = shape.clone();
    this.values = values;
  }

  /** The endpoint name these features came from (aliases resolved, e.g. layer_19 for layer_20). */
  public String layer() {
    return layer;
  }

  /** {@code [C]} for a vector, {@code [C, H, W]} for a spatial map; a copy. */
  public int[] shape() {
    return shape.clone();
  }

  /** Memory order of {@link #values()}. */
  public Layout layout() {
    return shape.length == 1 ? Layout.C : Layout.CHW;
  }

  /** True for a spatial map [C, H, W]. */
  public boolean isSpatial() {
    return shape.length == 3;
  }

  /** C. */
  public int channels() {
    return shape[0];
  }

  /** H of a spatial map; 1 for a vector. */
  public int height() {
    return isSpatial() ? shape[1] : 1;
  }

  /** W of a spatial map; 1 for a vector. */
  public int width() {
    return isSpatial() ? shape[2] : 1;
  }

  /** The raw values in {@link #layout()} order; a copy. */
  public float[] values() {
    return values.clone();
  }

  /** Number of values (C·H·W). */
  public int size() {
    return values.length;
  }

  /** Value at channel c, row y, column x of a spatial map. */
  public float get(int c, int y, int x) {
    if (!isSpatial()) {
      throw new IllegalStateException(layer + " is a vector; use get(c)");
    }
    return values[(c * shape[1] + y) * shape[2] + x];
  }

  /** Value {@code c} of a vector. */
  public float get(int c) {
    if (isSpatial()) {
      throw new IllegalStateException(layer + " is a spatial map; use get(c, y, x)");
    }
    return values[c];
  }

  /** A C-vector: pooled over all positions for a map; the values themselves for a vector. */
  public float[] pooled(Pooling pooling) {
    if (!isSpatial()) {
      return values.clone();
    }
    float[] out = new float[shape[0]];
    pooling.pool(values, 0, shape[0], shape[1] * shape[2], out);
    return out;
  }

  /** Average-pooled vector (for a vector: the values themselves). */
  public float[] vector() {
    return pooled(Pooling.AVG);
  }

  /** Flattened values, in layout order. */
  public float[] flatten() {
    return values.clone();
  }

  /** {@code v / ||v||₂}; a zero vector stays zero. */
  public static float[] l2Normalize(float[] v) {
    return Vectors.l2Normalize(v);
  }

  /** Cosine similarity of two equal-length vectors (0 when either is zero). */
  public static double cosine(float[] a, float[] b) {
    return Vectors.cosine(a, b);
  }

  @Override
  public String toString() {
    return "Features[" + layer + " " + Arrays.toString(shape) + "]";
  }
}
