package io.github.mobilenet.eval.learn;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.eig.SymmetricQRAlgorithmDecomposition_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;

/**
 * Eigen-decomposition of a real symmetric matrix by EJML's symmetric QR algorithm, with the order
 * and signs that PCA needs made explicit: EJML returns eigenpairs in no promised order and with an
 * arbitrary sign, so values are sorted descending (stable, so equal values keep EJML's order) and
 * each eigenvector is flipped so that its largest-magnitude component (the first, on ties) is
 * positive. The same matrix therefore always gives the same directions. Stateless and thread-safe
 * (each call makes its own EJML decomposition, whose exceptional shifts draw from a fixed seed).
 */
final class SymmetricEigen {
  /**
   * QR steps EJML may spend isolating one eigenvalue. Its default (225) gives up on covariances
   * whose spectrum falls steeply towards zero, as pooled CNN activations do (640 dimensions with
   * variances spanning e⁴⁰ needed 500); a step costs O(n), so a generous cap costs nothing when
   * unused.
   */
  static final int MAX_ITERATIONS = 2000;

  /** Eigenvalues in descending order and the matching unit eigenvectors ({@code vectors[i]}). */
  record Result(double[] values, double[][] vectors) {}

  private SymmetricEigen() {}

  static Result decompose(double[][] matrix) {
    int n = matrix.length;
    for (int i = 0; i < n; i++) {
      if (matrix[i].length != n) {
        throw new IllegalArgumentException(
            "matrix is not square: row " + i + " has " + matrix[i].length + " entries");
      }
    }
    return decompose(new DMatrixRMaj(matrix));
  }

  /** As {@link #decompose(double[][])}; {@code matrix} is left unchanged. */
  static Result decompose(DMatrixRMaj matrix) {
    int n = matrix.getNumRows();
    if (matrix.getNumCols() != n) {
      throw new IllegalArgumentException(
          "matrix is not square: " + n + " × " + matrix.getNumCols());
    }
    if (n == 0) {
      return new Result(new double[0], new double[0][]);
    }
    var eig =
        new SymmetricQRAlgorithmDecomposition_DDRM(DecompositionFactory_DDRM.tridiagonal(n), true);
    eig.setMaxIterations(MAX_ITERATIONS);
    DMatrixRMaj work = eig.inputModified() ? matrix.copy() : matrix;
    if (!eig.decompose(work)) {
      throw new ArithmeticException("eigen-decomposition of a " + n + " × " + n + " matrix failed");
    }
    double[] raw = new double[n];
    for (int i = 0; i < n; i++) {
      raw[i] = eig.getEigenvalue(i).real;
    }
    int[] order =
        IntStream.range(0, n)
            .boxed()
            .sorted(Comparator.comparingDouble((Integer i) -> raw[i]).reversed())
            .mapToInt(Integer::intValue)
            .toArray();
    double[] values = new double[n];
    double[][] vectors = new double[n][];
    for (int k = 0; k < n; k++) {
      values[k] = raw[order[k]];
      // A column vector: its data array is the n components in order.
      vectors[k] = withPositiveLargest(Arrays.copyOf(eig.getEigenVector(order[k]).data, n));
    }
    return new Result(values, vectors);
  }

  private static double[] withPositiveLargest(double[] v) {
    int largest = 0;
    for (int i = 1; i < v.length; i++) {
      if (Math.abs(v[i]) > Math.abs(v[largest])) {
        largest = i;
      }
    }
    if (v[largest] < 0) {
      for (int i = 0; i < v.length; i++) {
        v[i] = -v[i];
      }
    }
    return v;
  }
}
