package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.eval.head.LinearHead;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code predict}: classifies images with a head trained by {@code train-head}. */
@Command(
    name = "predict",
    description = {
      "Classifies images with a head made by train-head.",
      "One line per image: {\"file\": ..., \"top\": [{\"class\": \"3\", \"score\": 0.93}, ...]},"
          + " best first; the embedding recipe (layer, pooling, preprocessing, resize,"
          + " normalisation) comes from HEAD.json."
    })
final class PredictCommand extends CliCommand {
  @Option(
      names = "--head",
      paramLabel = "HEAD.json",
      required = true,
      description = "A head saved by train-head.")
  Path headFile;

  @Option(
      names = "--top",
      paramLabel = "K",
      description = "Classes per image (default: 5, or all when fewer).")
  Integer top;

  /** The head's model unless given (then it must be the head's). */
  @Mixin ModelOptions model;

  @Mixin InferenceOptions inference = new InferenceOptions();

  @Parameters(paramLabel = "PATH", arity = "1..*", description = "Images or folders.")
  List<Path> paths;

  @Override
  public Integer call() throws UsageException {
    Check.filesOnly(paths);
    LinearHead head;
    try {
      head = LinearHead.load(headFile);
    } catch (IOException e) {
      throw new UsageException("--head: " + e.getMessage());
    }
    int k = Check.range("--top", top, Math.min(5, head.classes().size()), 1, head.classes().size());
    ModelProfile profile = model.orRecorded(head.model(), "head " + headFile);
    if (!profile.id().equals(head.model())) {
      throw new UsageException(
          "the head was trained on model " + head.model() + ", the profile is " + profile.id());
    }
    int[] failures = {0};
    List<ImageSource> sources = ExtractorOptions.sources(paths, in(), out(), failures);
    int cpus = Runtime.getRuntime().availableProcessors();
    try (FeatureExtractor fx =
        head.embedding()
            .extractor()
            .profile(profile)
            .intraOpThreads(inference.threads(cpus))
            .maxBatch(inference.batch())
            .build()) {
      try {
        fx.profile().resolve(head.embedding().layer());
      } catch (IllegalArgumentException e) {
        throw new UsageException("head layer: " + e.getMessage());
      }
      ExtractorOptions.extractEach(
          fx,
          sources,
          head.embedding().layer(),
          out(),
          failures,
          r -> {
            float[] v = head.embedding().embed(r.features());
            if (v.length != head.dimension()) {
              failures[0]++;
              Json.line(
                  out(),
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
            Json.line(out(), Json.obj("file", r.source().name(), "top", top));
          });
    }
    return failures[0] == 0 ? ExitCode.OK : ExitCode.SOME_FAILED;
  }
}
