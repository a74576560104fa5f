package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.preprocess.Preprocessing;
import io.github.mobilenet.core.preprocess.ResizeFilter;
import picocli.CommandLine.Option;

/**
 * {@code --preprocess} and {@code --resize}, as every command that decodes images takes them. No
 * picocli default: not given is null, so a command can tell it from the default (index and eval
 * take an existing index's or the recipe's value then).
 */
final class PreprocessOptions {
  @Option(
      names = "--preprocess",
      paramLabel = "full|center-crop",
      description = "Whole image or centre crop (default: full).")
  Preprocessing preprocess;

  @Option(
      names = "--resize",
      paramLabel = "antialias|bilinear",
      description = "Downscaling filter (default: antialias).")
  ResizeFilter resize;

  /** --preprocess, else {@code otherwise}. */
  Preprocessing preprocessOr(Preprocessing otherwise) {
    return preprocess != null ? preprocess : otherwise;
  }

  /** --resize, else {@code otherwise}. */
  ResizeFilter resizeOr(ResizeFilter otherwise) {
    return resize != null ? resize : otherwise;
  }
}
