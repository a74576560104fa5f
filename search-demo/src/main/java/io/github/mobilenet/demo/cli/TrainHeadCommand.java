package io.github.mobilenet.demo.cli;

import io.github.mobilenet.eval.data.EmbeddingConfig;
import io.github.mobilenet.eval.head.LinearHead;
import io.github.mobilenet.eval.learn.SoftmaxRegression;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code train-head}: trains a softmax head on labelled images' embeddings and saves it as JSON.
 */
@Command(
    name = "train-head",
    sortOptions = false,
    description = {
      "Trains a softmax head on labelled embeddings (HEAD.json).",
      "Multinomial logistic regression on the embeddings (the new last layer of transfer"
          + " learning); HEAD.json records the embedding recipe, so predict needs no other flags."
          + " Deterministic. Prints {\"out\": ..., \"images\": N, \"classes\": C,"
          + " \"train_accuracy\": ..., \"iterations\": ..., ...}."
    })
final class TrainHeadCommand extends CliCommand {
  @Option(
      names = "--out",
      paramLabel = "HEAD.json",
      required = true,
      description = "Where to save the head.")
  Path outFile;

  @Option(
      names = "--lambda",
      paramLabel = "L",
      defaultValue = "" + SoftmaxRegression.DEFAULT_LAMBDA,
      description = "L2 strength (default: ${DEFAULT-VALUE}).")
  double lambdaOption;

  @Mixin EvalOptions eval;

  @Override
  public Integer call() throws UsageException {
    long start = System.nanoTime();
    if (eval.size.size != null) {
      // A head file records the recipe predict re-applies; it has no field for the size yet.
      throw new UsageException(
          "train-head does not take --size: a head is trained at the model's own input size");
    }
    EmbeddingConfig config = eval.config();
    SoftmaxRegression trainer = EvalOptions.trainer(lambdaOption);
    double lambda = trainer.lambda();
    return eval.withEmbeddedSet(
        "train-head",
        config,
        out(),
        err(),
        images -> {
          if (images.classes().size() < 2) {
            throw new UsageException(
                "a head needs at least 2 classes; "
                    + eval.labels
                    + " has "
                    + images.classes().size());
          }
        },
        (set, extraction, failures) -> {
          SoftmaxRegression.Fit fit =
              trainer.fit(set.vectors(), set.labels(), set.classes().size());
          LinearHead head =
              new LinearHead(
                  extraction.profile().id(),
                  config,
                  set.classes(),
                  fit.mean(),
                  fit.scale(),
                  fit.weights(),
                  fit.bias(),
                  lambda,
                  set.size());
          head.save(outFile);
          Json.line(
              out(),
              Json.obj(
                  "out",
                  outFile.toString(),
                  "images",
                  set.size(),
                  "classes",
                  set.classes().size(),
                  "config",
                  config.toString(),
                  "dims",
                  set.dimensions(),
                  "lambda",
                  lambda,
                  "train_accuracy",
                  EvalOptions.round(head.accuracy(set.vectors(), set.labels()), 4),
                  "loss",
                  EvalOptions.round(fit.loss(), 6),
                  "iterations",
                  fit.iterations(),
                  "converged",
                  fit.converged(),
                  "seconds",
                  EvalOptions.round((System.nanoTime() - start) / 1e9, 2)));
          return failures == 0 ? ExitCode.OK : ExitCode.SOME_FAILED;
        });
  }
}
