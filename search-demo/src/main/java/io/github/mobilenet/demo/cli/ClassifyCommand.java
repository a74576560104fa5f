package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.extract.Classification;
import io.github.mobilenet.core.extract.Classifications;
import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.core.model.ModelRegistry;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code classify}: top-K ImageNet classes per image, one JSON object per line. */
@Command(
    name = "classify",
    description = {
      "Top-K classes per image (ImageNet unless --model says otherwise), one JSON line each.",
      "{\"file\": ..., \"top\": [{\"index\": 653, \"label\": \"military uniform\", \"score\": 0.81},"
          + " ...]} (index in the 1001-class scheme, 0 = background); a bad file gives"
          + " {\"file\": ..., \"error\": ...}. Exit 0 all classified, 1 some failed, 2 usage error."
    })
final class ClassifyCommand extends CliCommand {
  @Option(
      names = "--top",
      paramLabel = "K",
      defaultValue = "5",
      description = "Classes per image, 1..the model's classes (default: ${DEFAULT-VALUE}).")
  int top;

  @Mixin ExtractorOptions extractor;

  @Mixin ImagePaths inputs;

  @Override
  public Integer call() throws UsageException {
    ModelProfile profile = extractor.model.profile();
    int k = Check.range("--top", top, 5, 1, classes(profile));
    int[] failures = {0};
    List<ImageSource> sources = inputs.sources(in(), out(), failures);
    try (FeatureExtractor fx = extractor.open(profile)) {
      List<String> labels = fx.labels();
      ExtractorOptions.extractEach(
          fx,
          sources,
          "probs",
          out(),
          failures,
          r -> {
            List<Object> top = new ArrayList<>();
            for (Classification c : Classifications.topK(r.features().values(), k, labels)) {
              top.add(Json.obj("index", c.index(), "label", c.label(), "score", c.score()));
            }
            Json.line(out(), Json.obj("file", r.source().name(), "top", top));
          });
    }
    return failures[0] == 0 ? ExitCode.OK : ExitCode.SOME_FAILED;
  }

  /** The number of classes of the model's classifier; a model without one is a usage error. */
  static int classes(ModelProfile profile) throws UsageException {
    ModelProfile.Endpoint probs = profile.endpoints().get("probs");
    if (probs == null || probs.size() == null || profile.labels() == null) {
      throw new UsageException(
          "model "
              + profile.id()
              + " has no classifier head (no probs endpoint with labels); use a classifier such as "
              + ModelRegistry.DEFAULT_ID
              + ", or extract for this model's features");
    }
    return probs.size();
  }
}
