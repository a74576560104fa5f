package io.github.mobilenet.embeddings.dba;

import io.github.mobilenet.core.extract.Features;
import io.github.mobilenet.embeddings.search.Similarity;

/**
 * Database-side augmentation (DBA; Arandjelović &amp; Zisserman, CVPR 2012): every vector of a
 * collection is replaced by the L2-normalised sum of itself and its {@code n} nearest neighbours in
 * that collection. It needs no labels and no training, only the collection itself: each image's
 * vector moves towards the images around it, so a query that matches part of a group finds the rest
 * of it. Recomputed when the collection changes; a query from outside the collection is expanded
 * the same way against it ({@link #expandQuery}).
 */
public final class NeighbourExpansion {
  private NeighbourExpansion() {}

  /**
   * @param unit L2-normalised vectors (dot product = cosine)
   * @param neighbours how many nearest neighbours each vector is averaged with; 0 returns copies
   */
  public static float[][] augment(float[][] unit, int neighbours) {
    if (neighbours < 0) {
      throw new IllegalArgumentException("neighbours must be >= 0, got " + neighbours);
    }
    int n = unit.length;
    double[][] s = Similarity.DOT_PRODUCT.matrix(unit);
    float[][] out = new float[n][];
    for (int i = 0; i < n; i++) {
      int[] order = Similarity.rank(s[i], i);
      out[i] = sum(unit[i], unit, order, Math.min(neighbours, order.length));
    }
    return out;
  }

  /**
   * The scores an {@link io.github.mobilenet.embeddings.index.ImageIndex} with augmentation ranks
   * by, every vector against every other: {@code ownWeight} × cosine of the vectors + (1 − {@code
   * ownWeight}) × cosine of their augmented forms ({@link
   * io.github.mobilenet.embeddings.index.IndexConfig#AUGMENT_OWN_WEIGHT}).
   */
  public static double[][] scores(float[][] unit, int neighbours, double ownWeight) {
    double[][] own = Similarity.DOT_PRODUCT.matrix(unit);
    if (neighbours == 0) {
      return own;
    }
    double[][] augmented = Similarity.DOT_PRODUCT.matrix(augment(unit, neighbours));
    for (int i = 0; i < own.length; i++) {
      for (int j = 0; j < own.length; j++) {
        own[i][j] = ownWeight * own[i][j] + (1 - ownWeight) * augmented[i][j];
      }
    }
    return own;
  }

  /** An outside query expanded with its {@code neighbours} nearest vectors of {@code unit}. */
  public static float[] expandQuery(float[] query, float[][] unit, int neighbours) {
    double[] s = new double[unit.length];
    for (int i = 0; i < unit.length; i++) {
      s[i] = Similarity.dot(query, unit[i]);
    }
    int[] order = Similarity.rank(s, -1);
    return sum(query, unit, order, Math.min(neighbours, order.length));
  }

  private static float[] sum(float[] self, float[][] unit, int[] order, int count) {
    double[] acc = new double[self.length];
    for (int j = 0; j < acc.length; j++) {
      acc[j] = self[j];
    }
    for (int t = 0; t < count; t++) {
      float[] v = unit[order[t]];
      for (int j = 0; j < acc.length; j++) {
        acc[j] += v[j];
      }
    }
    float[] out = new float[acc.length];
    for (int j = 0; j < acc.length; j++) {
      out[j] = (float) acc[j];
    }
    return Features.l2Normalize(out);
  }
}
