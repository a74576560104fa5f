package io.github.mobilenet.embeddings.search;

import io.github.mobilenet.core.util.Vectors;
import java.util.Arrays;

/** How two vectors are scored for ranking; larger is more similar. Computed in double precision. */
public enum Similarity {
  /** {@code a · b}; equals the cosine for unit vectors. */
  DOT_PRODUCT,
  /** {@code a·b / (|a| |b|)}, 0 when either vector is zero. */
  COSINE,
  /** Negative squared Euclidean distance, so that nearer ranks higher. */
  EUCLIDEAN;

  public double score(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("vector lengths differ: " + a.length + " vs " + b.length);
    }
    return switch (this) {
      case DOT_PRODUCT -> dot(a, b);
      case COSINE -> {
        double na = dot(a, a);
        double nb = dot(b, b);
        yield na == 0 || nb == 0 ? 0 : dot(a, b) / Math.sqrt(na * nb);
      }
      case EUCLIDEAN -> {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
          double t = (double) a[i] - b[i];
          d += t * t;
        }
        yield -d;
      }
    };
  }

  /**
   * All pairwise scores of {@code rows}, a symmetric n×n matrix. Uses the dot-product identities
   * (cosine = a·b / √(|a|²|b|²), −|a−b|² = 2a·b − |a|² − |b|²), so the n²/2 inner loop is a dot
   * product.
   */
  public double[][] matrix(float[][] rows) {
    int n = rows.length;
    float[][] v = rows;
    double[] norms = new double[n];
    for (int i = 0; i < n; i++) {
      norms[i] = dot(v[i], v[i]);
    }
    double[][] s = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        double d = dot(v[i], v[j]);
        double score =
            switch (this) {
              case DOT_PRODUCT -> d;
              case COSINE ->
                  norms[i] == 0 || norms[j] == 0 ? 0 : d / Math.sqrt(norms[i] * norms[j]);
              case EUCLIDEAN -> 2 * d - norms[i] - norms[j];
            };
        s[i][j] = score;
        s[j][i] = score;
      }
    }
    return s;
  }

  /** Dot product in double precision: {@link Vectors#dot}. */
  public static double dot(float[] a, float[] b) {
    return Vectors.dot(a, b);
  }

  /**
   * The other items ordered by descending score, ties by ascending index; {@code self} is left out.
   */
  public static int[] rank(double[] scores, int self) {
    Integer[] order = new Integer[scores.length - (self >= 0 && self < scores.length ? 1 : 0)];
    int m = 0;
    for (int i = 0; i < scores.length; i++) {
      if (i != self) {
        order[m++] = i;
      }
    }
    Arrays.sort(
        order,
        (a, b) -> {
          int c = Double.compare(scores[b], scores[a]);
          return c != 0 ? c : Integer.compare(a, b);
        });
    int[] out = new int[order.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = order[i];
    }
    return out;
  }
}
