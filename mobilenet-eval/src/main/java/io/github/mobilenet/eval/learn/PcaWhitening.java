package io.github.mobilenet.eval.learn;

import io.github.mobilenet.eval.retrieval.Normalization;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * PCA-whitening learned from a set of vectors (Jégou &amp; Chum, ECCV 2012): centre on the training
 * mean, project on the top principal directions, divide each coordinate by the square root of its
 * variance, then L2-normalise. It decorrelates the channels and down-weights the directions that
 * vary most in the training data (typically "what every photo has"), which helps retrieval when it
 * is learned on data like the data searched. It must be learned on images that are not the ones
 * evaluated. The principal directions come from {@link SymmetricEigen} (EJML), with fixed signs, so
 * the same training set gives the same whitening. Immutable and thread-safe.
 */
public final class PcaWhitening {
  private final double[] mean;
  private final double[][] projection; // dims × d, rows already divided by √(λ + ε)

  private PcaWhitening(double[] mean, double[][] projection) {
    this.mean = mean;
    this.projection = projection;
  }

  /**
   * Learns a whitening to {@code dims} dimensions. Directions with (numerically) zero variance are
   * never kept, so the output may be shorter when the training set has fewer than {@code dims + 1}
   * vectors.
   *
   * @param train training vectors (normalised as they will be at search time)
   * @param dims output dimension, ≥ 1
   */
  public static PcaWhitening fit(float[][] train, int dims) {
    return fit(train, dims, 1);
  }

  /**
   * As {@link #fit(float[][], int)} with partial whitening: coordinate k is divided by
   * λₖ^(power/2), so power 1 whitens fully, 0.5 halves the equalisation (less noise amplification
   * from few training vectors) and 0 is plain PCA projection after centring.
   */
  public static PcaWhitening fit(float[][] train, int dims, double power) {
    if (!(power >= 0 && power <= 1)) {
      throw new IllegalArgumentException("power must be in [0, 1], got " + power);
    }
    int n = train.length;
    if (n < 2) {
      throw new IllegalArgumentException(
          "PCA-whitening needs at least 2 training vectors, got " + n);
    }
    if (dims < 1) {
      throw new IllegalArgumentException("dims must be >= 1, got " + dims);
    }
    double[] mean = Columns.mean(train);
    int d = mean.length;
    DMatrixRMaj x = new DMatrixRMaj(n, d);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        x.unsafe_set(i, j, train[i][j] - mean[j]);
      }
    }
    double[] values;
    double[][] directions;
    if (d <= n) {
      // Covariance C = XᵀX / n (d × d).
      DMatrixRMaj c = CommonOps_DDRM.multInner(x, null);
      CommonOps_DDRM.divide(c, n);
      SymmetricEigen.Result eig = SymmetricEigen.decompose(c);
      values = eig.values();
      directions = eig.vectors();
    } else {
      // Fewer vectors than dimensions: decompose the Gram matrix G = XXᵀ / n (n × n) instead. If
      // Gu = λu, then XᵀX/n (Xᵀu) = λ Xᵀu, so Xᵀu / √(nλ) is a unit eigenvector of the covariance.
      DMatrixRMaj g = CommonOps_DDRM.multOuter(x, null);
      CommonOps_DDRM.divide(g, n);
      SymmetricEigen.Result eig = SymmetricEigen.decompose(g);
      values = eig.values();
      // Only the directions that can be kept: rows u_k of U times X, then scaled.
      int wanted = Math.min(dims, n);
      DMatrixRMaj u = new DMatrixRMaj(wanted, n);
      for (int k = 0; k < wanted; k++) {
        System.arraycopy(eig.vectors()[k], 0, u.data, k * n, n);
      }
      DMatrixRMaj ux = CommonOps_DDRM.mult(u, x, null);
      directions = new double[wanted][];
      for (int k = 0; k < wanted; k++) {
        double f = values[k] > 0 ? 1 / Math.sqrt(n * values[k]) : 0;
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
          v[j] = f * ux.unsafe_get(k, j);
        }
        directions[k] = v;
      }
    }
    // Keep directions whose variance is clearly above rounding noise.
    double floor = Math.max(values[0], 0) * 1e-9;
    int keep = 0;
    while (keep < Math.min(dims, values.length) && values[keep] > floor) {
      keep++;
    }
    if (keep == 0) {
      throw new IllegalArgumentException("training vectors are all identical: nothing to whiten");
    }
    double[][] projection = new double[keep][];
    for (int k = 0; k < keep; k++) {
      double f = Math.pow(values[k], -power / 2);
      double[] row = directions[k].clone();
      for (int j = 0; j < d; j++) {
        row[j] *= f;
      }
      projection[k] = row;
    }
    return new PcaWhitening(mean, projection);
  }

  /** Output dimension. */
  public int dimensions() {
    return projection.length;
  }

  /** Input dimension. */
  public int inputDimensions() {
    return mean.length;
  }

  /** The whitened, L2-normalised vector. */
  public float[] apply(float[] v) {
    return Normalization.l2(project(v));
  }

  /** Whitened coordinates before normalisation (unit variance on the training set). */
  float[] project(float[] v) {
    if (v.length != mean.length) {
      throw new IllegalArgumentException(
          "vector has " + v.length + " dimensions, whitening expects " + mean.length);
    }
    double[] c = new double[v.length];
    for (int j = 0; j < v.length; j++) {
      c[j] = v[j] - mean[j];
    }
    float[] out = new float[projection.length];
    for (int k = 0; k < projection.length; k++) {
      double s = 0;
      double[] row = projection[k];
      for (int j = 0; j < c.length; j++) {
        s += row[j] * c[j];
      }
      out[k] = (float) s;
    }
    return out;
  }

  /** {@link #apply(float[])} of each row. */
  public float[][] apply(float[][] rows) {
    float[][] out = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = apply(rows[i]);
    }
    return out;
  }
}
