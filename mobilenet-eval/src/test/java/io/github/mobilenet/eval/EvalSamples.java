package io.github.mobilenet.eval;

import io.github.mobilenet.core.TestFiles;
import io.github.mobilenet.eval.data.DistortedCopies;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Committed sample photos (samples/ at the repository root) turned into a small labelled retrieval
 * set.
 */
final class EvalSamples {
  /** Eight unrelated photos: each becomes one class of distorted copies. */
  static final List<String> SOURCES =
      List.of(
          "natural/bird.bmp",
          "natural/cat.bmp",
          "natural/dragonfly.bmp",
          "natural/hot_dog.jpg",
          "natural/parrot.jpg",
          "test/skimage_coffee.jpg",
          "test/darknet_giraffe.jpg",
          "test/skimage_rocket.jpg");

  private EvalSamples() {}

  /**
   * Writes {@code copies} distorted copies of each of {@link #SOURCES} into {@code dir}; returns
   * the LABELS file.
   */
  static Path variants(Path dir, int copies) throws IOException {
    return DistortedCopies.write(SOURCES.stream().map(TestFiles::sample).toList(), dir, copies, 0);
  }
}
