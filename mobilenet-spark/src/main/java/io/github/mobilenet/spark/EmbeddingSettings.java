package io.github.mobilenet.spark;

import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.extract.Pooling;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.core.model.ModelRegistry;
import io.github.mobilenet.core.preprocess.InputSize;
import io.github.mobilenet.core.preprocess.Preprocessing;
import io.github.mobilenet.core.preprocess.ResizeFilter;
import io.github.mobilenet.embeddings.embed.Embedding;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.index.VectorFormat;
import java.io.Serializable;

/**
 * What an executor needs to make the vectors a local index holds: the embedding in its text form
 * (what travels to executors; every field a plain string or number) plus how the extractor runs.
 * Equal settings share one extractor per JVM ({@link Extractors}).
 *
 * @param modelId a model on the classpath, e.g. {@code mobilenet_v2_1.0_224}
 * @param layer the layer, e.g. {@code layer_19}
 * @param pooling {@code avg}, {@code max}, {@code gem} or {@code gem:P}
 * @param preprocessing {@code full} or {@code center-crop}
 * @param resize {@code antialias} or {@code bilinear}
 * @param inputSize {@code S}, {@code HxW}, or empty for the model's own
 * @param batchSize images per inference
 * @param threads ONNX Runtime intra-op threads per inference
 */
public record EmbeddingSettings(
    String modelId,
    String layer,
    String pooling,
    String preprocessing,
    String resize,
    String inputSize,
    int batchSize,
    int threads)
    implements Serializable {

  /** Images per inference unless set: one ONNX Runtime call pays for itself from about 8 on. */
  public static final int DEFAULT_BATCH = 16;

  /**
   * The embedding these settings describe, checked against the model.
   *
   * @throws IllegalArgumentException for an unknown model, layer, pooling, preprocessing, resize
   *     filter or input size, naming the value
   */
  public Embedding embedding() {
    ModelProfile profile = profile();
    return Embedding.of(
        profile,
        layer,
        Pooling.parse(pooling),
        Preprocessing.parse(preprocessing),
        ResizeFilter.parse(resize),
        inputSize == null || inputSize.isBlank() ? null : InputSize.parse(inputSize));
  }

  /**
   * The model profile.
   *
   * @throws IllegalArgumentException for an id not on the classpath
   */
  public ModelProfile profile() {
    try {
      return ModelRegistry.profile(modelId);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** The configuration a local index of these vectors records (float vectors). */
  public IndexConfig config() {
    return IndexConfig.of(profile(), embedding(), VectorFormat.FLOAT32);
  }

  /**
   * A new extractor for these settings (the caller closes it; executors share {@link Extractors}).
   */
  FeatureExtractor openExtractor() {
    return embedding()
        .extractor()
        .profile(profile())
        .maxBatch(batchSize)
        .intraOpThreads(threads)
        .build();
  }

  /** An embedder over a shared extractor for these settings. */
  ImageEmbedder embedder(FeatureExtractor extractor) {
    return ImageEmbedder.wrap(extractor, config());
  }
}
