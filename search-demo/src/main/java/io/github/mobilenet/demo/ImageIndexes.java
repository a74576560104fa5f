package io.github.mobilenet.demo;

import io.github.mobilenet.embeddings.ImageIndex;
import io.github.mobilenet.embeddings.IndexConfig;
import java.nio.file.Path;
import java.util.Optional;

/** Small helpers shared by the index commands. */
final class ImageIndexes {
  private ImageIndexes() {}

  static Optional<IndexConfig> readConfig(Path index) {
    return ImageIndex.readConfig(index);
  }

  static Path indexPath(Args a) throws UsageException {
    return Path.of(a.require("index"));
  }
}
