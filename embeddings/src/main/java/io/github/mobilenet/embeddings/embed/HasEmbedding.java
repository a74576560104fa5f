package io.github.mobilenet.embeddings.embed;

import io.github.mobilenet.core.extract.Pooling;
import io.github.mobilenet.core.preprocess.InputSize;
import io.github.mobilenet.core.preprocess.Preprocessing;
import io.github.mobilenet.core.preprocess.ResizeFilter;

/**
 * A value built around an {@link Embedding} (an index's configuration, an evaluation recipe) that
 * shows the embedding's parts as its own, so that each holder need not forward them one by one.
 * Thread-safety is the implementation's; the records of this library are immutable.
 */
public interface HasEmbedding {
  /** What the vectors mean. */
  Embedding embedding();

  /** {@link Embedding#modelId()}. */
  default String modelId() {
    return embedding().modelId();
  }

  /** {@link Embedding#layer()}. */
  default String layer() {
    return embedding().layer();
  }

  /** {@link Embedding#pooling()}: null for a vector endpoint in an index. */
  default Pooling pooling() {
    return embedding().pooling();
  }

  /** {@link Embedding#preprocessing()}. */
  default Preprocessing preprocessing() {
    return embedding().preprocessing();
  }

  /** {@link Embedding#resize()}. */
  default ResizeFilter resize() {
    return embedding().resize();
  }

  /**
   * {@link Embedding#inputSize()}: the network input size; null for the model's own (indexes from
   * before this setting).
   */
  default InputSize inputSize() {
    return embedding().inputSize();
  }
}
