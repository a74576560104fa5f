package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.extract.Pooling;
import io.github.mobilenet.eval.data.EmbeddingCache;
import io.github.mobilenet.eval.data.LabeledImages;
import io.github.mobilenet.eval.data.LayerFeatures;
import io.github.mobilenet.eval.probe.TopKAccuracy;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code eval classify}: top-1 / top-5 accuracy of the ImageNet head on labelled images. */
final class EvalClassifyCommand implements Command {
  @Override
  public String name() {
    return "classify";
  }

  @Override
  public String usage() {
    return "eval classify --labels FILE [--preprocess full|center-crop] [--resize antialias|bilinear] [--cache DIR | --no-cache] DIR\n"
        + "  LABELS classes are ImageNet indices in the 1001-class scheme (0 = background), e.g. 286 = Egyptian cat.\n"
        + "  Prints {\"images\": N, \"top1\": ..., \"top5\": ..., \"seconds\": ...}.";
  }

  @Override
  public int run(String[] argv, PrintStream out, PrintStream err) throws UsageException {
    Args a = Args.parse(argv, EvalOptions.valued(), EvalOptions.flags());
    long start = System.nanoTime();
    if (a.has("layer") || a.has("pool") || a.has("normalize")) {
      throw new UsageException(
          "eval classify always uses the probs layer; --layer, --pool and --normalize do not apply");
    }
    EmbeddingCache.Extraction extraction =
        EvalOptions.extraction(a, EvalOptions.config(a).withLayer("probs"));
    EmbeddingCache cache = EvalOptions.cache(a);
    try {
      LabeledImages images = EvalOptions.labeled(a);
      int classes = extraction.profile().endpoints().get("probs").size();
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
      LayerFeatures f =
          cache.load(extraction, images, "probs", Set.of(), EvalOptions.progress(a, err));
      float[][] probs = f.vectors(Pooling.AVG);
      int[] labels = images.labels();
      List<float[]> rows = new ArrayList<>();
      List<Integer> truth = new ArrayList<>();
      int failures = 0;
      for (int i = 0; i < images.size(); i++) {
        if (probs[i] == null) {
          failures++;
          Json.line(out, Json.obj("file", images.names().get(i), "error", f.errors().get(i)));
          continue;
        }
        rows.add(probs[i]);
        truth.add(truthByClass[labels[i]]);
      }
      float[][] x = rows.toArray(float[][]::new);
      int[] y = truth.stream().mapToInt(Integer::intValue).toArray();
      Json.line(
          out,
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
      return failures == 0 ? OK : SOME_FAILED;
    } catch (IOException e) {
      err.println("mobilenet eval classify: " + e.getMessage());
      return SOME_FAILED;
    }
  }
}
