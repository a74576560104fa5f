package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.extract.Pooling;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.core.preprocess.Preprocessing;
import io.github.mobilenet.core.preprocess.ResizeFilter;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.index.IndexConfigMismatchException;
import io.github.mobilenet.embeddings.index.VectorFormat;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Turns index-related flags into an {@link IndexConfig}: an existing index's settings, overridden
 * by explicit flags.
 */
final class IndexOptions {
  private IndexOptions() {}

  static ModelProfile profile(Args a) {
    return a.has("profile")
        ? ModelProfile.load(Path.of(a.get("profile", null)))
        : ModelProfile.mobileNetV2();
  }

  /**
   * The configuration to open {@code index} with: flags given win; flags not given take the
   * existing index's value, else {@link IndexConfig}'s defaults. A conflict with the existing index
   * is then reported on open.
   */
  static IndexConfig resolve(Args a, Path index, ModelProfile profile) throws UsageException {
    Optional<IndexConfig> existing;
    try {
      existing = ImageIndexes.readConfig(index);
    } catch (IndexConfigMismatchException e) {
      throw new UsageException(e.getMessage());
    }
    IndexConfig base = existing.orElse(null);
    String layer = a.get("layer", base != null ? base.layer() : IndexConfig.DEFAULT_LAYER);
    Pooling pooling =
        a.get(
            "pool",
            base != null && base.pooling() != null ? base.pooling() : IndexConfig.DEFAULT_POOLING,
            Pooling::parse);
    Preprocessing pre =
        a.get(
            "preprocess",
            base != null ? base.preprocessing() : IndexConfig.DEFAULT_PREPROCESSING,
            Preprocessing::parse);
    ResizeFilter resize =
        a.get(
            "resize",
            base != null ? base.resize() : IndexConfig.DEFAULT_RESIZE,
            ResizeFilter::parse);
    VectorFormat format =
        a.get(
            "format",
            base != null ? base.format() : IndexConfig.DEFAULT_FORMAT,
            VectorFormat::parse);
    int augment =
        a.getInt(
            "dba",
            base != null ? base.augment() : IndexConfig.DEFAULT_AUGMENT,
            0,
            IndexConfig.MAX_AUGMENT);
    try {
      return IndexConfig.of(profile, layer, pooling, pre, resize, format).withAugment(augment);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** An extractor that makes exactly the vectors {@code config} describes. */
  static FeatureExtractor extractor(
      IndexConfig config, ModelProfile profile, int threads, int batch) {
    return FeatureExtractor.builder()
        .profile(profile)
        .preprocessing(config.preprocessing())
        .resizeFilter(config.resize())
        .intraOpThreads(threads)
        .maxBatch(batch)
        .build();
  }
}
