package io.github.mobilenet.embeddings.job;

import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.IndexConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Job tests on the real model: one embedder of the default configuration per test class. */
abstract class WithDefaultEmbedder {
  static ImageEmbedder embedder;

  @BeforeAll
  static void openEmbedder() {
    embedder = ImageEmbedder.open(IndexConfig.defaults());
  }

  @AfterAll
  static void closeEmbedder() {
    embedder.close();
  }
}
