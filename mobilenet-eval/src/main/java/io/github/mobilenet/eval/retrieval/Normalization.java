package io.github.mobilenet.eval.retrieval;

import io.github.mobilenet.core.util.Vectors;
import io.github.mobilenet.embeddings.search.Similarity;
import java.util.Locale;

/**
 * What is done to a pooled vector before it is compared. Vectors left {@link #NONE} are compared by
 * Euclidean distance; normalised ones by dot product, which is then their cosine.
 */
public enum Normalization {
  /** Raw pooled activations, compared by Euclidean distance. */
  NONE,
  /** {@code v / ||v||}: cosine similarity. */
  L2,
  /**
   * Signed square root of each component, then L2 ({@code sign(x)·√|x|}, "power normalisation"):
   * damps the few channels that fire strongly everywhere, so rarer channels count more.
   */
  SQRT_L2;

  /** A new normalised vector; the input is not changed. */
  public float[] apply(float[] v) {
    return switch (this) {
      case NONE -> v.clone();
      case L2 -> l2(v.clone());
      case SQRT_L2 -> {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
          out[i] = (float) Math.copySign(Math.sqrt(Math.abs(v[i])), v[i]);
        }
        yield l2(out);
      }
    };
  }

  /** Applies {@link #apply} to each row. */
  public float[][] apply(float[][] rows) {
    float[][] out = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = apply(rows[i]);
    }
    return out;
  }

  /** The similarity that ranks vectors normalised this way. */
  public Similarity similarity() {
    return this == NONE ? Similarity.EUCLIDEAN : Similarity.DOT_PRODUCT;
  }

  /** Parses the CLI spelling: {@code none}, {@code l2} or {@code sqrt}. */
  public static Normalization parse(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "none", "raw" -> NONE;
      case "l2", "cosine" -> L2;
      case "sqrt", "sqrt-l2", "sqrt_l2", "power" -> SQRT_L2;
      default ->
          throw new IllegalArgumentException(
              "unknown normalisation '" + s + "' (expected none, l2 or sqrt)");
    };
  }

  /** The spelling {@link #parse} reads and head files store. */
  public String cliName() {
    return switch (this) {
      case NONE -> "none";
      case L2 -> "l2";
      case SQRT_L2 -> "sqrt";
    };
  }

  /** Scales {@code v} to unit length in place (a zero vector stays zero) and returns it. */
  public static float[] l2(float[] v) {
    return Vectors.l2NormalizeInPlace(v);
  }
}
