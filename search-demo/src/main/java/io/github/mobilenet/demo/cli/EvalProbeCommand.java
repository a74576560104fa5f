package io.github.mobilenet.demo.cli;

import io.github.mobilenet.eval.data.EmbeddedSet;
import io.github.mobilenet.eval.data.EmbeddingCache;
import io.github.mobilenet.eval.data.EmbeddingConfig;
import io.github.mobilenet.eval.data.LabeledImages;
import io.github.mobilenet.eval.learn.SoftmaxRegression;
import io.github.mobilenet.eval.probe.ProbeBenchmark;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@code eval probe}: k-fold accuracy of a k-NN classifier and of a softmax head on the embeddings.
 */
final class EvalProbeCommand implements Command {
  @Override
  public String name() {
    return "probe";
  }

  @Override
  public String usage() {
    return "eval probe --labels FILE [--folds 5] [--seed 0] [--neighbours 10] [--lambda "
        + SoftmaxRegression.DEFAULT_LAMBDA
        + "] "
        + EvalOptions.usage()
        + " DIR\n"
        + "  stratified k-fold: (a) k-NN (majority of the nearest training embeddings), (b) multinomial logistic\n"
        + "  regression (L2-regularised softmax head, L-BFGS) trained on the other folds. Deterministic for a seed.\n"
        + "  Prints {\"knn\": mean accuracy, \"knn_std\": ..., \"logistic\": ..., \"logistic_std\": ..., \"folds\": ...}.";
  }

  @Override
  public int run(String[] argv, PrintStream out, PrintStream err) throws UsageException {
    Args a =
        Args.parse(
            argv, EvalOptions.valued("folds", "seed", "neighbours", "lambda"), EvalOptions.flags());
    long start = System.nanoTime();
    EmbeddingConfig config = EvalOptions.config(a);
    int folds = a.getInt("folds", 5, 2, 1000);
    long seed = a.getInt("seed", 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
    int neighbours = a.getInt("neighbours", 10, 1, 100_000);
    SoftmaxRegression trainer = EvalOptions.trainer(a);
    double lambda = trainer.lambda();
    EmbeddingCache.Extraction extraction = EvalOptions.extraction(a, config);
    EmbeddingCache cache = EvalOptions.cache(a);
    try {
      LabeledImages images = EvalOptions.labeled(a);
      EmbeddedSet set =
          EmbeddedSet.of(images, config, cache, extraction, EvalOptions.progress(a, err));
      int failures = EvalOptions.reportFailures(set.failed(), set.errors(), out);
      ProbeBenchmark.Report r;
      try {
        r =
            ProbeBenchmark.run(
                set, config.normalization().similarity(), folds, seed, neighbours, trainer, lambda);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      Json.line(
          out,
          Json.obj(
              "images",
              set.size(),
              "classes",
              set.classes().size(),
              "config",
              config.toString(),
              "dims",
              set.dimensions(),
              "folds",
              folds,
              "seed",
              seed,
              "knn",
              EvalOptions.round(r.knnMean(), 4),
              "knn_std",
              EvalOptions.round(r.knnStd(), 4),
              "neighbours",
              neighbours,
              "logistic",
              EvalOptions.round(r.logisticMean(), 4),
              "logistic_std",
              EvalOptions.round(r.logisticStd(), 4),
              "lambda",
              lambda,
              "knn_folds",
              round(r.knn()),
              "logistic_folds",
              round(r.logistic()),
              "cached",
              set.features().cached(),
              "seconds",
              EvalOptions.round((System.nanoTime() - start) / 1e9, 2)));
      return failures == 0 ? OK : SOME_FAILED;
    } catch (IOException e) {
      err.println("mobilenet eval probe: " + e.getMessage());
      return SOME_FAILED;
    }
  }

  private static double[] round(double[] v) {
    return Arrays.stream(v).map(x -> EvalOptions.round(x, 4)).toArray();
  }
}
