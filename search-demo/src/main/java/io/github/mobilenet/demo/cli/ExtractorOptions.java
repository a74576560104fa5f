package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.image.ImageFiles;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.preprocess.Preprocessing;
import io.github.mobilenet.core.preprocess.ResizeFilter;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** Options every image-reading command shares: --preprocess, --resize, --profile, --threads. */
final class ExtractorOptions {
  static final Set<String> VALUED = Set.of("preprocess", "resize", "profile", "threads", "batch");

  private ExtractorOptions() {}

  static FeatureExtractor open(Args a) throws UsageException {
    FeatureExtractor.Builder b = FeatureExtractor.builder();
    b.preprocessing(a.get("preprocess", Preprocessing.FULL, Preprocessing::parse));
    b.resizeFilter(a.get("resize", ResizeFilter.ANTIALIAS, ResizeFilter::parse));
    if (a.has("profile")) {
      b.profile(Path.of(a.get("profile", null)));
    }
    b.intraOpThreads(a.getInt("threads", Runtime.getRuntime().availableProcessors(), 1, 256));
    b.maxBatch(a.getInt("batch", FeatureExtractor.DEFAULT_MAX_BATCH, 1, 1024));
    return b.build();
  }

  static String usage() {
    return "[--preprocess full|center-crop] [--resize antialias|bilinear] [--profile PROFILE.json] [--threads N] [--batch N]";
  }

  /** Expands PATH arguments; walk problems are reported as error lines. */
  static List<ImageSource> sources(Args a, PrintStream out, int[] failures) throws UsageException {
    List<Path> files =
        ImageFiles.expand(
            a.paths(),
            problem -> {
              failures[0]++;
              Json.line(out, Json.obj("file", problem, "error", "cannot walk"));
            });
    return files.stream().map(ImageSource::of).toList();
  }

  static Set<String> with(Set<String> more) {
    java.util.HashSet<String> all = new java.util.HashSet<>(VALUED);
    all.addAll(more);
    return all;
  }
}
