package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.model.ModelLoadException;
import io.github.mobilenet.core.preprocess.InputSize;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** {@code --size S|HxW}: the network input size, shared by extract, classify, index and eval. */
final class SizeOption {
  /** Largest side --size accepts: beyond it one image's tensors take gigabytes. */
  static final int MAX_SIDE = 4096;

  @Option(
      names = "--size",
      paramLabel = "S|HxW",
      description =
          "Network input size: S scales each image's shorter side to S (aspect kept), HxW makes"
              + " every image H x W (default: the model's own, e.g. 224x224).")
  InputSize size;

  /** The size given, checked; null when not given. */
  InputSize get() throws UsageException {
    if (size != null) {
      int largest = size.isExact() ? Math.max(size.height(), size.width()) : size.shorterSide();
      if (largest > MAX_SIDE) {
        throw new UsageException(
            "--size " + size.spec() + " is too large; sides up to " + MAX_SIDE + " pixels");
      }
    }
    return size;
  }

  /**
   * Builds what {@code open} makes, turning a model that cannot run at another size into a usage
   * error naming the flag.
   */
  static <T> T opening(Supplier<T> open) throws UsageException {
    try {
      return open.get();
    } catch (ModelLoadException e) {
      if (e.reason() == ModelLoadException.Reason.FIXED_INPUT_SIZE) {
        throw new UsageException("--size: " + e.getMessage());
      }
      throw e;
    }
  }
}
