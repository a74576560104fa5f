package io.github.mobilenet.eval.probe;

import io.github.mobilenet.embeddings.search.Similarity;
import io.github.mobilenet.eval.head.VectorClassifier;
import io.github.mobilenet.eval.retrieval.RetrievalMetrics;

/**
 * k-nearest-neighbour classifier: the class most frequent among the k most similar training
 * vectors. A tie in votes goes to the tied class with the larger summed similarity, then to the
 * smaller class index. Neighbours with equal scores are taken by ascending training index. Keeps
 * (does not copy) the training arrays; thread-safe while nobody changes them.
 */
public final class KnnClassifier implements VectorClassifier {
  private final float[][] train;
  private final int[] labels;
  private final int classes;
  private final int k;
  private final Similarity similarity;

  /**
   * @param k neighbours that vote (capped at the training size), ≥ 1
   * @param similarity how query and training vectors are compared
   */
  public KnnClassifier(float[][] train, int[] labels, int k, Similarity similarity) {
    if (train.length != labels.length) {
      throw new IllegalArgumentException(
          train.length + " vectors but " + labels.length + " labels");
    }
    if (train.length == 0) {
      throw new IllegalArgumentException("no training vectors");
    }
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    this.train = train;
    this.labels = labels;
    this.classes = RetrievalMetrics.classSizes(labels).length;
    this.k = Math.min(k, train.length);
    this.similarity = similarity;
  }

  @Override
  public int predict(float[] query) {
    double[] scores = new double[train.length];
    for (int i = 0; i < train.length; i++) {
      scores[i] = similarity.score(query, train[i]);
    }
    int[] order = RetrievalMetrics.rank(scores, -1);
    int[] votes = new int[classes];
    double[] mass = new double[classes];
    for (int i = 0; i < k; i++) {
      int c = labels[order[i]];
      votes[c]++;
      mass[c] += scores[order[i]];
    }
    int best = 0;
    for (int c = 1; c < classes; c++) {
      if (votes[c] > votes[best] || (votes[c] == votes[best] && mass[c] > mass[best])) {
        best = c;
      }
    }
    return best;
  }
}
