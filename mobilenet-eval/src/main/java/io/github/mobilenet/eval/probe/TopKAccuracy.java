package io.github.mobilenet.eval.probe;

/**
 * Top-k accuracy of class scores: a prediction is right when the true class is among the k
 * highest-scoring classes. Equal scores rank by class index (as a stable descending sort would).
 */
public final class TopKAccuracy {
  private TopKAccuracy() {}

  /** The 0-based rank of class {@code truth} in {@code scores} (0 = best). */
  public static int rankOf(float[] scores, int truth) {
    if (truth < 0 || truth >= scores.length) {
      throw new IllegalArgumentException("class " + truth + " outside 0.." + (scores.length - 1));
    }
    float t = scores[truth];
    int rank = 0;
    for (int j = 0; j < scores.length; j++) {
      if (scores[j] > t || (scores[j] == t && j < truth)) {
        rank++;
      }
    }
    return rank;
  }

  /** Fraction of rows whose true class ranks in the top {@code k}. */
  public static double accuracy(float[][] scores, int[] truth, int k) {
    if (scores.length != truth.length) {
      throw new IllegalArgumentException(
          scores.length + " score rows but " + truth.length + " labels");
    }
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    if (scores.length == 0) {
      return Double.NaN;
    }
    int hits = 0;
    for (int i = 0; i < scores.length; i++) {
      if (rankOf(scores[i], truth[i]) < k) {
        hits++;
      }
    }
    return (double) hits / scores.length;
  }
}
