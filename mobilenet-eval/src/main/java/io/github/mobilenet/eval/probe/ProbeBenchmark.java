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
   * @param knn k-NN accuracy per fold
   * @param logistic softmax-head accuracy per fold
   */
  public record Report(int folds, int neighbours, double lambda, double[] knn, double[] logistic) {
    public double knnMean() {
      return mean(knn);
    }

    public double logisticMean() {
      return mean(logistic);
    }

    public double knnStd() {
      return std(knn);
    }

    public double logisticStd() {
      return std(logistic);
    }
  }

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
