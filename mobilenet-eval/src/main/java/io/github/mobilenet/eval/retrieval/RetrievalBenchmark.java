package io.github.mobilenet.eval.retrieval;

import io.github.mobilenet.embeddings.dba.NeighbourExpansion;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.search.Similarity;
import io.github.mobilenet.eval.data.EmbeddedSet;
import io.github.mobilenet.eval.learn.PcaWhitening;
import io.github.mobilenet.eval.probe.StratifiedKFold;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Retrieval evaluation of an {@link EmbeddedSet}, optionally with PCA-whitening learned on a
 * held-out split: the set is cut in two halves (stratified by class, or by whole classes), a
 * whitening is learned on one half and the other half is searched (queries and database both from
 * it), then the other way round; the two results are averaged. The same halves are also evaluated
 * without whitening, so the two figures compare like with like (a half-size database has a
 * different mAP than the full set).
 */
public final class RetrievalBenchmark {
  private RetrievalBenchmark() {}

  /** How the held-out whitening split is made. */
  public enum WhitenSplit {
    /**
     * Half of each class's images on each side: whitening has seen the classes (other photos of
     * them).
     */
    IMAGES,
    /** Half of the classes on each side: whitening has never seen the classes it is tested on. */
    CLASSES;

    /** Parses {@code images} or {@code classes} (any case). */
    public static WhitenSplit parse(String s) {
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "images" -> IMAGES;
        case "classes" -> CLASSES;
        default ->
            throw new IllegalArgumentException(
                "unknown whitening split '" + s + "' (expected images or classes)");
      };
    }
  }

  /**
   * What to evaluate.
   *
   * @param k cut-off for P@k and recall@k
   * @param whitenDims PCA-whitening output dimension; 0 = no whitening
   * @param split how the whitening's held-out split is made
   * @param seed seed of the split
   * @param augment database-side augmentation neighbours ({@link NeighbourExpansion}); 0 = none
   * @param whitenPower 1 = full whitening, 0 = centring and PCA projection only (see {@link
   *     PcaWhitening#fit(float[][], int, double)})
   * @param ownWeight with augmentation, the weight of the plain cosine in the score ({@link
   *     NeighbourExpansion#scores})
   */
  public record Options(
      int k,
      int whitenDims,
      WhitenSplit split,
      long seed,
      int augment,
      double whitenPower,
      double ownWeight) {
    /** Whitening options without augmentation, full whitening. */
    public Options(int k, int whitenDims, WhitenSplit split, long seed) {
      this(k, whitenDims, split, seed, 0, 1, IndexConfig.AUGMENT_OWN_WEIGHT);
    }

    /** The embedding alone: no whitening, no augmentation. */
    public static Options plain(int k) {
      return new Options(k, 0, WhitenSplit.IMAGES, 0, 0, 1, IndexConfig.AUGMENT_OWN_WEIGHT);
    }
  }

  /**
   * The outcome of {@link #run}.
   *
   * @param metrics the evaluation (with whitening: mean over the two held-out halves)
   * @param unwhitened with whitening, the same halves without it; else null
   * @param dimensions vector dimension searched
   */
  public record Report(
      RetrievalMetrics.Result metrics, RetrievalMetrics.Result unwhitened, int dimensions) {}

  /**
   * Evaluates {@code set} ranked by {@code similarity} as {@code options} say.
   *
   * @throws IllegalArgumentException when augmentation is combined with whitening or with vectors
   *     that are not L2-normalised
   */
  public static Report run(EmbeddedSet set, Similarity similarity, Options options) {
    if (options.augment() > 0) {
      if (options.whitenDims() > 0) {
        throw new IllegalArgumentException(
            "database-side augmentation and whitening are not combined");
      }
      if (similarity != Similarity.DOT_PRODUCT) {
        throw new IllegalArgumentException(
            "database-side augmentation needs L2-normalised vectors (normalisation l2 or sqrt)");
      }
      double[][] scores =
          NeighbourExpansion.scores(set.vectors(), options.augment(), options.ownWeight());
      return new Report(
          RetrievalMetrics.evaluate(scores, set.labels(), options.k()), null, set.dimensions());
    }
    if (options.whitenDims() <= 0) {
      return new Report(
          RetrievalMetrics.evaluate(set.vectors(), set.labels(), similarity, options.k()),
          null,
          set.dimensions());
    }
    int[] side = split(set.labels(), options.split(), options.seed());
    List<RetrievalMetrics.Result> whitened = new ArrayList<>();
    List<RetrievalMetrics.Result> plain = new ArrayList<>();
    int dims = 0;
    for (int learn = 0; learn < 2; learn++) {
      int[] train = StratifiedKFold.select(side, learn, true);
      int[] test = StratifiedKFold.select(side, learn, false);
      PcaWhitening w =
          PcaWhitening.fit(set.rows(train), options.whitenDims(), options.whitenPower());
      dims = w.dimensions();
      int[] labels = set.labelsAt(test);
      whitened.add(
          RetrievalMetrics.evaluate(
              w.apply(set.rows(test)), labels, Similarity.DOT_PRODUCT, options.k()));
      plain.add(RetrievalMetrics.evaluate(set.rows(test), labels, similarity, options.k()));
    }
    return new Report(mean(whitened), mean(plain), dims);
  }

  /** Side 0 or 1 of each item. */
  static int[] split(int[] labels, WhitenSplit split, long seed) {
    if (split == WhitenSplit.IMAGES) {
      return StratifiedKFold.assign(labels, 2, seed);
    }
    int classes = RetrievalMetrics.classSizes(labels).length;
    if (classes < 4) {
      throw new IllegalArgumentException(
          "a class-disjoint whitening split needs at least 4 classes, got " + classes);
    }
    List<Integer> order = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      order.add(c);
    }
    Collections.shuffle(order, new Random(seed));
    int[] sideOfClass = new int[classes];
    for (int i = 0; i < classes; i++) {
      sideOfClass[order.get(i)] = i % 2;
    }
    int[] side = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      side[i] = sideOfClass[labels[i]];
    }
    return side;
  }

  private static RetrievalMetrics.Result mean(List<RetrievalMetrics.Result> rs) {
    int q = 0;
    int skipped = 0;
    double map = 0;
    double p1 = 0;
    double pk = 0;
    double rk = 0;
    for (RetrievalMetrics.Result r : rs) {
      q += r.queries();
      skipped += r.skippedQueries();
      map += r.meanAveragePrecision() / rs.size();
      p1 += r.precisionAt1() / rs.size();
      pk += r.precisionAtK() / rs.size();
      rk += r.recallAtK() / rs.size();
    }
    return new RetrievalMetrics.Result(q, skipped, map, p1, rs.get(0).k(), pk, rk);
  }
}
