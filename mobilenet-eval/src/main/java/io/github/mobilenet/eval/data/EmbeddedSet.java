package io.github.mobilenet.eval.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The embeddings of a labelled set under one {@link EmbeddingConfig}, images that failed to decode
 * left out (their names and errors are kept for reporting).
 *
 * @param vectors embedded (pooled and normalised) vectors of the images that decoded
 * @param labels their class indices
 * @param names their file names
 * @param classes class names by index
 * @param failed names of images that failed, with {@code errors} at the same positions
 * @param errors why each failed image failed
 * @param features the cached layer features they came from (timing, cache hit)
 */
public record EmbeddedSet(
    float[][] vectors,
    int[] labels,
    List<String> names,
    List<String> classes,
    List<String> failed,
    List<String> errors,
    LayerFeatures features) {

  /**
   * Extracts (or reads from {@code cache}) and embeds {@code images} as {@code config} prescribes.
   */
  public static EmbeddedSet of(
      LabeledImages images,
      EmbeddingConfig config,
      EmbeddingCache cache,
      EmbeddingCache.Extraction extraction,
      BiConsumer<Integer, Integer> progress)
      throws IOException {
    LayerFeatures f =
        cache.load(extraction, images, config.layer(), Set.of(config.pooling()), progress);
    float[][] pooled = f.vectors(config.pooling());
    int[] all = images.labels();
    List<float[]> v = new ArrayList<>();
    List<Integer> l = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      if (pooled[i] == null) {
        failed.add(images.names().get(i));
        errors.add(f.errors().get(i));
        continue;
      }
      v.add(config.normalization().apply(pooled[i]));
      l.add(all[i]);
      names.add(images.names().get(i));
    }
    return new EmbeddedSet(
        v.toArray(float[][]::new),
        l.stream().mapToInt(Integer::intValue).toArray(),
        names,
        images.classes(),
        failed,
        errors,
        f);
  }

  public int size() {
    return vectors.length;
  }

  /** Vector dimension (0 when nothing decoded). */
  public int dimensions() {
    return vectors.length == 0 ? 0 : vectors[0].length;
  }

  /** Rows {@code idx} of the vectors. */
  public float[][] rows(int[] idx) {
    float[][] out = new float[idx.length][];
    for (int i = 0; i < idx.length; i++) {
      out[i] = vectors[idx[i]];
    }
    return out;
  }

  /** Labels at {@code idx}. */
  public int[] labelsAt(int[] idx) {
    int[] out = new int[idx.length];
    for (int i = 0; i < idx.length; i++) {
      out[i] = labels[idx[i]];
    }
    return out;
  }
}
