package io.github.mobilenet.core.extract;

import java.util.Locale;

/**
 * How a spatial map [C, H, W] becomes a C-vector. {@code gem(p)} is generalised-mean pooling, (mean
 * x^p)^(1/p): p = 1 is the average, large p approaches the maximum. Activations here are ReLU6
 * outputs (≥ 0) for layer_19; negative values are clamped to 0 before GeM, as is usual.
 */
public record Pooling(Kind kind, double p) {
  /** Average, maximum, or generalised mean. */
  public enum Kind {
    /** Mean over positions. */
    AVG,
    /** Maximum over positions. */
    MAX,
    /** Generalised mean with exponent p. */
    GEM
  }

  public static final Pooling AVG = new Pooling(Kind.AVG, 1);
  public static final Pooling MAX = new Pooling(Kind.MAX, Double.POSITIVE_INFINITY);

  /** GeM with p = 3, the usual choice for retrieval. */
  public static final Pooling GEM = gem(3);

  /** Validates p for GeM. */
  public Pooling {
    if (kind == Kind.GEM && !(p > 0 && Double.isFinite(p))) {
      throw new IllegalArgumentException("GeM needs a finite p > 0, got " + p);
    }
  }

  /** GeM pooling with exponent {@code p > 0}. */
  public static Pooling gem(double p) {
    return new Pooling(Kind.GEM, p);
  }

  /** Parses {@code avg}, {@code max}, {@code gem} (p = 3) or {@code gem:P}. */
  public static Pooling parse(String s) {
    String t = s.toLowerCase(Locale.ROOT);
    if (t.equals("avg") || t.equals("mean")) {
      return AVG;
    }
    if (t.equals("max")) {
      return MAX;
    }
    if (t.equals("gem")) {
      return GEM;
    }
    if (t.startsWith("gem:") || t.startsWith("gem=")) {
      return gem(Double.parseDouble(t.substring(4)));
    }
    throw new IllegalArgumentException(
        "unknown pooling '" + s + "' (expected avg, max, gem or gem:P)");
  }

  /** CLI spelling: avg, max, gem (p = 3) or gem:P. */
  @Override
  public String toString() {
    return switch (kind) {
      case AVG -> "avg";
      case MAX -> "max";
      case GEM -> p == 3 ? "gem" : "gem:" + p;
    };
  }

  /** Pools {@code data} laid out [channels][positions] into {@code out[channels]}. */
  void pool(float[] data, int offset, int channels, int positions, float[] out) {
    for (int c = 0; c < channels; c++) {
      int base = offset + c * positions;
      switch (kind) {
        case AVG -> {
          double sum = 0;
          for (int i = 0; i < positions; i++) {
            sum += data[base + i];
          }
          out[c] = (float) (sum / positions);
        }
        case MAX -> {
          float m = Float.NEGATIVE_INFINITY;
          for (int i = 0; i < positions; i++) {
            m = Math.max(m, data[base + i]);
          }
          out[c] = m;
        }
        case GEM -> {
          double sum = 0;
          if (p == 3) { // the default: cubes and a cube root instead of 2 Math.pow calls per value
            for (int i = 0; i < positions; i++) {
              double x = Math.max(data[base + i], 0f);
              sum += x * x * x;
            }
            out[c] = (float) Math.cbrt(sum / positions);
          } else {
            for (int i = 0; i < positions; i++) {
              sum += Math.pow(Math.max(data[base + i], 0f), p);
            }
            out[c] = (float) Math.pow(sum / positions, 1 / p);
          }
        }
      }
    }
  }
}
