package io.github.mobilenet.eval.probe;

import io.github.mobilenet.embeddings.search.Similarity;
import io.github.mobilenet.eval.data.EmbeddedSet;
import io.github.mobilenet.eval.data.EmbeddingConfig;
import io.github.mobilenet.eval.head.LinearHead;
import io.github.mobilenet.eval.learn.SoftmaxRegression;

/**
 * Linear-probe style evaluation: stratified k-fold accuracy of (a) a k-NN classifier and (b) a
 * softmax head trained on the embeddings of the other folds. Deterministic for a given seed.
 */
public final class ProbeBenchmark {
  private ProbeBenchmark() {}

  /**
   * Per-fold accuracies of both probes, with their means and spreads.
   *
   * @param knn k-NN accuracy per fold
   * @param logistic softmax-head accuracy per fold
   */
  public record Report(int folds, int neighbours, double lambda, double[] knn, double[] logistic) {
    /** Mean k-NN accuracy over the folds. */
    public double knnMean() {
      return mean(knn);
    }

    /** Mean softmax-head accuracy over the folds. */
    public double logisticMean() {
      return mean(logistic);
    }

    /** Sample standard deviation of the k-NN accuracy across folds. */
    public double knnStd() {
      return std(knn);
    }

    /** Sample standard deviation of the softmax-head accuracy across folds. */
    public double logisticStd() {
      return std(logistic);
    }
  }

  /**
   * Runs both probes on {@code folds} stratified folds of {@code set}.
   *
   * @param neighbours k of the k-NN probe
   * @param lambda recorded in the heads (the trainer's own λ is what trains them)
   */
  public static Report run(
      EmbeddedSet set,
      Similarity similarity,
      int folds,
      long seed,
      int neighbours,
      SoftmaxRegression trainer,
      double lambda) {
    int[] fold = StratifiedKFold.assign(set.labels(), folds, seed);
    double[] knn = new double[folds];
    double[] logistic = new double[folds];
    for (int f = 0; f < folds; f++) {
      int[] train = StratifiedKFold.select(fold, f, false);
      int[] test = StratifiedKFold.select(fold, f, true);
      float[][] xTrain = set.rows(train);
      int[] yTrain = set.labelsAt(train);
      float[][] xTest = set.rows(test);
      int[] yTest = set.labelsAt(test);
      knn[f] = new KnnClassifier(xTrain, yTrain, neighbours, similarity).accuracy(xTest, yTest);
      LinearHead head =
          LinearHead.train(
              "probe", EmbeddingConfig.DEFAULT, xTrain, yTrain, set.classes(), trainer, lambda);
      logistic[f] = head.accuracy(xTest, yTest);
    }
    return new Report(folds, neighbours, lambda, knn, logistic);
  }

  static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  /** Sample standard deviation across folds. */
  static double std(double[] v) {
    if (v.length < 2) {
      return 0;
    }
    double m = mean(v);
    double s = 0;
    for (double x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / (v.length - 1));
  }
}
