package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.extract.Classification;
import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.image.ImageSource;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code classify}: top-K ImageNet classes per image, one JSON object per line. */
final class ClassifyCommand implements Command {
  @Override
  public String name() {
    return "classify";
  }

  @Override
  public String usage() {
    return "classify [--top K] "
        + ExtractorOptions.usage()
        + " PATH...\n"
        + "  one line per image: {\"file\": ..., \"top\": [{\"index\": 653, \"label\": \"military uniform\", \"score\": 0.81}, ...]}\n"
        + "  (index in the 1001-class scheme, 0 = background); a bad file gives {\"file\": ..., \"error\": ...}";
  }

  @Override
  public int run(String[] argv, PrintStream out, PrintStream err) throws UsageException {
    Args a = Args.parse(argv, ExtractorOptions.with(Set.of("top")), Set.of());
    int k = a.getInt("top", 5, 1, 1001);
    int[] failures = {0};
    List<ImageSource> sources = ExtractorOptions.sources(a, out, failures);
    try (FeatureExtractor fx = ExtractorOptions.open(a)) {
      List<String> labels = fx.labels();
      fx.extractEach(
          sources.iterator(),
          "probs",
          Runtime.getRuntime().availableProcessors(),
          r -> {
            if (!r.ok()) {
              failures[0]++;
              Json.line(out, Json.obj("file", r.source().name(), "error", r.error().getMessage()));
              return;
            }
            List<Object> top = new ArrayList<>();
            for (Classification c : topK(r.features().values(), k, labels)) {
              top.add(Json.obj("index", c.index(), "label", c.label(), "score", c.score()));
            }
            Json.line(out, Json.obj("file", r.source().name(), "top", top));
          });
    }
    return failures[0] == 0 ? OK : SOME_FAILED;
  }

  static List<Classification> topK(float[] p, int k, List<String> labels) {
    return io.github.mobilenet.core.extract.Classifications.topK(p, k, labels);
  }
}
