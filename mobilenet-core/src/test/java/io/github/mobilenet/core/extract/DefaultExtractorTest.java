package io.github.mobilenet.core.extract;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Tests that share one extractor of the bundled model with default settings, opened once per test
 * class (opening verifies a graph, which takes a while) and closed after it.
 */
abstract class DefaultExtractorTest {
  static FeatureExtractor fx;

  @BeforeAll
  static void openDefaultExtractor() {
    fx = FeatureExtractor.create();
  }

  @AfterAll
  static void closeDefaultExtractor() {
    fx.close();
  }
}
