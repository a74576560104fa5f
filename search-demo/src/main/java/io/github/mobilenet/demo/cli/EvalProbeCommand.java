package io.github.mobilenet.demo.cli;

import io.github.mobilenet.eval.data.EmbeddingConfig;
import io.github.mobilenet.eval.learn.SoftmaxRegression;
import io.github.mobilenet.eval.probe.ProbeBenchmark;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code eval probe}: k-fold accuracy of a k-NN classifier and of a softmax head on the embeddings.
 */
@Command(
    name = "probe",
    sortOptions = false,
    description = {
      "k-fold accuracy of k-NN and of a softmax head.",
      "Stratified k-fold: (a) k-NN (majority of the nearest training embeddings), (b) multinomial"
          + " logistic regression (L2-regularised softmax head, L-BFGS) trained on the other folds."
          + " Deterministic for a seed. Prints {\"knn\": mean accuracy, \"knn_std\": ...,"
          + " \"logistic\": ..., \"logistic_std\": ..., \"folds\": ...}."
    })
final class EvalProbeCommand extends CliCommand {
  @Option(
      names = "--folds",
      paramLabel = "K",
      defaultValue = "5",
      description = "Folds, 2..1000 (default: ${DEFAULT-VALUE}).")
  int folds;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "0",
      description = "Seed of the fold split (default: ${DEFAULT-VALUE}).")
  int seed;

  @Option(
      names = "--neighbours",
      paramLabel = "N",
      defaultValue = "10",
      description = "k of k-NN, 1..100000 (default: ${DEFAULT-VALUE}).")
  int neighbours;

  @Option(
      names = "--lambda",
      paramLabel = "L",
      defaultValue = "" + SoftmaxRegression.DEFAULT_LAMBDA,
      description = "L2 strength of the softmax head (default: ${DEFAULT-VALUE}).")
  double lambdaOption;

  @Mixin EvalOptions eval;

  @Override
  public Integer call() throws UsageException {
    long start = System.nanoTime();
    EmbeddingConfig config = eval.config();
    Check.range("--folds", folds, 5, 2, 1000);
    long seed = this.seed;
    Check.range("--neighbours", neighbours, 10, 1, 100_000);
    SoftmaxRegression trainer = EvalOptions.trainer(lambdaOption);
    double lambda = trainer.lambda();
    return eval.withEmbeddedSet(
        "eval probe",
        config,
        out(),
        err(),
        (set, extraction, failures) -> {
          ProbeBenchmark.Report r;
          try {
            r =
                ProbeBenchmark.run(
                    set,
                    config.normalization().similarity(),
                    folds,
                    seed,
                    neighbours,
                    trainer,
                    lambda);
          } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
          }
          Json.line(
              out(),
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
          return failures == 0 ? ExitCode.OK : ExitCode.SOME_FAILED;
        });
  }

  private static double[] round(double[] v) {
    return Arrays.stream(v).map(x -> EvalOptions.round(x, 4)).toArray();
  }
}
