package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.extract.FeatureExtractor;
import picocli.CommandLine.Option;

/** {@code --batch N}, the images per inference call, as every command that embeds takes it. */
final class BatchOption {
  @Option(
      names = "--batch",
      paramLabel = "N",
      description = "Images per inference call, 1..1024 (default: 8).")
  Integer batch;

  /** --batch checked, else {@link FeatureExtractor#DEFAULT_MAX_BATCH} (8). */
  int get() throws UsageException {
    return Check.range("--batch", batch, FeatureExtractor.DEFAULT_MAX_BATCH, 1, 1024);
  }
}
