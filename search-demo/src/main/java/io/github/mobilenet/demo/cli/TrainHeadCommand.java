package io.github.mobilenet.demo.cli;

import io.github.mobilenet.eval.data.EmbeddedSet;
import io.github.mobilenet.eval.data.EmbeddingCache;
import io.github.mobilenet.eval.data.EmbeddingConfig;
import io.github.mobilenet.eval.data.LabeledImages;
import io.github.mobilenet.eval.head.LinearHead;
import io.github.mobilenet.eval.learn.SoftmaxRegression;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code train-head}: trains a softmax head on labelled images' embeddings and saves it as JSON.
 */
final class TrainHeadCommand implements Command {
  @Override
  public String name() {
    return "train-head";
  }

  @Override
  public String usage() {
    return "train-head --labels FILE --out HEAD.json [--lambda "
        + SoftmaxRegression.DEFAULT_LAMBDA
        + "] "
        + EvalOptions.usage()
        + " DIR\n"
        + "  multinomial logistic regression on the embeddings (the new last layer of transfer learning);\n"
        + "  HEAD.json records the embedding recipe, so predict needs no other flags. Deterministic.\n"
        + "  Prints {\"out\": ..., \"images\": N, \"classes\": C, \"train_accuracy\": ..., \"iterations\": ..., ...}.";
  }

  @Override
  public int run(String[] argv, PrintStream out, PrintStream err) throws UsageException {
    Args a = Args.parse(argv, EvalOptions.valued("out", "lambda"), EvalOptions.flags());
    long start = System.nanoTime();
    Path outFile = Path.of(a.require("out"));
    EmbeddingConfig config = EvalOptions.config(a);
    SoftmaxRegression trainer = EvalOptions.trainer(a);
    double lambda = trainer.lambda();
    EmbeddingCache.Extraction extraction = EvalOptions.extraction(a, config);
    EmbeddingCache cache = EvalOptions.cache(a);
    try {
      LabeledImages images = EvalOptions.labeled(a);
      if (images.classes().size() < 2) {
        throw new UsageException(
            "a head needs at least 2 classes; "
                + a.get("labels", null)
                + " has "
                + images.classes().size());
      }
      EmbeddedSet set =
          EmbeddedSet.of(images, config, cache, extraction, EvalOptions.progress(a, err));
      int failures = EvalOptions.reportFailures(set.failed(), set.errors(), out);
      SoftmaxRegression.Fit fit = trainer.fit(set.vectors(), set.labels(), set.classes().size());
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
          out,
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
      return failures == 0 ? OK : SOME_FAILED;
    } catch (IOException e) {
      err.println("mobilenet train-head: " + e.getMessage());
      return SOME_FAILED;
    }
  }
}
