package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.extract.Pooling;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.embeddings.embed.Embedding;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.eval.data.EmbeddedSet;
import io.github.mobilenet.eval.data.EmbeddingCache;
import io.github.mobilenet.eval.data.EmbeddingConfig;
import io.github.mobilenet.eval.data.LabeledImages;
import io.github.mobilenet.eval.learn.SoftmaxRegression;
import io.github.mobilenet.eval.retrieval.Normalization;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Options shared by the evaluation commands: the embedding recipe (defaults: {@link
 * EmbeddingConfig#DEFAULT}), the feature cache, the LABELS file and the image directory. Recipe
 * flags have no picocli default: not given means the value of {@link EmbeddingConfig#DEFAULT}.
 */
final class EvalOptions {
  @Option(
      names = "--labels",
      paramLabel = "FILE",
      required = true,
      description = "LABELS: filename<TAB>class per line, filenames relative to DIR.")
  Path labels;

  @Option(
      names = "--layer",
      paramLabel = "L",
      description = "Layer to embed (default: " + IndexConfig.DEFAULT_LAYER + ").")
  String layer;

  @Option(
      names = "--pool",
      paramLabel = "avg|max|gem|gem:P",
      description = "Pooling of the layer (default: gem, p = 3).")
  Pooling pool;

  @Mixin PreprocessOptions imagePrep = new PreprocessOptions();

  @Option(
      names = "--normalize",
      paramLabel = "none|l2|sqrt",
      description = "Vector normalisation (default: l2).")
  Normalization normalize;

  @Mixin ModelOptions model;

  @Mixin SizeOption size;

  private ModelProfile profile;

  @Option(
      names = "--cache",
      paramLabel = "DIR",
      description =
          "Feature cache, so sweeps are cheap (default: $MOBILENET_CACHE, else"
              + " ~/.cache/mobilenet-embeddings).")
  Path cache;

  @Option(names = "--no-cache", description = "Neither read nor write the feature cache.")
  boolean noCache;

  @Mixin InferenceOptions inference = new InferenceOptions();

  @Option(names = "--quiet", description = "No progress lines on stderr.")
  boolean quiet;

  @Parameters(paramLabel = "DIR", arity = "1", description = "The folder the LABELS paths are in.")
  Path dir;

  /** Whether any of the recipe flags that eval classify cannot use was given. */
  boolean recipeGiven() {
    return layer != null || pool != null || normalize != null;
  }

  /**
   * The recipe: flags given, else {@link EmbeddingConfig#DEFAULT}'s values, on the chosen model
   * (whose default layer is {@link ModelOptions#defaultLayer} when it is not the default model).
   */
  EmbeddingConfig config() throws UsageException {
    EmbeddingConfig d = EmbeddingConfig.DEFAULT;
    ModelProfile p = profile();
    String l =
        layer != null
            ? layer
            : p.id().equals(d.embedding().modelId()) ? d.layer() : ModelOptions.defaultLayer(p);
    return new EmbeddingConfig(
        new Embedding(
            p.id(),
            l,
            pool != null ? pool : d.pooling(),
            imagePrep.preprocessOr(d.preprocessing()),
            imagePrep.resizeOr(d.resize()),
            Embedding.canonical(p, size.get())),
        normalize != null ? normalize : d.normalization());
  }

  /** The model of --model / --profile, else the default one; read once. */
  ModelProfile profile() throws UsageException {
    if (profile == null) {
      profile = model.profile();
    }
    return profile;
  }

  EmbeddingCache.Extraction extraction(EmbeddingConfig config) throws UsageException {
    ModelProfile p = profile();
    try {
      p.resolve(config.layer());
    } catch (IllegalArgumentException e) {
      throw new UsageException("--layer: " + e.getMessage());
    }
    return new EmbeddingCache.Extraction(
        p, config.preprocessing(), config.resize(), config.embedding().inputSize());
  }

  EmbeddingCache cache() throws UsageException {
    if (noCache && cache != null) {
      throw new UsageException("--cache and --no-cache exclude each other");
    }
    Path folder = noCache ? null : cache != null ? cache : EmbeddingCache.defaultDirectory();
    int cpus = Runtime.getRuntime().availableProcessors();
    return new EmbeddingCache(folder, cpus, inference.threads(cpus), inference.batch());
  }

  /** The DIR positional and --labels, read into a labelled set. */
  LabeledImages labeled() throws UsageException, IOException {
    Check.filesOnly(List.of(dir));
    try {
      return LabeledImages.read(labels, dir);
    } catch (NoSuchFileException e) {
      throw new UsageException(
          e.getFile() + ": " + (e.getReason() != null ? e.getReason() : "not found"));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** What an evaluation command does with the embedded set: returns the exit code. */
  interface SetTask {
    int run(EmbeddedSet set, EmbeddingCache.Extraction extraction, int failures)
        throws UsageException, IOException;
  }

  /** A check of the labelled set before it is embedded (embedding is the expensive part). */
  interface ImagesCheck {
    void check(LabeledImages images) throws UsageException;
  }

  /**
   * {@link #withEmbeddedSet(String, EmbeddingConfig, PrintStream, PrintStream, ImagesCheck,
   * SetTask)} without a check.
   */
  int withEmbeddedSet(
      String command, EmbeddingConfig config, PrintStream out, PrintStream err, SetTask task)
      throws UsageException {
    return withEmbeddedSet(command, config, out, err, images -> {}, task);
  }

  /**
   * The evaluation commands' common run: checks the extraction and cache flags, reads DIR's
   * labelled images, embeds them with {@code config} (progress on {@code err}), reports each image
   * that failed as an error line on {@code out}, then runs {@code task}. An I/O error is reported
   * on {@code err} as {@code mobilenet COMMAND: ...} and exits 1.
   */
  int withEmbeddedSet(
      String command,
      EmbeddingConfig config,
      PrintStream out,
      PrintStream err,
      ImagesCheck check,
      SetTask task)
      throws UsageException {
    EmbeddingCache.Extraction extraction = extraction(config);
    EmbeddingCache cache = cache();
    try {
      LabeledImages images = labeled();
      check.check(images);
      EmbeddedSet set = EmbeddedSet.of(images, config, cache, extraction, progress(err));
      return task.run(set, extraction, reportFailures(set.failed(), set.errors(), out));
    } catch (IOException e) {
      err.println("mobilenet " + command + ": " + e.getMessage());
      return ExitCode.SOME_FAILED;
    }
  }

  /** Progress on stderr every 10 %, unless --quiet. */
  BiConsumer<Integer, Integer> progress(PrintStream err) {
    if (quiet) {
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
  static SoftmaxRegression trainer(double lambda) throws UsageException {
    try {
      return new SoftmaxRegression(lambda, SoftmaxRegression.DEFAULT_MAX_ITERATIONS);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--lambda: " + e.getMessage());
    }
  }
}
