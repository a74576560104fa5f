package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.MobileNetException;
import io.github.mobilenet.core.extract.FeatureExtractor;
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
import java.util.function.Consumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Options every image-reading command shares: --preprocess, --resize, --model/--profile, --threads,
 * --batch.
 */
final class ExtractorOptions {
  @Option(
      names = "--preprocess",
      paramLabel = "full|center-crop",
      defaultValue = "full",
      description = "Whole image or centre crop (default: ${DEFAULT-VALUE}).")
  Preprocessing preprocess;

  @Option(
      names = "--resize",
      paramLabel = "antialias|bilinear",
      defaultValue = "antialias",
      description = "Downscaling filter (default: ${DEFAULT-VALUE}).")
  ResizeFilter resize;

  @Mixin ModelOptions model;

  @Mixin SizeOption size;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "ONNX Runtime intra-op threads, 1..256 (default: the number of cores).")
  Integer threads;

  @Option(
      names = "--batch",
      paramLabel = "N",
      description = "Images per inference call, 1..1024 (default: 32).")
  Integer batch;

  FeatureExtractor open() throws UsageException {
    return open(model.profile());
  }

  /** An extractor on {@code profile} with these options. */
  FeatureExtractor open(ModelProfile profile) throws UsageException {
    FeatureExtractor.Builder b = FeatureExtractor.builder();
    b.preprocessing(preprocess);
    b.resizeFilter(resize);
    b.profile(profile);
    b.intraOpThreads(
        Check.range("--threads", threads, Runtime.getRuntime().availableProcessors(), 1, 256));
    b.maxBatch(Check.range("--batch", batch, FeatureExtractor.DEFAULT_MAX_BATCH, 1, 1024));
    if (size.get() != null) {
      b.inputSize(size.get());
    }
    return SizeOption.opening(b::build);
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
