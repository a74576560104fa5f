package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.MobileNetException;
import io.github.mobilenet.core.extract.ExtractionResult;
import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.extract.MultiLayerResult;
import io.github.mobilenet.core.image.ImageFiles;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.core.preprocess.Preprocessing;
import io.github.mobilenet.core.preprocess.ResizeFilter;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Options every image-reading command shares: --preprocess, --resize, --model/--profile, --threads,
 * --batch.
 */
final class ExtractorOptions {
  @Mixin PreprocessOptions imagePrep = new PreprocessOptions();

  @Mixin ModelOptions model;

  @Mixin SizeOption size;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "ONNX Runtime intra-op threads, 1..256 (default: the number of cores).")
  Integer threads;

  @Mixin BatchOption batch = new BatchOption();

  FeatureExtractor open() throws UsageException {
    return open(model.profile());
  }

  /** An extractor on {@code profile} with these options. */
  FeatureExtractor open(ModelProfile profile) throws UsageException {
    FeatureExtractor.Builder b = FeatureExtractor.builder();
    b.preprocessing(imagePrep.preprocessOr(Preprocessing.FULL));
    b.resizeFilter(imagePrep.resizeOr(ResizeFilter.ANTIALIAS));
    b.profile(profile);
    b.intraOpThreads(
        Check.range("--threads", threads, Runtime.getRuntime().availableProcessors(), 1, 256));
    b.maxBatch(batch.get());
    if (size.get() != null) {
      b.inputSize(size.get());
    }
    return SizeOption.opening(b::build);
  }

  /**
   * Runs {@code layer} over {@code sources}, decoding on every core: an image that fails is counted
   * in {@code failures} and reported as an error line on {@code out}; every other goes to {@code
   * each}, in input order.
   */
  static void extractEach(
      FeatureExtractor fx,
      List<ImageSource> sources,
      String layer,
      PrintStream out,
      int[] failures,
      Consumer<ExtractionResult> each) {
    fx.extractEach(
        sources.iterator(),
        layer,
        Runtime.getRuntime().availableProcessors(),
        unlessFailed(ExtractionResult::source, ExtractionResult::error, out, failures, each));
  }

  /**
   * {@link #extractEach(FeatureExtractor, List, String, PrintStream, int[], Consumer)} for several
   * layers in one pass.
   */
  static void extractEach(
      FeatureExtractor fx,
      List<ImageSource> sources,
      Set<String> layers,
      PrintStream out,
      int[] failures,
      Consumer<MultiLayerResult> each) {
    fx.extractEach(
        sources.iterator(),
        layers,
        Runtime.getRuntime().availableProcessors(),
        unlessFailed(MultiLayerResult::source, MultiLayerResult::error, out, failures, each));
  }

  /** {@code each} for the results without an error; one that has one is reported instead. */
  private static <R> Consumer<R> unlessFailed(
      Function<R, ImageSource> source,
      Function<R, MobileNetException> error,
      PrintStream out,
      int[] failures,
      Consumer<R> each) {
    return r -> {
      if (error.apply(r) == null) {
        each.accept(r);
      } else {
        reportFailure(source.apply(r), error.apply(r), out, failures);
      }
    };
  }

  private static void reportFailure(
      ImageSource source, MobileNetException error, PrintStream out, int[] failures) {
    failures[0]++;
    Json.line(out, Json.obj("file", source.name(), "error", error.getMessage()));
  }

  /**
   * Expands PATH arguments; walk problems are reported as error lines. {@code -} is one image read
   * from {@code stdin}, named "-".
   */
  static List<ImageSource> sources(
      List<Path> paths, InputStream stdin, PrintStream out, int[] failures) throws UsageException {
    Consumer<String> problems =
        problem -> {
          failures[0]++;
          Json.line(out, Json.obj("file", problem, "error", "cannot walk"));
        };
    long dashes = paths.stream().filter(Check::isStandardInput).count();
    if (dashes == 0) {
      return ImageFiles.expand(paths, problems).stream().map(ImageSource::of).toList();
    }
    if (dashes > 1) {
      throw new UsageException("- (standard input) can be given only once");
    }
    List<ImageSource> sources = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    for (Path p : paths) {
      if (!Check.isStandardInput(p)) {
        files.add(p);
        continue;
      }
      ImageFiles.expand(files, problems).forEach(f -> sources.add(ImageSource.of(f)));
      files.clear();
      try {
        sources.add(ImageSource.of(stdin, "-"));
      } catch (MobileNetException e) {
        failures[0]++;
        Json.line(out, Json.obj("file", "-", "error", e.getMessage()));
      }
    }
    ImageFiles.expand(files, problems).forEach(f -> sources.add(ImageSource.of(f)));
    return sources;
  }
}
