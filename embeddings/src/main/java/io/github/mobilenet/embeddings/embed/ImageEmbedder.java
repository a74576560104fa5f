package io.github.mobilenet.embeddings.embed;

import io.github.mobilenet.core.MobileNetException;
import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.extract.Features;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.image.RgbImage;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.index.IndexConfigMismatchException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Turns images into the vectors an index holds: a {@link FeatureExtractor} set up as an {@link
 * IndexConfig} says, plus pooling and L2 normalisation. Thread-safe.
 *
 * <pre>{@code
 * try (ImageEmbedder embedder = ImageEmbedder.open(index.config())) {
 *   float[] v = embedder.embed(Path.of("query.jpg"));
 * }
 * }</pre>
 */
public final class ImageEmbedder implements AutoCloseable {
  private final FeatureExtractor extractor;
  private final IndexConfig config;
  private final boolean owned;

  private ImageEmbedder(FeatureExtractor extractor, IndexConfig config, boolean owned) {
    this.extractor = extractor;
    this.config = config;
    this.owned = owned;
  }

  /** An embedder with its own extractor on the bundled model (closing it frees the model). */
  public static ImageEmbedder open(IndexConfig config) {
    return open(config, ModelProfile.mobileNetV2(), Runtime.getRuntime().availableProcessors());
  }

  /**
   * An embedder with its own extractor.
   *
   * @param profile the model; its id must be the config's
   * @param threads ONNX Runtime intra-op threads
   */
  public static ImageEmbedder open(IndexConfig config, ModelProfile profile, int threads) {
    if (!profile.id().equals(config.modelId())) {
      throw new IndexConfigMismatchException(
          "the index holds vectors of model "
              + config.modelId()
              + ", the model given is "
              + profile.id());
    }
    FeatureExtractor fx =
        config.embedding().extractor().profile(profile).intraOpThreads(threads).build();
    return new ImageEmbedder(fx, config, true);
  }

  /**
   * Wraps a shared extractor (not closed by {@link #close()}).
   *
   * @throws IndexConfigMismatchException when the extractor's model, preprocessing, resize filter
   *     or input size differ from the config's
   */
  public static ImageEmbedder wrap(FeatureExtractor extractor, IndexConfig config) {
    IndexConfig actual =
        IndexConfig.of(
            extractor.profile(),
            Embedding.of(
                extractor.profile(),
                config.layer(),
                config.pooling() == null ? IndexConfig.DEFAULT_POOLING : config.pooling(),
                extractor.preprocessor().mode(),
                extractor.preprocessor().filter(),
                extractor.inputSize()),
            config.format());
    if (!actual.embeddingDifferences(config).isEmpty()) {
      throw new IndexConfigMismatchException(
          "the extractor makes different vectors than the index holds: "
              + String.join(", ", config.embeddingDifferences(actual)));
    }
    return new ImageEmbedder(extractor, config, false);
  }

  public IndexConfig config() {
    return config;
  }

  public FeatureExtractor extractor() {
    return extractor;
  }

  /** The normalised vector of one image. */
  public float[] embed(ImageSource image) {
    return toVector(extractor.extractFeatures(image, config.layer()));
  }

  public float[] embed(Path image) {
    return embed(ImageSource.of(image));
  }

  /** Encoded bytes (JPEG, PNG, ...); {@code name} is for error messages. */
  public float[] embed(byte[] encoded, String name) {
    return embed(ImageSource.of(encoded, name));
  }

  /**
   * A vector and what {@code alongside} made of the same decoded pixels.
   *
   * @param <T> what alongside makes
   * @param vector the normalised vector
   * @param alongside its value for the image
   */
  public record Embedded<T>(float[] vector, T alongside) {}

  /**
   * The vector of one image and, from the same decode, {@code alongside}'s value (e.g. its local
   * features): the indexing job's path ({@link FeatureExtractor#extractEach}), so a query is
   * embedded exactly as an indexed image.
   *
   * @throws io.github.mobilenet.core.MobileNetException when the image cannot be decoded or
   *     embedded
   */
  public <T> Embedded<T> embedAlong(ImageSource image, Function<RgbImage, T> alongside) {
    List<Embedded<T>> out = new ArrayList<>(1);
    MobileNetException[] error = new MobileNetException[1];
    extractor.extractEach(
        List.of(image).iterator(),
        config.layer(),
        1,
        alongside,
        (r, t) -> {
          if (r.ok()) {
            out.add(new Embedded<>(toVector(r.features()), t));
          } else {
            error[0] = r.error();
          }
        });
    if (error[0] != null) {
      throw error[0];
    }
    return out.get(0);
  }

  /**
   * Pools (spatial layers) and normalises features of the configured layer into the index's vector.
   */
  public float[] toVector(Features f) {
    float[] v = config.pooling() != null ? f.pooled(config.pooling()) : f.flatten();
    if (v.length != config.dimension()) {
      throw new IllegalArgumentException(
          "features of "
              + f.layer()
              + " give "
              + v.length
              + " values, the index holds "
              + config.dimension()
              + "-d vectors");
    }
    return Features.l2Normalize(v);
  }

  @Override
  public void close() {
    if (owned) {
      extractor.close();
    }
  }
}
