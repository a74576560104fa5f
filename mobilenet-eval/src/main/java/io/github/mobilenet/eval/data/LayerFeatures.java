package io.github.mobilenet.eval.data;

import io.github.mobilenet.core.extract.Pooling;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One layer's pooled features for a list of images, as the {@link EmbeddingCache} returns them. A
 * spatial layer has one matrix per pooling; a vector layer (pooled, logits, probs) has one matrix
 * that every pooling returns. Rows of images that failed to decode are null; {@link #errors()} says
 * why.
 *
 * @param layer the resolved endpoint name
 * @param spatial whether the layer is a spatial map
 * @param byPooling vectors per pooling (a vector layer: one entry under {@link Pooling#AVG})
 * @param errors per image, the decode error or null
 * @param timing how fast the features were extracted (measured when they were, possibly an earlier
 *     run)
 * @param cached whether they were read from the disk cache in this call
 */
public record LayerFeatures(
    String layer,
    boolean spatial,
    Map<Pooling, float[][]> byPooling,
    List<String> errors,
    ExtractionTiming timing,
    boolean cached) {

  /** Pooled vectors, rows in image order (null where the image failed). */
  public float[][] vectors(Pooling pooling) {
    float[][] v = byPooling.get(spatial ? pooling : Pooling.AVG);
    if (v == null) {
      throw new IllegalArgumentException(
          layer + ": pooling " + pooling + " was not extracted (have " + byPooling.keySet() + ")");
    }
    return v;
  }

  public Set<Pooling> poolings() {
    return Collections.unmodifiableSet(byPooling.keySet());
  }

  /** Number of images whose decoding failed. */
  public int failures() {
    return (int) errors.stream().filter(e -> e != null).count();
  }

  /**
   * Throughput of the extraction that produced these features.
   *
   * @param images images extracted
   * @param prepareMillisPerImage decode + preprocess wall time per image (all decode threads
   *     together)
   * @param inferMillisPerImage network wall time per image for this layer
   */
  public record ExtractionTiming(
      int images, double prepareMillisPerImage, double inferMillisPerImage) {
    /** End-to-end images per second for this layer alone. */
    public double imagesPerSecond() {
      double ms = prepareMillisPerImage + inferMillisPerImage;
      return ms > 0 ? 1000 / ms : Double.NaN;
    }
  }
}
