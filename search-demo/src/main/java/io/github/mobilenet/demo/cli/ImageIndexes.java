package io.github.mobilenet.demo.cli;

import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.index.IndexConfig;
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
