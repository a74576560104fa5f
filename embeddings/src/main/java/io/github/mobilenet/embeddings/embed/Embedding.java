package io.github.mobilenet.embeddings.embed;

import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.extract.Pooling;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.core.preprocess.InputSize;
import io.github.mobilenet.core.preprocess.Preprocessing;
import io.github.mobilenet.core.preprocess.ResizeFilter;
import java.util.Objects;

/**
 * What a vector means: the model, the layer, how its spatial map is pooled, and how the image is
 * preprocessed, resized and how big the network input is. Two vectors are comparable exactly when
 * their embeddings are equal. The one description the index ({@link
 * io.github.mobilenet.embeddings.index.IndexConfig} holds one) and the evaluation share; how
 * vectors are stored, augmented or normalised afterwards is theirs. Immutable.
 *
 * <p>The defaults ({@link #DEFAULT_LAYER}, {@link #DEFAULT_POOLING}, {@link
 * #DEFAULT_PREPROCESSING}, {@link #DEFAULT_RESIZE}) are the single place the library, the CLI, the
 * web demo and the evaluation take them from.
 *
 * @param modelId the model profile id, e.g. {@code mobilenet_v2_1.0_224}
 * @param layer the endpoint (resolved by {@link #of}; as given otherwise)
 * @param pooling how a spatial layer becomes a vector; null for a vector endpoint in an index
 * @param preprocessing what part of the image reaches the network
 * @param resize the resize filter
 * @param inputSize the network input size; null for the model's own (its profile's), which is what
 *     every index written before this setting existed holds
 */
public record Embedding(
    String modelId,
    String layer,
    Pooling pooling,
    Preprocessing preprocessing,
    ResizeFilter resize,
    InputSize inputSize) {

  /**
   * Default layer: the final 1280×7×7 map, pooled by {@link #DEFAULT_POOLING} into 1280 dimensions.
   * Same network cost as {@code pooled} (both run on the lean graph); measured in docs/QUALITY.md.
   */
  public static final String DEFAULT_LAYER = "layer_19";

  /**
   * Default pooling: GeM with p = 3. Flowers17 mAP 0.527 vs 0.515 for the plain average ({@code
   * pooled}), better on both held-out halves of the classes, neutral on distorted copies
   * (docs/QUALITY.md).
   */
  public static final Pooling DEFAULT_POOLING = Pooling.GEM;

  /**
   * Default preprocessing: the whole image, so near-duplicates that differ at the borders stay
   * close.
   */
  public static final Preprocessing DEFAULT_PREPROCESSING = Preprocessing.FULL;

  /** Default resize filter (the core's default). */
  public static final ResizeFilter DEFAULT_RESIZE = ResizeFilter.ANTIALIAS;

  public Embedding {
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(preprocessing, "preprocessing");
    Objects.requireNonNull(resize, "resize");
  }

  /** An embedding at the model's own input size. */
  public Embedding(
      String modelId,
      String layer,
      Pooling pooling,
      Preprocessing preprocessing,
      ResizeFilter resize) {
    this(modelId, layer, pooling, preprocessing, resize, null);
  }

  /** The defaults on the bundled MobileNetV2: layer_19 + GeM, full image, antialias. */
  public static Embedding defaults() {
    return new Embedding(
        ModelProfile.mobileNetV2().id(),
        DEFAULT_LAYER,
        DEFAULT_POOLING,
        DEFAULT_PREPROCESSING,
        DEFAULT_RESIZE);
  }

  /**
   * An embedding on {@code profile} with the layer's aliases resolved; pooling only applies to
   * spatial layers and is dropped otherwise.
   *
   * @throws IllegalArgumentException for an unknown layer
   */
  public static Embedding of(
      ModelProfile profile,
      String layer,
      Pooling pooling,
      Preprocessing preprocessing,
      ResizeFilter resize) {
    return of(profile, layer, pooling, preprocessing, resize, null);
  }

  /**
   * As {@link #of(ModelProfile, String, Pooling, Preprocessing, ResizeFilter)} at {@code
   * inputSize}; the profile's own exact size is recorded as null (the model's own), so that an
   * embedding asked at that size equals one made before the setting existed.
   */
  public static Embedding of(
      ModelProfile profile,
      String layer,
      Pooling pooling,
      Preprocessing preprocessing,
      ResizeFilter resize,
      InputSize inputSize) {
    String endpoint = profile.resolve(layer);
    boolean spatial = profile.endpoints().get(endpoint).spatial();
    return new Embedding(
        profile.id(),
        endpoint,
        spatial ? Objects.requireNonNull(pooling, "pooling") : null,
        preprocessing,
        resize,
        canonical(profile, inputSize));
  }

  /** Null for the profile's own exact size (or null), else {@code size}. */
  public static InputSize canonical(ModelProfile profile, InputSize size) {
    if (size == null
        || size.isExact()
            && size.height() == profile.input().height()
            && size.width() == profile.input().width()) {
      return null;
    }
    return size;
  }

  /**
   * The vector length on {@code profile}: channels of a spatial map, size of a vector endpoint.
   *
   * @throws IllegalArgumentException when the profile does not know it
   */
  public int dimension(ModelProfile profile) {
    ModelProfile.Endpoint ep = profile.endpoints().get(profile.resolve(layer));
    Integer dims = ep.spatial() ? ep.channels() : ep.size();
    if (dims == null) {
      throw new IllegalArgumentException(
          "profile " + profile.id() + " gives no size for layer " + layer);
    }
    return dims;
  }

  public Embedding withLayer(String newLayer) {
    return new Embedding(modelId, newLayer, pooling, preprocessing, resize, inputSize);
  }

  public Embedding withPooling(Pooling newPooling) {
    return new Embedding(modelId, layer, newPooling, preprocessing, resize, inputSize);
  }

  public Embedding withPreprocessing(Preprocessing newPreprocessing) {
    return new Embedding(modelId, layer, pooling, newPreprocessing, resize, inputSize);
  }

  public Embedding withResize(ResizeFilter newResize) {
    return new Embedding(modelId, layer, pooling, preprocessing, newResize, inputSize);
  }

  /** At {@code newSize}; null for the model's own. */
  public Embedding withInputSize(InputSize newSize) {
    return new Embedding(modelId, layer, pooling, preprocessing, resize, newSize);
  }

  /** An extractor builder set to this embedding's preprocessing, resize filter and input size. */
  public FeatureExtractor.Builder extractor() {
    // a null input size is the builder's own default: the profile's size
    return FeatureExtractor.builder()
        .preprocessing(preprocessing)
        .resizeFilter(resize)
        .inputSize(inputSize);
  }
}
