package io.github.mobilenet.embeddings.index;

import io.github.mobilenet.core.util.Vectors;
import io.github.mobilenet.embeddings.dba.AugmentProgress;
import io.github.mobilenet.embeddings.job.IndexingJob;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What an {@link IndexingJob} writes to: the local {@link ImageIndex} or a remote backend (the
 * SolrCloud collection of module {@code mobilenet-solr}). Just what the job needs: the recorded
 * configuration, the indexed images (for incremental runs: path, size, modification time, content
 * hash), their vectors for reuse, and add/delete/commit. Documents are keyed by path and carry the
 * per-path id of {@link ImageIds}, so re-running a job overwrites and never duplicates; after a
 * crash the store holds its last commit and the next run finds those files unchanged.
 *
 * <p>Implementations are thread-safe.
 */
public interface ImageStore {
  /** The configuration the store's vectors were made with. */
  IndexConfig config();

  /**
   * The index folder, named in {@link io.github.mobilenet.embeddings.EmbeddingsException}s; null
   * when remote.
   */
  Path folder();

  /**
   * The store for messages, e.g. {@code index /data/photos.idx} or {@code Solr collection photos}.
   */
  default String describe() {
    return "index " + folder();
  }

  /**
   * The vector L2-normalised, after checking it fits this store.
   *
   * @throws IllegalArgumentException when its length differs from the store's dimension, or it is
   *     zero or not finite
   */
  default float[] checkedVector(float[] vector) {
    IndexConfig config = config();
    if (vector.length != config.dimension()) {
      throw new IllegalArgumentException(
          "vector has "
              + vector.length
              + " dimensions, "
              + describe()
              + " holds "
              + config.dimension()
              + "-d vectors ("
              + config.layer()
              + ")");
    }
    double sum = 0;
    for (float x : vector) {
      if (!Float.isFinite(x)) {
        throw new IllegalArgumentException("vector has a non-finite value " + x);
      }
      sum += (double) x * x;
    }
    if (sum == 0) {
      throw new IllegalArgumentException("vector is all zeros: it has no direction to compare");
    }
    return Vectors.l2Normalize(vector);
  }

  /** Whether {@link #add}, {@link #delete} and {@link #commit} may be called. */
  boolean writable();

  /**
   * @throws IndexConfigMismatchException when vectors made with {@code other} cannot be compared
   *     with this store's, naming the differences
   */
  void requireCompatible(IndexConfig other);

  /** Makes {@link #forEach} and lookups see everything written so far. */
  void refresh();

  /** Calls {@code action} for every indexed image (stored fields, no vectors). */
  void forEach(Consumer<ImageDoc> action);

  /** The stored (normalised) vector of the image at {@code path}. */
  Optional<float[]> vectorByPath(String path);

  /**
   * Adds an image, replacing any document with the same path.
   *
   * @param localFeatures the image's local features (module {@code mobilenet-local}'s encoding) for
   *     verification, or null when there are none
   * @throws IllegalArgumentException when the vector's length differs from the dimension, or it is
   *     zero or not finite
   */
  void add(ImageDoc doc, float[] vector, byte[] localFeatures);

  /** Whether the store keeps local features (the job then extracts them beside the embedding). */
  default boolean hasLocalFeatures() {
    return false;
  }

  /**
   * The encoded local features stored for the image at {@code path}, kept by the job when only the
   * image's tags change; empty when none are stored.
   */
  default Optional<byte[]> localFeaturesBytesByPath(String path) {
    return Optional.empty();
  }

  /** Removes the image at {@code path} (absolute, normalised), if any. */
  void delete(String path);

  /** Makes every change so far durable. */
  void commit();

  /**
   * Brings database-side augmentation up to date ({@link ImageIndex#augment(AugmentProgress)});
   * returns how many images were recomputed. Stores without augmentation return 0.
   */
  default int augment(AugmentProgress progress) {
    return 0;
  }
}
