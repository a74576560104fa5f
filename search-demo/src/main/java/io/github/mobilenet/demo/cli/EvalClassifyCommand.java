package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.extract.Pooling;
import io.github.mobilenet.eval.data.EmbeddingCache;
import io.github.mobilenet.eval.data.LabeledImages;
import io.github.mobilenet.eval.data.LayerFeatures;
import io.github.mobilenet.eval.probe.TopKAccuracy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code eval classify}: top-1 / top-5 accuracy of the ImageNet head on labelled images. */
@Command(
    name = "classify",
    description = {
      "Top-1 / top-5 accuracy of the ImageNet head.",
      "LABELS classes are ImageNet indices in the 1001-class scheme (0 = background), e.g. 286 ="
          + " Egyptian cat; the probs layer is used (--layer, --pool and --normalize do not apply)."
          + " Prints {\"images\": N, \"top1\": ..., \"top5\": ..., \"seconds\": ...}."
    })
final class EvalClassifyCommand extends CliCommand {
  @Mixin EvalOptions eval;

  @Override
  public Integer call() throws UsageException {
    long start = System.nanoTime();
    if (eval.recipeGiven()) {
      throw new UsageException(
          "eval classify always uses the probs layer; --layer, --pool and --normalize do not apply");
    }
    int classes = ClassifyCommand.classes(eval.profile()); // a model without a head: usage error
    EmbeddingCache.Extraction extraction = eval.extraction(eval.config().withLayer("probs"));
    EmbeddingCache cache = eval.cache();
    try {
      LabeledImages images = eval.labeled();
      int[] truthByClass = new int[images.classes().size()];
      for (int c = 0; c < truthByClass.length; c++) {
        String name = images.classes().get(c);
        try {
          truthByClass[c] = Integer.parseInt(name);
        } catch (NumberFormatException e) {
          throw new UsageException(
              "class '" + name + "' is not an ImageNet index (0.." + (classes - 1) + ")");
        }
        if (truthByClass[c] < 0 || truthByClass[c] >= classes) {
          throw new UsageException("class " + name + " is outside 0.." + (classes - 1));
        }
      }
      LayerFeatures f = cache.load(extraction, images, "probs", Set.of(), eval.progress(err()));
      float[][] probs = f.vectors(Pooling.AVG);
      int[] labels = images.labels();
      List<float[]> rows = new ArrayList<>();
      List<Integer> truth = new ArrayList<>();
      int failures = 0;
      for (int i = 0; i < images.size(); i++) {
        if (probs[i] == null) {
          failures++;
          Json.line(out(), Json.obj("file", images.names().get(i), "error", f.errors().get(i)));
          continue;
        }
        rows.add(probs[i]);
        truth.add(truthByClass[labels[i]]);
      }
      float[][] x = rows.toArray(float[][]::new);
      int[] y = truth.stream().mapToInt(Integer::intValue).toArray();
      Json.line(
          out(),
          Json.obj(
              "images",
              x.length,
              "top1",
              EvalOptions.round(TopKAccuracy.accuracy(x, y, 1), 4),
              "top5",
              EvalOptions.round(TopKAccuracy.accuracy(x, y, 5), 4),
              "preprocess",
              extraction.preprocessing().cliName(),
              "resize",
              extraction.resize().cliName(),
              "cached",
              f.cached(),
              "seconds",
              EvalOptions.round((System.nanoTime() - start) / 1e9, 2)));
      return failures == 0 ? ExitCode.OK : ExitCode.SOME_FAILED;
    } catch (IOException e) {
      err().println("mobilenet eval classify: " + e.getMessage());
      return ExitCode.SOME_FAILED;
    }
  }
}
