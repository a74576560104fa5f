package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.extract.Pooling;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.core.preprocess.InputSize;
import io.github.mobilenet.core.preprocess.Preprocessing;
import io.github.mobilenet.core.preprocess.ResizeFilter;
import io.github.mobilenet.embeddings.embed.Embedding;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.index.IndexConfigMismatchException;
import io.github.mobilenet.embeddings.index.VectorFormat;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The index settings of {@code index}, turned into an {@link IndexConfig}: an existing index's
 * settings, overridden by explicit flags. No defaults here: a flag not given means "as the index
 * has it".
 */
final class IndexOptions {
  @Option(
      names = "--layer",
      paramLabel = "NAME",
      description =
          "Layer to embed (default: layer_19; for other model families the map pooled averages,"
              + " e.g. Conv2d_13_pointwise for MobileNetV1).")
  String layer;

  @Option(
      names = "--pool",
      paramLabel = "gem|avg|max|gem:P",
      description = "Pooling of the layer (default: gem, p = 3).")
  Pooling pooling;

  @Option(
      names = "--format",
      paramLabel = "float|int7|int4|bit",
      description = "How vectors are stored and searched (default: float).")
  VectorFormat format;

  @Option(
      names = "--dba",
      paramLabel = "N",
      description =
          "Database-side augmentation: each image is searched by the sum of its vector and its N"
              + " nearest neighbours' (0 = off; default: 2), recomputed for the images each run"
              + " affects. Near-duplicates use the images' own vectors.")
  Integer dba;

  @Option(
      names = "--no-local-features",
      description =
          "Do not keep local features (ORB keypoints, about 41 KiB per image) for verified search"
              + " and near-duplicates. Default for a new index: keep them; an existing index keeps"
              + " its choice.")
  boolean noLocalFeatures;

  @Mixin PreprocessOptions imagePrep = new PreprocessOptions();

  @Mixin ModelOptions model;

  @Mixin SizeOption size;

  /** What {@link #resolve} decided: the model and the configuration to open the index with. */
  record Resolved(ModelProfile profile, IndexConfig config) {}

  /**
   * The model and configuration to open {@code index} with: flags given win; flags not given take
   * the existing index's value, else the defaults ({@link IndexConfig}'s, and for the layer {@link
   * ModelOptions#defaultLayer} of the model). A conflict with the existing index is then reported
   * on open.
   */
  Resolved resolve(Path index) throws UsageException {
    Optional<IndexConfig> existing;
    try {
      existing = ImageIndex.readConfig(index);
    } catch (IndexConfigMismatchException e) {
      throw new UsageException(e.getMessage());
    }
    IndexConfig base = existing.orElse(null);
    ModelProfile profile =
        base == null ? model.profile() : model.orRecorded(base.modelId(), "index " + index);
    // Another model than the index's: take that model's defaults, so the open names the conflict.
    boolean sameModel = base != null && base.modelId().equals(profile.id());
    String l =
        layer != null ? layer : sameModel ? base.layer() : ModelOptions.defaultLayer(profile);
    Pooling p =
        pooling != null
            ? pooling
            : base != null && base.pooling() != null ? base.pooling() : IndexConfig.DEFAULT_POOLING;
    Preprocessing pre =
        imagePrep.preprocess != null
            ? imagePrep.preprocess
            : base != null ? base.preprocessing() : IndexConfig.DEFAULT_PREPROCESSING;
    ResizeFilter r =
        imagePrep.resize != null
            ? imagePrep.resize
            : base != null ? base.resize() : IndexConfig.DEFAULT_RESIZE;
    VectorFormat f =
        format != null ? format : base != null ? base.format() : IndexConfig.DEFAULT_FORMAT;
    int augment =
        Check.range(
            "--dba",
            dba,
            base != null ? base.augment() : IndexConfig.DEFAULT_AUGMENT,
            0,
            IndexConfig.MAX_AUGMENT);
    InputSize in = size.get() != null ? size.get() : sameModel ? base.inputSize() : null;
    try {
      Embedding e = Embedding.of(profile, l, p, pre, r, in);
      boolean local =
          noLocalFeatures
              ? false
              : base != null ? base.localFeatures() : IndexConfig.DEFAULT_LOCAL_FEATURES;
      return new Resolved(
          profile, IndexConfig.of(profile, e, f).withAugment(augment).withLocalFeatures(local));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** An extractor that makes exactly the vectors {@code config} describes. */
  static FeatureExtractor extractor(
      IndexConfig config, ModelProfile profile, int threads, int batch) {
    return config
        .embedding()
        .extractor()
        .profile(profile)
        .intraOpThreads(threads)
        .maxBatch(batch)
        .build();
  }
}
