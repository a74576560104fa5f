package io.github.mobilenet.demo.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --threads} and {@code --batch} of the commands that only run inference (eval, predict).
 */
final class InferenceOptions {
  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Inference threads, 1..256 (default: the number of cores).")
  Integer threads;

  @Mixin BatchOption batch = new BatchOption();

  /** --threads checked, else {@code cpus}. */
  int threads(int cpus) throws UsageException {
    return Check.range("--threads", threads, cpus, 1, 256);
  }

  /** --batch checked, else 32. */
  int batch() throws UsageException {
    return batch.get();
  }
}
