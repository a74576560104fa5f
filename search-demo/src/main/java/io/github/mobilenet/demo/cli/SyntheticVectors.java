package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.extract.Features;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Vectors for {@code bench-index} at scales no photo folder at hand reaches. */
final class SyntheticVectors {
  private SyntheticVectors() {}

  /**
   * Synthetic vectors shaped like real embeddings: per-dimension mean μ_d and standard deviation
   * σ_d are taken from {@code real}; {@code clusters} centres c = max(0, μ + σ·z) and members
   * max(0, c + spread·σ·z'), z, z' ~ N(0, I), L2-normalised. Non-negative, with real dimensions'
   * scales and cluster structure.
   */
  static List<float[]> like(List<float[]> real, int n, int clusters, double spread, long seed) {
    int dims = real.get(0).length;
    double[] mean = new double[dims];
    double[] std = new double[dims];
    for (float[] v : real) {
      for (int d = 0; d < dims; d++) {
        mean[d] += v[d];
      }
    }
    for (int d = 0; d < dims; d++) {
      mean[d] /= real.size();
    }
    for (float[] v : real) {
      for (int d = 0; d < dims; d++) {
        std[d] += (v[d] - mean[d]) * (v[d] - mean[d]);
      }
    }
    for (int d = 0; d < dims; d++) {
      std[d] = Math.sqrt(std[d] / real.size());
    }
    Random r = new Random(seed);
    double[][] centres = new double[clusters][dims];
    for (double[] c : centres) {
      for (int d = 0; d < dims; d++) {
        c[d] = Math.max(0, mean[d] + std[d] * r.nextGaussian());
      }
    }
    List<float[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double[] c = centres[r.nextInt(clusters)];
      float[] v = new float[dims];
      for (int d = 0; d < dims; d++) {
        v[d] = (float) Math.max(0, c[d] + spread * std[d] * r.nextGaussian());
      }
      out.add(Features.l2Normalize(v));
    }
    return out;
  }
}
