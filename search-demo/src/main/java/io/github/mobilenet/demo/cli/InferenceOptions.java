package io.github.mobilenet.demo.cli;

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

  @Option(
      names = "--batch",
      paramLabel = "N",
      description = "Images per inference call, 1..1024 (default: 32).")
  Integer batch;

  /** --threads checked, else {@code cpus}. */
  int threads(int cpus) throws UsageException {
    return Check.range("--threads", threads, cpus, 1, 256);
  }

  /** --batch checked, else 32. */
  int batch() throws UsageException {
    return Check.range("--batch", batch, 32, 1, 1024);
  }
}
