package io.github.mobilenet.embeddings;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Synthetic unit vectors shaped like pooled MobileNetV2 embeddings: non-negative, clustered. */
public final class Vectors {
  private Vectors() {}

  /**
   * {@code n} vectors around {@code clusters} centres: centre_d = |N(0,1)|·s_d with a per-dimension
   * scale s_d = exp(N(0, 0.5)) (a few dimensions dominate, as in real activations), vector = max(0,
   * centre + N(0, spread)·s_d), L2-normalised.
   */
  public static List<float[]> clustered(int n, int dims, int clusters, double spread, long seed) {
    Random r = new Random(seed);
    double[] scale = new double[dims];
    for (int d = 0; d < dims; d++) {
      scale[d] = Math.exp(0.5 * r.nextGaussian());
    }
    double[][] centres = new double[clusters][dims];
    for (double[] c : centres) {
      for (int d = 0; d < dims; d++) {
        c[d] = Math.abs(r.nextGaussian()) * scale[d];
      }
    }
    List<float[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double[] c = centres[r.nextInt(clusters)];
      float[] v = new float[dims];
      for (int d = 0; d < dims; d++) {
        v[d] = (float) Math.max(0, c[d] + spread * r.nextGaussian() * scale[d]);
      }
      out.add(io.github.mobilenet.core.extract.Features.l2Normalize(v));
    }
    return out;
  }

  /**
   * {@code n} unit vectors scattered around {@code bases} (round robin): max(0, b +
   * noise·rms(b)·N(0, 1)) per dimension, normalised. With noise 0.8 a vector's cosine to its base
   * is about 0.8: near its photo, never equal.
   */
  public static List<float[]> around(List<float[]> bases, int n, double noise, long seed) {
    Random r = new Random(seed);
    List<float[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[] b = bases.get(i % bases.size());
      double rms = 0;
      for (float x : b) {
        rms += (double) x * x;
      }
      rms = Math.sqrt(rms / b.length);
      float[] v = new float[b.length];
      for (int d = 0; d < v.length; d++) {
        v[d] = (float) Math.max(0, b[d] + noise * rms * r.nextGaussian());
      }
      out.add(io.github.mobilenet.core.extract.Features.l2Normalize(v));
    }
    return out;
  }

  /**
   * {@code n} unit vectors between pairs of {@code bases}: a·b_i + (1 − a)·b_j with a ~ U(0, 1),
   * plus max(0, ·) noise of {@code noise}·rms per dimension, normalised. Unlike isotropic noise
   * around one point (which makes every neighbour equidistant, HNSW's worst case), this spreads
   * vectors along a manifold.
   */
  public static List<float[]> between(List<float[]> bases, int n, double noise, long seed) {
    Random r = new Random(seed);
    List<float[]> out = new ArrayList<>(n);
    int dims = bases.get(0).length;
    for (int k = 0; k < n; k++) {
      float[] b1 = bases.get(r.nextInt(bases.size()));
      float[] b2 = bases.get(r.nextInt(bases.size()));
      double a = r.nextDouble();
      double rms = 1 / Math.sqrt(dims);
      float[] v = new float[dims];
      for (int d = 0; d < dims; d++) {
        v[d] = (float) Math.max(0, a * b1[d] + (1 - a) * b2[d] + noise * rms * r.nextGaussian());
      }
      out.add(io.github.mobilenet.core.extract.Features.l2Normalize(v));
    }
    return out;
  }
}
