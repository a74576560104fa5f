package io.github.mobilenet.eval.learn;

/**
 * Limited-memory BFGS for smooth convex objectives, with a backtracking (Armijo) line search.
 * Deterministic: no randomness, fixed evaluation order.
 */
final class Lbfgs {
  /** f(x), writing ∇f(x) into {@code gradient}. */
  interface Objective {
    double evaluate(double[] x, double[] gradient);
  }

  /** Final point and how the run ended. */
  record Outcome(
      double[] x, double value, double gradientNorm, int iterations, boolean converged) {}

  private final int memory;
  private final int maxIterations;
  private final double tolerance;

  /**
   * @param memory correction pairs kept (5–20 is usual)
   * @param maxIterations iteration cap
   * @param tolerance stop when ‖∇f‖∞ ≤ tolerance · max(1, |f|)
   */
  Lbfgs(int memory, int maxIterations, double tolerance) {
    this.memory = memory;
    this.maxIterations = maxIterations;
    this.tolerance = tolerance;
  }

  Outcome minimize(Objective f, double[] start) {
    int n = start.length;
    double[] x = start.clone();
    double[] g = new double[n];
    double fx = f.evaluate(x, g);
    double[][] s = new double[memory][];
    double[][] y = new double[memory][];
    double[] rho = new double[memory];
    double[] alpha = new double[memory];
    int stored = 0;
    int newest = -1;
    double[] d = new double[n];
    double[] xNew = new double[n];
    double[] gNew = new double[n];
    for (int iter = 0; iter < maxIterations; iter++) {
      double gNorm = maxAbs(g);
      if (gNorm <= tolerance * Math.max(1, Math.abs(fx))) {
        return new Outcome(x, fx, gNorm, iter, true);
      }
      // Two-loop recursion: d = −H∇f with H0 scaled by the newest pair's s·y / y·y.
      for (int i = 0; i < n; i++) {
        d[i] = -g[i];
      }
      for (int j = 0; j < stored; j++) {
        int m = Math.floorMod(newest - j, memory);
        alpha[m] = rho[m] * dot(s[m], d);
        axpy(-alpha[m], y[m], d);
      }
      if (stored > 0) {
        double gamma = dot(s[newest], y[newest]) / dot(y[newest], y[newest]);
        for (int i = 0; i < n; i++) {
          d[i] *= gamma;
        }
      }
      for (int j = stored - 1; j >= 0; j--) {
        int m = Math.floorMod(newest - j, memory);
        double beta = rho[m] * dot(y[m], d);
        axpy(alpha[m] - beta, s[m], d);
      }
      double slope = dot(g, d);
      if (slope
          >= 0) { // not a descent direction (numerical trouble): restart from steepest descent
        stored = 0;
        for (int i = 0; i < n; i++) {
          d[i] = -g[i];
        }
        slope = dot(g, d);
      }
      double step = stored == 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
      double fNew = Double.NaN;
      boolean accepted = false;
      for (int tries = 0; tries < 60; tries++) {
        for (int i = 0; i < n; i++) {
          xNew[i] = x[i] + step * d[i];
        }
        fNew = f.evaluate(xNew, gNew);
        if (fNew <= fx + 1e-4 * step * slope) {
          accepted = true;
          break;
        }
        step *= 0.5;
      }
      if (!accepted) {
        return new Outcome(x, fx, gNorm, iter, false);
      }
      int slot = (newest + 1) % memory;
      double[] sk = new double[n];
      double[] yk = new double[n];
      for (int i = 0; i < n; i++) {
        sk[i] = xNew[i] - x[i];
        yk[i] = gNew[i] - g[i];
      }
      double sy = dot(sk, yk);
      double previous = fx;
      System.arraycopy(xNew, 0, x, 0, n);
      System.arraycopy(gNew, 0, g, 0, n);
      fx = fNew;
      if (sy > 1e-12 * dot(yk, yk)) { // keep H positive definite: skip pairs without curvature
        s[slot] = sk;
        y[slot] = yk;
        rho[slot] = 1 / sy;
        newest = slot;
        stored = Math.min(stored + 1, memory);
      }
      if (previous - fx <= 1e-12 * Math.max(1, Math.abs(fx))) {
        return new Outcome(x, fx, maxAbs(g), iter + 1, true);
      }
    }
    return new Outcome(
        x, fx, maxAbs(g), maxIterations, maxAbs(g) <= tolerance * Math.max(1, Math.abs(fx)));
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] += a * x[i];
    }
  }

  private static double maxAbs(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }
}
