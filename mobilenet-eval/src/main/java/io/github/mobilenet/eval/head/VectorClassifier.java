package io.github.mobilenet.eval.head;

/**
 * Anything that assigns a class index to an embedding: a trained {@link LinearHead}, or the k-NN
 * classifier the probes compare it with. Implementations are expected to be thread-safe for
 * concurrent {@link #predict} calls.
 */
public interface VectorClassifier {
  /** The predicted class index of one embedding. */
  int predict(float[] vector);

  /**
   * Fraction of {@code vectors} predicted as their {@code truth}; NaN for no vectors.
   *
   * @throws IllegalArgumentException when the two arrays differ in length
   */
  default double accuracy(float[][] vectors, int[] truth) {
    if (vectors.length != truth.length) {
      throw new IllegalArgumentException(
          vectors.length + " vectors but " + truth.length + " labels");
    }
    int hits = 0;
    for (int i = 0; i < vectors.length; i++) {
      if (predict(vectors[i]) == truth[i]) {
        hits++;
      }
    }
    return vectors.length == 0 ? Double.NaN : (double) hits / vectors.length;
  }
}
