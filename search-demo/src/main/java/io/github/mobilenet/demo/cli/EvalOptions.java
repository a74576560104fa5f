package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.extract.Pooling;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.core.preprocess.Preprocessing;
import io.github.mobilenet.core.preprocess.ResizeFilter;
import io.github.mobilenet.eval.data.EmbeddingCache;
import io.github.mobilenet.eval.data.EmbeddingConfig;
import io.github.mobilenet.eval.data.LabeledImages;
import io.github.mobilenet.eval.retrieval.Normalization;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Options shared by the evaluation commands: the embedding recipe (defaults: {@link
 * EmbeddingConfig#DEFAULT}), the feature cache, the LABELS file and the image directory.
 */
final class EvalOptions {
  static final Set<String> EMBEDDING =
      Set.of("layer", "pool", "preprocess", "resize", "normalize", "profile");
  static final Set<String> RUNTIME = Set.of("cache", "threads", "batch");
  static final Set<String> FLAGS = Set.of("no-cache", "quiet");

  private EvalOptions() {}

  static Set<String> valued(String... more) {
    Set<String> all = new HashSet<>(EMBEDDING);
    all.addAll(RUNTIME);
    all.add("labels");
    all.addAll(List.of(more));
    return all;
  }

  static Set<String> flags(String... more) {
    Set<String> all = new HashSet<>(FLAGS);
    all.addAll(List.of(more));
    return all;
  }

  static String usage() {
    EmbeddingConfig d = EmbeddingConfig.DEFAULT;
    return "[--layer L ("
        + d.layer()
        + ")] [--pool avg|max|gem|gem:P ("
        + d.pooling()
        + ")] [--preprocess full|center-crop ("
        + d.preprocessing().cliName()
        + ")] [--resize antialias|bilinear ("
        + d.resize().cliName()
        + ")] [--normalize none|l2|sqrt ("
        + d.normalization().cliName()
        + ")] [--cache DIR | --no-cache] [--threads N] [--batch N] [--quiet]";
  }

  static EmbeddingConfig config(Args a) throws UsageException {
    EmbeddingConfig d = EmbeddingConfig.DEFAULT;
    return new EmbeddingConfig(
        a.get("layer", d.layer()),
        a.get("pool", d.pooling(), Pooling::parse),
        a.get("preprocess", d.preprocessing(), Preprocessing::parse),
        a.get("resize", d.resize(), ResizeFilter::parse),
        a.get("normalize", d.normalization(), Normalization::parse));
  }

  static ModelProfile profile(Args a) {
    return a.has("profile")
        ? ModelProfile.load(Path.of(a.get("profile", null)))
        : ModelProfile.mobileNetV2();
  }

  static EmbeddingCache.Extraction extraction(Args a, EmbeddingConfig config)
      throws UsageException {
    ModelProfile profile = profile(a);
    try {
      profile.resolve(config.layer());
    } catch (IllegalArgumentException e) {
      throw new UsageException("--layer: " + e.getMessage());
    }
    return new EmbeddingCache.Extraction(profile, config.preprocessing(), config.resize());
  }

  static EmbeddingCache cache(Args a) throws UsageException {
    if (a.has("no-cache") && a.has("cache")) {
      throw new UsageException("--cache and --no-cache exclude each other");
    }
    Path dir =
        a.has("no-cache")
            ? null
            : a.has("cache") ? Path.of(a.get("cache", null)) : EmbeddingCache.defaultDirectory();
    int cpus = Runtime.getRuntime().availableProcessors();
    int threads = a.getInt("threads", cpus, 1, 256);
    return new EmbeddingCache(dir, cpus, threads, a.getInt("batch", 32, 1, 1024));
  }

  /** The single DIR positional and --labels, read into a labelled set. */
  static LabeledImages labeled(Args a) throws UsageException, IOException {
    String labels = a.require("labels");
    if (a.positionals().size() != 1) {
      throw new UsageException("expected exactly one DIR, got " + a.positionals().size());
    }
    try {
      return LabeledImages.read(Path.of(labels), Path.of(a.positionals().get(0)));
    } catch (NoSuchFileException e) {
      throw new UsageException(
          e.getFile() + ": " + (e.getReason() != null ? e.getReason() : "not found"));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** Progress on stderr every 10 %, unless --quiet. */
  static BiConsumer<Integer, Integer> progress(Args a, PrintStream err) {
    if (a.has("quiet")) {
      return null;
    }
    int[] last = {-1};
    return (done, total) -> {
      int tenth = done * 10 / Math.max(1, total);
      if (tenth != last[0]) {
        last[0] = tenth;
        err.println("extracting: " + done + "/" + total);
      }
    };
  }

  /** Reports each image that failed to decode as an error line; returns how many. */
  static int reportFailures(List<String> failed, List<String> errors, PrintStream out) {
    for (int i = 0; i < failed.size(); i++) {
      Json.line(out, Json.obj("file", failed.get(i), "error", errors.get(i)));
    }
    return failed.size();
  }

  static double round(double v, int decimals) {
    if (!Double.isFinite(v)) {
      return v;
    }
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }

  /** The logistic-regression trainer of {@code --lambda} (L2 strength). */
  static io.github.mobilenet.eval.learn.SoftmaxRegression trainer(Args a) throws UsageException {
    double lambda =
        a.getDouble("lambda", io.github.mobilenet.eval.learn.SoftmaxRegression.DEFAULT_LAMBDA);
    try {
      return new io.github.mobilenet.eval.learn.SoftmaxRegression(
          lambda, io.github.mobilenet.eval.learn.SoftmaxRegression.DEFAULT_MAX_ITERATIONS);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--lambda: " + e.getMessage());
    }
  }
}
