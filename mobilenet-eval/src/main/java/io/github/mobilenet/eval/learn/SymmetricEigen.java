package io.github.mobilenet.eval.learn;

/**
 * Eigen-decomposition of a real symmetric matrix: Householder reduction to tridiagonal form, then
 * the implicit QL algorithm with Wilkinson-style shifts, accumulating the orthogonal transforms.
 * O(n³); about a second for n = 1 000. Eigenvectors are kept as rows so every update walks memory
 * in order.
 */
final class SymmetricEigen {
  /** Eigenvalues in descending order and the matching unit eigenvectors ({@code vectors[i]}). */
  record Result(double[] values, double[][] vectors) {}

  private SymmetricEigen() {}

  static Result decompose(double[][] matrix) {
    int n = matrix.length;
    double[][] a = new double[n][];
    for (int i = 0; i < n; i++) {
      if (matrix[i].length != n) {
        throw new IllegalArgumentException(
            "matrix is not square: row " + i + " has " + matrix[i].length + " entries");
      }
      a[i] = matrix[i].clone();
    }
    double[][] qt = identity(n); // Qᵀ, with A = Q T Qᵀ
    double[] diag = new double[n];
    double[] off = new double[n]; // off[i] = T[i+1][i]
    tridiagonalize(a, qt, diag, off);
    ql(diag, off, qt);
    // Sort descending (selection sort on indices: n swaps of row references).
    for (int i = 0; i < n; i++) {
      int best = i;
      for (int j = i + 1; j < n; j++) {
        if (diag[j] > diag[best]) {
          best = j;
        }
      }
      if (best != i) {
        double t = diag[i];
        diag[i] = diag[best];
        diag[best] = t;
        double[] r = qt[i];
        qt[i] = qt[best];
        qt[best] = r;
      }
    }
    return new Result(diag, qt);
  }

  private static double[][] identity(int n) {
    double[][] m = new double[n][n];
    for (int i = 0; i < n; i++) {
      m[i][i] = 1;
    }
    return m;
  }

  /**
   * For k = 0 … n−3 a reflection H = I − 2vvᵀ zeroes column k below the subdiagonal: A ← HAH = A −
   * 2vqᵀ − 2qvᵀ with p = Av, q = p − (vᵀp)v; and Qᵀ ← HQᵀ.
   */
  private static void tridiagonalize(double[][] a, double[][] qt, double[] diag, double[] off) {
    int n = a.length;
    double[] v = new double[n];
    double[] p = new double[n];
    double[] w = new double[n];
    for (int k = 0; k < n - 2; k++) {
      double norm = 0;
      for (int i = k + 1; i < n; i++) {
        norm += a[i][k] * a[i][k];
      }
      norm = Math.sqrt(norm);
      if (norm == 0) {
        continue;
      }
      double alpha = a[k + 1][k] > 0 ? -norm : norm;
      java.util.Arrays.fill(v, 0);
      for (int i = k + 1; i < n; i++) {
        v[i] = a[i][k];
      }
      v[k + 1] -= alpha;
      double vn = 0;
      for (int i = k + 1; i < n; i++) {
        vn += v[i] * v[i];
      }
      if (vn == 0) {
        continue;
      }
      vn = Math.sqrt(vn);
      for (int i = k + 1; i < n; i++) {
        v[i] /= vn;
      }
      // The reflection acts on rows/columns k+1…n−1 and row/column k (whose sub-column becomes
      // alpha·e).
      double kk = 0;
      for (int i = k; i < n; i++) {
        double s = 0;
        double[] ai = a[i];
        for (int j = k + 1; j < n; j++) {
          s += ai[j] * v[j];
        }
        p[i] = s;
      }
      for (int i = k + 1; i < n; i++) {
        kk += v[i] * p[i];
      }
      for (int i = k; i < n; i++) {
        w[i] = p[i] - kk * v[i];
      }
      for (int i = k; i < n; i++) {
        double[] ai = a[i];
        double vi = v[i];
        double wi = w[i];
        for (int j = k; j < n; j++) {
          ai[j] -= 2 * (vi * w[j] + wi * v[j]);
        }
      }
      // Exact zeros where the reflection zeroed column/row k (rounding leaves dust).
      for (int i = k + 2; i < n; i++) {
        a[i][k] = 0;
        a[k][i] = 0;
      }
      // Qᵀ ← H Qᵀ: rows k+1…n−1 change by −2 v (vᵀQᵀ).
      int m = qt.length;
      double[] u = new double[m];
      for (int i = k + 1; i < n; i++) {
        double vi = v[i];
        double[] qi = qt[i];
        for (int j = 0; j < m; j++) {
          u[j] += vi * qi[j];
        }
      }
      for (int i = k + 1; i < n; i++) {
        double f = 2 * v[i];
        double[] qi = qt[i];
        for (int j = 0; j < m; j++) {
          qi[j] -= f * u[j];
        }
      }
    }
    for (int i = 0; i < n; i++) {
      diag[i] = a[i][i];
      off[i] = i + 1 < n ? a[i + 1][i] : 0;
    }
  }

  /**
   * Implicit QL on the tridiagonal (diag, off); rotations are applied to the rows of {@code zt}.
   */
  private static void ql(double[] d, double[] e, double[][] zt) {
    int n = d.length;
    double eps = Math.ulp(1.0);
    for (int l = 0; l < n; l++) {
      int iterations = 0;
      while (true) {
        int m = l;
        for (; m < n - 1; m++) {
          double dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
          if (Math.abs(e[m]) <= eps * dd) {
            break;
          }
        }
        if (m == l) {
          break;
        }
        if (++iterations > 60) {
          throw new ArithmeticException("eigen-decomposition did not converge");
        }
        double g = (d[l + 1] - d[l]) / (2 * e[l]);
        double r = Math.hypot(g, 1);
        g = d[m] - d[l] + e[l] / (g + Math.copySign(r, g));
        double s = 1;
        double c = 1;
        double p = 0;
        int i = m - 1;
        boolean deflated = false;
        for (; i >= l; i--) {
          double f = s * e[i];
          double b = c * e[i];
          r = Math.hypot(f, g);
          e[i + 1] = r;
          if (r == 0) {
            d[i + 1] -= p;
            e[m] = 0;
            deflated = true;
            break;
          }
          s = f / r;
          c = g / r;
          g = d[i + 1] - p;
          r = (d[i] - g) * s + 2 * c * b;
          p = s * r;
          d[i + 1] = g + p;
          g = c * r - b;
          double[] zi = zt[i];
          double[] zi1 = zt[i + 1];
          for (int k = 0; k < zi.length; k++) {
            double t = zi1[k];
            zi1[k] = s * zi[k] + c * t;
            zi[k] = c * zi[k] - s * t;
          }
        }
        if (deflated) {
          continue;
        }
        d[l] -= p;
        e[l] = g;
        e[m] = 0;
      }
    }
  }
}
