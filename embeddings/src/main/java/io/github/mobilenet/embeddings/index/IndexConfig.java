package io.github.mobilenet.embeddings.index;

import io.github.mobilenet.core.extract.Pooling;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.core.preprocess.InputSize;
import io.github.mobilenet.core.preprocess.Preprocessing;
import io.github.mobilenet.core.preprocess.ResizeFilter;
import io.github.mobilenet.embeddings.EmbeddingsException.Reason;
import io.github.mobilenet.embeddings.codec.ImageVectorsFormat;
import io.github.mobilenet.embeddings.embed.Embedding;
import io.github.mobilenet.embeddings.embed.HasEmbedding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An index's configuration: the {@link Embedding} its vectors mean (model, layer, pooling,
 * preprocessing, resize filter, input size) and their dimension, plus how the index stores and
 * augments them (format, database-side augmentation). Recorded in every commit of the index;
 * opening or querying an index with a different configuration is an {@link
 * IndexConfigMismatchException}.
 *
 * <p>The embedding's parts read as the configuration's own ({@link HasEmbedding}); its defaults
 * live in {@link Embedding}; {@link #DEFAULT_FORMAT} and {@link #DEFAULT_AUGMENT} are the index's.
 *
 * @param embedding what a vector means
 * @param format how vectors are stored for approximate search
 * @param dimension the vector length
 * @param augment database-side augmentation: each image is searched by the normalised sum of its
 *     vector and its {@code augment} nearest neighbours' (0 = off); see {@link
 *     ImageIndex#augment()}
 * @param localFeatures whether the index keeps each image's local features (ORB keypoints and
 *     descriptors, for geometric verification: {@link ImageIndex#localFeatures(String)}); indexes
 *     written before the setting have none
 */
public record IndexConfig(
    Embedding embedding, VectorFormat format, int dimension, int augment, boolean localFeatures)
    implements HasEmbedding {

  /** {@link Embedding#DEFAULT_LAYER}. */
  public static final String DEFAULT_LAYER = Embedding.DEFAULT_LAYER;

  /** {@link Embedding#DEFAULT_POOLING}. */
  public static final Pooling DEFAULT_POOLING = Embedding.DEFAULT_POOLING;

  /** {@link Embedding#DEFAULT_PREPROCESSING}. */
  public static final Preprocessing DEFAULT_PREPROCESSING = Embedding.DEFAULT_PREPROCESSING;

  /** {@link Embedding#DEFAULT_RESIZE}. */
  public static final ResizeFilter DEFAULT_RESIZE = Embedding.DEFAULT_RESIZE;

  /** Default vector storage. */
  public static final VectorFormat DEFAULT_FORMAT = VectorFormat.FLOAT32;

  /**
   * Default database-side augmentation: 2 neighbours. Flowers17 mAP 0.527 → 0.631, +10 points on
   * both held-out halves of the classes, neutral on distorted copies; more neighbours gain more mAP
   * but start to merge unrelated small groups (docs/QUALITY.md). Near-duplicates always use the raw
   * vectors.
   */
  public static final int DEFAULT_AUGMENT = 2;

  /**
   * With augmentation, the weight of the own-vector cosine in a search score (the rest goes to the
   * augmented vectors). Pure augmentation (0) blurs an image with its nearest neighbour, so a near
   * copy of an indexed photo may not find that photo first; 0.25 keeps it first and most of the
   * gain: flowers17 mAP 0.623 vs 0.631 at 0 and 0.527 without augmentation (docs/QUALITY.md).
   */
  public static final double AUGMENT_OWN_WEIGHT = 0.25;

  /**
   * Local features are kept by default: about 41 KiB per image, extracted from the same decode as
   * the embedding (docs/INDEX.md has the cost).
   */
  public static final boolean DEFAULT_LOCAL_FEATURES = true;

  /** Most neighbours {@link #augment} may name. */
  public static final int MAX_AUGMENT = 100;

  static final String PREFIX = "mobilenet.";
  private static final String INPUT_SIZE = "input_size";
  private static final String LOCAL_FEATURES = "local_features";

  /** How {@link #differences} names the model's own input size (no recorded size). */
  public static final String NATIVE_SIZE = "native";

  private static final String SCHEMA = "1";

  public IndexConfig {
    Objects.requireNonNull(embedding, "embedding");
    Objects.requireNonNull(format, "format");
    if (dimension < 1 || dimension > ImageVectorsFormat.MAX_DIMENSIONS) {
      throw new IllegalArgumentException(
          "vector dimension must be 1.."
              + ImageVectorsFormat.MAX_DIMENSIONS
              + ", got "
              + dimension);
    }
    if (augment < 0 || augment > MAX_AUGMENT) {
      throw new IllegalArgumentException(
          "augment (neighbours) must be 0.." + MAX_AUGMENT + ", got " + augment);
    }
  }

  /** A configuration without local features (the layout before {@link #localFeatures}). */
  public IndexConfig(Embedding embedding, VectorFormat format, int dimension, int augment) {
    this(embedding, format, dimension, augment, false);
  }

  /**
   * The configuration spelled out field by field (the layout before {@link Embedding}), without
   * local features.
   */
  public IndexConfig(
      String modelId,
      String layer,
      Pooling pooling,
      Preprocessing preprocessing,
      ResizeFilter resize,
      VectorFormat format,
      int dimension,
      int augment) {
    this(new Embedding(modelId, layer, pooling, preprocessing, resize), format, dimension, augment);
  }

  /**
   * The defaults on the bundled MobileNetV2: layer_19 + GeM, 1280-d, full image, antialias, float32
   * HNSW, augment 2, local features.
   */
  public static IndexConfig defaults() {
    return of(
        ModelProfile.mobileNetV2(),
        DEFAULT_LAYER,
        DEFAULT_POOLING,
        DEFAULT_PREPROCESSING,
        DEFAULT_RESIZE,
        DEFAULT_FORMAT);
  }

  /**
   * A configuration for {@code profile}: resolves the layer's aliases and its dimension (channels
   * of a spatial map, size of a vector). Pooling only applies to spatial layers and is dropped
   * otherwise. Augmentation is {@link #DEFAULT_AUGMENT} and local features {@link
   * #DEFAULT_LOCAL_FEATURES}; see {@link #withAugment}, {@link #withLocalFeatures}.
   *
   * @throws IllegalArgumentException for an unknown layer
   */
  public static IndexConfig of(
      ModelProfile profile,
      String layer,
      Pooling pooling,
      Preprocessing preprocessing,
      ResizeFilter resize,
      VectorFormat format) {
    Embedding e = Embedding.of(profile, layer, pooling, preprocessing, resize);
    return new IndexConfig(
        e, format, e.dimension(profile), DEFAULT_AUGMENT, DEFAULT_LOCAL_FEATURES);
  }

  /** An index configuration for vectors of {@code embedding} on {@code profile}. */
  public static IndexConfig of(ModelProfile profile, Embedding embedding, VectorFormat format) {
    Embedding e =
        Embedding.of(
            profile,
            embedding.layer(),
            embedding.pooling() == null ? DEFAULT_POOLING : embedding.pooling(),
            embedding.preprocessing(),
            embedding.resize(),
            embedding.inputSize());
    return new IndexConfig(
        e, format, e.dimension(profile), DEFAULT_AUGMENT, DEFAULT_LOCAL_FEATURES);
  }

  public IndexConfig withFormat(VectorFormat newFormat) {
    return new IndexConfig(embedding, newFormat, dimension, augment, localFeatures);
  }

  /** The same configuration with or without local features. */
  public IndexConfig withLocalFeatures(boolean keep) {
    return new IndexConfig(embedding, format, dimension, augment, keep);
  }

  /**
   * The same embedding with database-side augmentation over {@code neighbours} neighbours (0 =
   * off).
   */
  public IndexConfig withAugment(int neighbours) {
    return new IndexConfig(embedding, format, dimension, neighbours, localFeatures);
  }

  /** The commit user data that records this configuration. */
  public Map<String, String> toUserData() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(PREFIX + "schema", SCHEMA);
    m.put(PREFIX + "model", modelId());
    m.put(PREFIX + "layer", layer());
    m.put(PREFIX + "pooling", pooling() == null ? "none" : pooling().toString());
    m.put(PREFIX + "preprocessing", preprocessing().cliName());
    m.put(PREFIX + "resize", resize().cliName());
    if (inputSize() != null) { // absent = the model's own size, as in indexes before the setting
      m.put(PREFIX + INPUT_SIZE, inputSize().spec());
    }
    m.put(PREFIX + "format", format.cliName());
    m.put(PREFIX + "dimension", Integer.toString(dimension));
    m.put(PREFIX + "augment", Integer.toString(augment));
    m.put(PREFIX + LOCAL_FEATURES, Boolean.toString(localFeatures));
    m.put(PREFIX + "similarity", "dot_product_l2_normalized");
    return m;
  }

  /**
   * Reads a configuration from commit user data.
   *
   * @throws IndexConfigMismatchException when the data is missing or unreadable (not an index of
   *     ours)
   */
  public static IndexConfig fromUserData(Map<String, String> data, String where) {
    String schema = data.get(PREFIX + "schema");
    if (schema == null) {
      throw new IndexConfigMismatchException(
          Reason.NOT_AN_INDEX,
          null,
          where
              + " is a Lucene index without an image configuration "
              + "(not created by mobilenet-embeddings)");
    }
    if (!schema.equals(SCHEMA)) {
      throw new IndexConfigMismatchException(
          Reason.NOT_AN_INDEX,
          null,
          where + " has index schema " + schema + ", this version reads schema " + SCHEMA);
    }
    try {
      String pooling = data.get(PREFIX + "pooling");
      String size = data.get(PREFIX + INPUT_SIZE);
      return new IndexConfig(
          new Embedding(
              require(data, "model", where),
              require(data, "layer", where),
              pooling == null || pooling.equals("none") ? null : Pooling.parse(pooling),
              Preprocessing.parse(require(data, "preprocessing", where)),
              ResizeFilter.parse(require(data, "resize", where)),
              size == null ? null : InputSize.parse(size)),
          VectorFormat.parse(require(data, "format", where)),
          Integer.parseInt(require(data, "dimension", where)),
          Integer.parseInt(
              data.getOrDefault(
                  PREFIX + "augment", "0")), // written before augmentation existed: off
          parseBoolean(data.getOrDefault(PREFIX + LOCAL_FEATURES, "false"))); // before: none
    } catch (IllegalArgumentException e) {
      throw new IndexConfigMismatchException(
          Reason.NOT_AN_INDEX, null, where + ": unreadable index configuration: " + e.getMessage());
    }
  }

  private static boolean parseBoolean(String s) {
    return switch (s) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(LOCAL_FEATURES + " must be true or false: " + s);
    };
  }

  private static String require(Map<String, String> data, String key, String where) {
    String v = data.get(PREFIX + key);
    if (v == null) {
      throw new IndexConfigMismatchException(
          Reason.NOT_AN_INDEX, null, where + ": index configuration lacks " + PREFIX + key);
    }
    return v;
  }

  /**
   * Names and values that differ from {@code other}, e.g. {@code [layer: pooled ≠ layer_19]}; empty
   * when equal.
   */
  public List<String> differences(IndexConfig other) {
    Map<String, String> a = comparable(this);
    Map<String, String> b = comparable(other);
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : a.entrySet()) {
      String theirs = b.get(e.getKey());
      if (!e.getValue().equals(theirs)) {
        out.add(
            e.getKey().substring(PREFIX.length())
                + "="
                + e.getValue()
                + " (asked: "
                + theirs
                + ")");
      }
    }
    return out;
  }

  /** The user data with the input size always present ({@code native} when absent). */
  private static Map<String, String> comparable(IndexConfig c) {
    Map<String, String> m = c.toUserData();
    m.putIfAbsent(PREFIX + INPUT_SIZE, NATIVE_SIZE);
    return m;
  }

  /**
   * Differences that change what an image's vector means: everything except how the index stores
   * and augments vectors and whether it keeps local features, so a vector made with {@code other}
   * can be searched in an index made with this.
   */
  public List<String> embeddingDifferences(IndexConfig other) {
    return differences(
        other.withFormat(format).withAugment(augment).withLocalFeatures(localFeatures));
  }

  /**
   * One line for messages and stats, e.g. {@code mobilenet_v2_1.0_224 pooled full/antialias float
   * 1280-d}.
   */
  public String describe() {
    return modelId()
        + " layer="
        + layer()
        + (pooling() == null ? "" : " pooling=" + pooling())
        + " preprocessing="
        + preprocessing().cliName()
        + " resize="
        + resize().cliName()
        + (inputSize() == null ? "" : " input_size=" + inputSize().spec())
        + " format="
        + format.cliName()
        + " dimension="
        + dimension
        + " augment="
        + augment
        + " local_features="
        + localFeatures;
  }
}
