package io.github.mobilenet.eval.learn;

/**
 * Trains a multinomial logistic-regression (softmax) head on embeddings: the "retrain only the last
 * layer" recipe of transfer learning. Inputs are standardised per dimension (mean 0, variance 1 on
 * the training set; constant dimensions are dropped), then
 *
 * <pre>  minimise  (1/n) Σᵢ −log softmax(W xᵢ + b)[yᵢ]  +  (λ/2) ‖W‖²</pre>
 *
 * by full-batch L-BFGS from zero weights. Convex with a unique minimum, no randomness and a fixed
 * summation order: the same data gives the same head.
 */
public final class SoftmaxRegression {
  /** Default L2 strength λ (see docs/QUALITY.md for how it was chosen). */
  public static final double DEFAULT_LAMBDA = 1e-2;

  /** Default L-BFGS iteration cap; heads on a few thousand embeddings converge well before it. */
  public static final int DEFAULT_MAX_ITERATIONS = 500;

  private final double lambda;
  private final int maxIterations;

  /** A trainer with {@link #DEFAULT_LAMBDA} and {@link #DEFAULT_MAX_ITERATIONS}. */
  public SoftmaxRegression() {
    this(DEFAULT_LAMBDA, DEFAULT_MAX_ITERATIONS);
  }

  /** The L2 regularisation strength. */
  public double lambda() {
    return lambda;
  }

  /**
   * @param lambda L2 strength λ, finite and ≥ 0
   * @param maxIterations L-BFGS iteration cap, ≥ 1
   */
  public SoftmaxRegression(double lambda, int maxIterations) {
    if (!(lambda >= 0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException("lambda must be a finite number >= 0, got " + lambda);
    }
    if (maxIterations < 1) {
      throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
    }
    this.lambda = lambda;
    this.maxIterations = maxIterations;
  }

  /** What training produced: the head's parameters and how the optimiser ended. */
  public record Fit(
      double[] mean,
      double[] scale,
      double[][] weights,
      double[] bias,
      double loss,
      int iterations,
      boolean converged) {}

  /**
   * Trains on {@code x} with labels {@code y}. Deterministic: the same data gives the same fit.
   *
   * @param x training vectors, already normalised as the head's embedding prescribes
   * @param y class indices 0..classes−1
   * @param classes number of classes (≥ 2)
   */
  public Fit fit(float[][] x, int[] y, int classes) {
    int n = x.length;
    if (n == 0 || n != y.length) {
      throw new IllegalArgumentException(n + " vectors, " + y.length + " labels");
    }
    if (classes < 2) {
      throw new IllegalArgumentException("need at least 2 classes, got " + classes);
    }
    for (int label : y) {
      if (label < 0 || label >= classes) {
        throw new IllegalArgumentException("label " + label + " outside 0.." + (classes - 1));
      }
    }
    double[] mean = Columns.mean(x);
    int d = mean.length;
    double[] scale = new double[d];
    for (float[] row : x) {
      for (int j = 0; j < d; j++) {
        double t = row[j] - mean[j];
        scale[j] += t * t;
      }
    }
    for (int j = 0; j < d; j++) {
      double sd = Math.sqrt(scale[j] / n);
      scale[j] = sd > 1e-12 ? 1 / sd : 0;
    }
    double[][] z = new double[n][];
    for (int i = 0; i < n; i++) {
      z[i] = standardise(x[i], mean, scale);
    }
    int params = classes * d + classes;
    Lbfgs.Objective objective = (w, grad) -> lossAndGradient(w, grad, z, y, classes, lambda);
    Lbfgs.Outcome out = new Lbfgs(10, maxIterations, 1e-6).minimize(objective, new double[params]);
    double[][] weights = new double[classes][d];
    double[] bias = new double[classes];
    for (int k = 0; k < classes; k++) {
      System.arraycopy(out.x(), k * d, weights[k], 0, d);
      bias[k] = out.x()[classes * d + k];
    }
    return new Fit(mean, scale, weights, bias, out.value(), out.iterations(), out.converged());
  }

  /**
   * {@code (v − mean) · scale} per dimension: the input transform a {@link Fit} was trained with.
   */
  public static double[] standardise(float[] v, double[] mean, double[] scale) {
    double[] out = new double[v.length];
    for (int j = 0; j < v.length; j++) {
      out[j] = (v[j] - mean[j]) * scale[j];
    }
    return out;
  }

  /**
   * The objective at {@code w} (W as classes × d row-major, then b), writing its gradient into
   * {@code grad}.
   */
  static double lossAndGradient(
      double[] w, double[] grad, double[][] z, int[] y, int classes, double lambda) {
    int d = z[0].length;
    java.util.Arrays.fill(grad, 0);
    int n = z.length;
    double loss = 0;
    double[] logits = new double[classes];
    for (int i = 0; i < n; i++) {
      double[] zi = z[i];
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < classes; k++) {
        double s = w[classes * d + k];
        int base = k * d;
        for (int j = 0; j < d; j++) {
          s += w[base + j] * zi[j];
        }
        logits[k] = s;
        max = Math.max(max, s);
      }
      double truth = logits[y[i]];
      double sum = 0;
      for (int k = 0; k < classes; k++) {
        logits[k] = Math.exp(logits[k] - max);
        sum += logits[k];
      }
      loss += Math.log(sum) + max - truth;
      for (int k = 0; k < classes; k++) {
        double r = logits[k] / sum - (k == y[i] ? 1 : 0);
        int base = k * d;
        for (int j = 0; j < d; j++) {
          grad[base + j] += r * zi[j];
        }
        grad[classes * d + k] += r;
      }
    }
    double reg = 0;
    for (int p = 0; p < grad.length; p++) {
      grad[p] /= n;
    }
    for (int p = 0; p < classes * d; p++) {
      reg += w[p] * w[p];
      grad[p] += lambda * w[p];
    }
    return loss / n + 0.5 * lambda * reg;
  }
}
