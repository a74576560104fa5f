package io.github.mobilenet.core.util;

/**
 * Vector maths on {@code float[]}: the one home for the project's norms, dot products and
 * normalisation. Sums are taken in double precision in a fixed order, so results are reproducible
 * across runs and machines (Lucene's {@code VectorUtil} is faster but float-accumulated; the index
 * uses it where speed matters and exactness is restored by rescoring).
 */
public final class Vectors {
  private Vectors() {}

  /** Dot product with four double accumulators (lets the JIT pipeline the loop; order is fixed). */
  public static double dot(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("vector lengths differ: " + a.length + " vs " + b.length);
    }
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = 0;
    for (; i + 3 < a.length; i += 4) {
      s0 += (double) a[i] * b[i];
      s1 += (double) a[i + 1] * b[i + 1];
      s2 += (double) a[i + 2] * b[i + 2];
      s3 += (double) a[i + 3] * b[i + 3];
    }
    for (; i < a.length; i++) {
      s0 += (double) a[i] * b[i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /**
   * Cosine similarity {@code a·b / √(|a|²|b|²)} of two equal-length vectors; 0 when either is zero.
   */
  public static double cosine(float[] a, float[] b) {
    double dot = dot(a, b); // checks the lengths first
    double na = dot(a, a);
    double nb = dot(b, b);
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }

  /** Euclidean length, summed in double precision. */
  public static double norm(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    return Math.sqrt(sum);
  }

  /** A unit-length copy of {@code v} (a zero vector stays zero); {@code v} is not changed. */
  public static float[] l2Normalize(float[] v) {
    return l2NormalizeInPlace(v.clone());
  }

  /** Scales {@code v} to unit length in place (a zero vector stays zero) and returns it. */
  public static float[] l2NormalizeInPlace(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    if (sum > 0) {
      double inv = 1 / Math.sqrt(sum);
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (v[i] * inv);
      }
    }
    return v;
  }

  /** True when every component is finite and the length is 1 within {@code tolerance}. */
  public static boolean isUnit(float[] v, double tolerance) {
    double sum = 0;
    for (float x : v) {
      if (!Float.isFinite(x)) {
        return false;
      }
      sum += (double) x * x;
    }
    return Math.abs(Math.sqrt(sum) - 1) <= tolerance;
  }
}
