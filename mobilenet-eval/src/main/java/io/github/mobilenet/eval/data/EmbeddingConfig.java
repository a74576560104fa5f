package io.github.mobilenet.eval.data;

import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.extract.Features;
import io.github.mobilenet.core.extract.Pooling;
import io.github.mobilenet.core.preprocess.Preprocessing;
import io.github.mobilenet.core.preprocess.ResizeFilter;
import io.github.mobilenet.eval.retrieval.Normalization;
import java.util.Objects;

/**
 * A recipe for one embedding vector per image: which layer, how its spatial map is pooled, how the
 * image is preprocessed and resized, and how the vector is normalised.
 *
 * @param layer endpoint name (e.g. {@code layer_19}, {@code pooled})
 * @param pooling how a spatial map becomes a vector (ignored for vector layers)
 * @param preprocessing which part of the image the network sees
 * @param resize resampling filter
 * @param normalization what is done to the pooled vector
 */
public record EmbeddingConfig(
    String layer,
    Pooling pooling,
    Preprocessing preprocessing,
    ResizeFilter resize,
    Normalization normalization) {

  /**
   * The recommended configuration (docs/QUALITY.md): layer_19, GeM (p = 3), whole image,
   * antialiased resize, L2 (cosine). It beat the old default ({@code pooled}, average) on flowers17
   * and on both of its held-out class halves without losing anything on distorted copies of other
   * photos. (The centre crop measured 0.8 points more on both sets but discards the borders of
   * every non-square photo.)
   */
  public static final EmbeddingConfig DEFAULT =
      new EmbeddingConfig(
          io.github.mobilenet.embeddings.index.IndexConfig.DEFAULT_LAYER,
          io.github.mobilenet.embeddings.index.IndexConfig.DEFAULT_POOLING,
          io.github.mobilenet.embeddings.index.IndexConfig.DEFAULT_PREPROCESSING,
          io.github.mobilenet.embeddings.index.IndexConfig.DEFAULT_RESIZE,
          Normalization.L2); // the index's defaults: one place decides them

  public EmbeddingConfig {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(pooling, "pooling");
    Objects.requireNonNull(preprocessing, "preprocessing");
    Objects.requireNonNull(resize, "resize");
    Objects.requireNonNull(normalization, "normalization");
  }

  public EmbeddingConfig withLayer(String layer) {
    return new EmbeddingConfig(layer, pooling, preprocessing, resize, normalization);
  }

  public EmbeddingConfig withPooling(Pooling pooling) {
    return new EmbeddingConfig(layer, pooling, preprocessing, resize, normalization);
  }

  public EmbeddingConfig withPreprocessing(Preprocessing preprocessing) {
    return new EmbeddingConfig(layer, pooling, preprocessing, resize, normalization);
  }

  public EmbeddingConfig withResize(ResizeFilter resize) {
    return new EmbeddingConfig(layer, pooling, preprocessing, resize, normalization);
  }

  public EmbeddingConfig withNormalization(Normalization normalization) {
    return new EmbeddingConfig(layer, pooling, preprocessing, resize, normalization);
  }

  /** The embedding of extracted features: pooled (for a spatial map), then normalised. */
  public float[] embed(Features features) {
    return normalization.apply(features.pooled(pooling));
  }

  /** An extractor builder set to this recipe's preprocessing and resize filter. */
  public FeatureExtractor.Builder extractor() {
    return FeatureExtractor.builder().preprocessing(preprocessing).resizeFilter(resize);
  }

  /** Compact description, e.g. {@code layer_19/gem/full/antialias/sqrt}. */
  @Override
  public String toString() {
    return layer
        + "/"
        + pooling
        + "/"
        + preprocessing.cliName()
        + "/"
        + resize.cliName()
        + "/"
        + normalization.cliName();
  }
}
