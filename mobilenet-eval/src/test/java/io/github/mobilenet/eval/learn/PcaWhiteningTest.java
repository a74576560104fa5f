package io.github.mobilenet.eval.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.util.Vectors;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PcaWhiteningTest {
  @Test
  void eigenDecompositionReconstructsSymmetricMatrices() {
    for (int n : new int[] {1, 2, 3, 17, 60}) {
      Random r = new Random(n);
      double[][] a = new double[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j <= i; j++) {
          a[i][j] = a[j][i] = r.nextGaussian();
        }
      }
      SymmetricEigen.Result e = SymmetricEigen.decompose(a);
      for (int k = 0; k < n; k++) {
        if (k > 0) {
          assertTrue(e.values()[k - 1] >= e.values()[k], "descending");
        }
        double[] v = e.vectors()[k];
        for (int i = 0; i < n; i++) {
          double av = 0;
          for (int j = 0; j < n; j++) {
            av += a[i][j] * v[j];
          }
          assertEquals(e.values()[k] * v[i], av, 1e-10, "A v = λ v, n=" + n);
        }
        for (int m = 0; m < n; m++) {
          double dot = 0;
          for (int i = 0; i < n; i++) {
            dot += v[i] * e.vectors()[m][i];
          }
          assertEquals(k == m ? 1 : 0, dot, 1e-10, "orthonormal");
        }
      }
    }
  }

  @Test
  void eigenvaluesOfAKnownMatrix() {
    // [[2,1],[1,2]] has eigenvalues 3 and 1; a diagonal matrix keeps its diagonal, sorted.
    SymmetricEigen.Result e = SymmetricEigen.decompose(new double[][] {{2, 1}, {1, 2}});
    assertEquals(3, e.values()[0], 1e-14);
    assertEquals(1, e.values()[1], 1e-14);
    assertEquals(Math.abs(e.vectors()[0][0]), Math.abs(e.vectors()[0][1]), 1e-14);
    SymmetricEigen.Result d =
        SymmetricEigen.decompose(new double[][] {{1, 0, 0}, {0, 5, 0}, {0, 0, 3}});
    assertEquals(5, d.values()[0], 0);
    assertEquals(3, d.values()[1], 0);
    assertEquals(1, d.values()[2], 0);
  }

  /**
   * Whitened training data has identity covariance, in both the covariance (d ≤ n) and Gram (d > n)
   * branch.
   */
  @Test
  void whitenedTrainingDataHasIdentityCovariance() {
    check(200, 12, 8); // covariance branch
    check(15, 40, 10); // Gram branch: 15 vectors in 40 dimensions, rank 14
    PcaWhitening w = PcaWhitening.fit(correlated(15, 40, 1), 30);
    assertEquals(14, w.dimensions(), "never more directions than the data has");
  }

  private static void check(int n, int d, int dims) {
    checkWhitened(correlated(n, d, 3), dims, dims);
  }

  private static void checkWhitened(float[][] x, int dims, int expectedDims) {
    int n = x.length;
    int d = x[0].length;
    PcaWhitening w = PcaWhitening.fit(x, dims);
    assertEquals(expectedDims, w.dimensions());
    dims = expectedDims;
    double[][] cov = new double[dims][dims];
    double[] mean = new double[dims];
    float[][] y = new float[n][];
    for (int i = 0; i < n; i++) {
      y[i] = w.project(x[i]);
      for (int a = 0; a < dims; a++) {
        mean[a] += y[i][a] / n;
      }
    }
    for (float[] row : y) {
      for (int a = 0; a < dims; a++) {
        for (int b = 0; b < dims; b++) {
          cov[a][b] += (row[a] - mean[a]) * (row[b] - mean[b]) / n;
        }
      }
    }
    for (int a = 0; a < dims; a++) {
      assertEquals(0, mean[a], 1e-4);
      for (int b = 0; b < dims; b++) {
        assertEquals(a == b ? 1 : 0, cov[a][b], 1e-3, "cov[" + a + "][" + b + "]");
      }
    }
    double len = Math.pow(Vectors.norm(w.apply(x[0])), 2);
    assertEquals(1, len, 1e-5);
    assertThrows(IllegalArgumentException.class, () -> w.apply(new float[d + 1]));
  }

  /**
   * Covariance branch with rank 50 in 200 dimensions: exactly the 50 real directions are kept (the
   * hand-written QL this replaced gave up on such matrices: "did not converge").
   */
  @Test
  void rankDeficientTrainingDataKeepsItsRank() {
    checkWhitened(lowRank(400, 200, 50, 1e9, 5), 100, 50);
  }

  /**
   * Variances falling by e⁻² per direction, as in pooled CNN activations: EJML's default iteration
   * cap gives up on this covariance, {@link SymmetricEigen#MAX_ITERATIONS} does not.
   */
  @Test
  void steeplyFallingSpectrumConverges() {
    checkWhitened(lowRank(700, 640, 640, 32, 6), 8, 8);
  }

  @Test
  void eigenvectorSignsAndOrderAreFixed() {
    Random r = new Random(42);
    int n = 30;
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        a[i][j] = a[j][i] = r.nextGaussian();
      }
    }
    double[][] copy = new double[n][];
    for (int i = 0; i < n; i++) {
      copy[i] = a[i].clone();
    }
    SymmetricEigen.Result e = SymmetricEigen.decompose(a);
    for (double[] v : e.vectors()) {
      int largest = 0;
      for (int i = 1; i < n; i++) {
        if (Math.abs(v[i]) > Math.abs(v[largest])) {
          largest = i;
        }
      }
      assertTrue(v[largest] > 0, "largest component is positive");
    }
    SymmetricEigen.Result again = SymmetricEigen.decompose(a);
    assertArrayEquals(e.values(), again.values(), 0);
    for (int k = 0; k < n; k++) {
      assertArrayEquals(e.vectors()[k], again.vectors()[k], 0);
      assertArrayEquals(copy[k], a[k], 0, "input unchanged");
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> SymmetricEigen.decompose(new double[][] {{1, 2}, {3}}));
  }

  /**
   * {@code n} vectors in {@code d} dimensions spanned by {@code rank} random directions, direction
   * i with standard deviation e^(−i/decay).
   */
  private static float[][] lowRank(int n, int d, int rank, double decay, long seed) {
    Random r = new Random(seed);
    double[][] basis = new double[rank][d];
    for (double[] b : basis) {
      for (int j = 0; j < d; j++) {
        b[j] = r.nextGaussian();
      }
    }
    float[][] x = new float[n][d];
    for (float[] row : x) {
      double[] s = new double[d];
      for (int i = 0; i < rank; i++) {
        double g = r.nextGaussian() * Math.exp(-i / decay);
        for (int j = 0; j < d; j++) {
          s[j] += g * basis[i][j];
        }
      }
      for (int j = 0; j < d; j++) {
        row[j] = (float) s[j];
      }
    }
    return x;
  }

  /** Vectors with strongly unequal, correlated variances: x = A g + offset. */
  private static float[][] correlated(int n, int d, long seed) {
    Random r = new Random(seed);
    double[][] a = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        a[i][j] = r.nextGaussian() * (1 + 3.0 * j / d);
      }
    }
    float[][] x = new float[n][d];
    for (int k = 0; k < n; k++) {
      double[] g = new double[d];
      for (int j = 0; j < d; j++) {
        g[j] = r.nextGaussian();
      }
      for (int i = 0; i < d; i++) {
        double s = 2;
        for (int j = 0; j < d; j++) {
          s += a[i][j] * g[j];
        }
        x[k][i] = (float) s;
      }
    }
    return x;
  }
}
