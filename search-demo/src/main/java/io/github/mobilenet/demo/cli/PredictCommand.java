package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.eval.head.LinearHead;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/** {@code predict}: classifies images with a head trained by {@code train-head}. */
final class PredictCommand implements Command {
  @Override
  public String name() {
    return "predict";
  }

  @Override
  public String usage() {
    return "predict --head HEAD.json [--top K] [--profile PROFILE.json] [--threads N] [--batch N] PATH...\n"
        + "  one line per image: {\"file\": ..., \"top\": [{\"class\": \"3\", \"score\": 0.93}, ...]}, best first;\n"
        + "  the embedding recipe (layer, pooling, preprocessing, resize, normalisation) comes from HEAD.json.";
  }

  @Override
  public int run(String[] argv, PrintStream out, PrintStream err) throws UsageException {
    Args a = Args.parse(argv, Set.of("head", "top", "profile", "threads", "batch"), Set.of());
    LinearHead head;
    try {
      head = LinearHead.load(Path.of(a.require("head")));
    } catch (IOException e) {
      throw new UsageException("--head: " + e.getMessage());
    }
    int k = a.getInt("top", Math.min(5, head.classes().size()), 1, head.classes().size());
    ModelProfile profile =
        a.has("profile")
            ? ModelProfile.load(Path.of(a.get("profile", null)))
            : ModelProfile.mobileNetV2();
    if (!profile.id().equals(head.model())) {
      throw new UsageException(
          "the head was trained on model " + head.model() + ", the profile is " + profile.id());
    }
    int[] failures = {0};
    List<ImageSource> sources = ExtractorOptions.sources(a, out, failures);
    int cpus = Runtime.getRuntime().availableProcessors();
    try (FeatureExtractor fx =
        head.embedding()
            .extractor()
            .profile(profile)
            .intraOpThreads(a.getInt("threads", cpus, 1, 256))
            .maxBatch(a.getInt("batch", 32, 1, 1024))
            .build()) {
      try {
        fx.profile().resolve(head.embedding().layer());
      } catch (IllegalArgumentException e) {
        throw new UsageException("head layer: " + e.getMessage());
      }
      fx.extractEach(
          sources.iterator(),
          head.embedding().layer(),
          cpus,
          r -> {
            if (!r.ok()) {
              failures[0]++;
              Json.line(out, Json.obj("file", r.source().name(), "error", r.error().getMessage()));
              return;
            }
            float[] v = head.embedding().embed(r.features());
            if (v.length != head.dimension()) {
              failures[0]++;
              Json.line(
                  out,
                  Json.obj(
                      "file",
                      r.source().name(),
                      "error",
                      "embedding has "
                          + v.length
                          + " dimensions, the head expects "
                          + head.dimension()));
              return;
            }
            double[] p = head.probabilities(v);
            List<Object> top = new ArrayList<>();
            IntStream.range(0, p.length)
                .boxed()
                .sorted(Comparator.comparingDouble((Integer c) -> -p[c]).thenComparingInt(c -> c))
                .limit(k)
                .forEach(
                    c ->
                        top.add(
                            Json.obj(
                                "class",
                                head.classes().get(c),
                                "score",
                                EvalOptions.round(p[c], 6))));
            Json.line(out, Json.obj("file", r.source().name(), "top", top));
          });
    }
    return failures[0] == 0 ? OK : SOME_FAILED;
  }
}
