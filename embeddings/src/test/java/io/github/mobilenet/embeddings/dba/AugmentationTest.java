package io.github.mobilenet.embeddings.dba;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.extract.Pooling;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.embeddings.Vectors;
import io.github.mobilenet.embeddings.index.ImageDoc;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.search.SearchHit;
import io.github.mobilenet.embeddings.search.SearchOptions;
import io.github.mobilenet.embeddings.search.Similarity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.util.VectorUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Database-side augmentation in the index gives exactly the vectors {@link NeighbourExpansion}
 * computes in memory for the same collection, however the collection was reached (in one go, or by
 * adds, replacements and deletions over several passes).
 */
public class AugmentationTest {
  private static final IndexConfig CONFIG =
      IndexConfig.defaults(); // layer_19 + GeM, 1280-d, augment 2
  private static final double W = IndexConfig.AUGMENT_OWN_WEIGHT;

  @Test
  void passMatchesInMemoryAugmentation(@TempDir Path dir) {
    assertEquals(2, CONFIG.augment());
    List<float[]> vectors = Vectors.clustered(300, CONFIG.dimension(), 25, 0.8, 1);
    Map<String, float[]> set = named(vectors, 0);
    try (ImageIndex index = ImageIndex.openOrCreate(dir, CONFIG)) {
      set.forEach((path, v) -> index.add(doc(path), v));
      index.refresh();
      assertEquals(300, index.staleCount(), "new images wait for the pass");
      int[] reported = new int[2];
      assertEquals(
          300,
          index.augment(
              (done, total) -> {
                reported[0] = done;
                reported[1] = total;
              }));
      assertArrayEquals(new int[] {300, 300}, reported);
      index.refresh();
      assertEquals(0, index.staleCount());
      assertEquals(0, index.augment(), "nothing changed: nothing to do");
      assertMatchesReference(index, set);
      // the image's own vector is what vector() returns, not the augmented one
      String first = set.keySet().iterator().next();
      assertEquals(
          1.0,
          VectorUtil.dotProduct(set.get(first), index.vectorByPath(first).orElseThrow()),
          1e-6);
    }
  }

  @Test
  void addsReplacementsAndDeletionsOverSeveralPassesEndWhereOneBuildWould(@TempDir Path dir) {
    List<float[]> vectors = Vectors.clustered(400, CONFIG.dimension(), 30, 0.8, 2);
    Map<String, float[]> set = named(vectors.subList(0, 250), 0);
    try (ImageIndex index = ImageIndex.openOrCreate(dir, CONFIG)) {
      set.forEach((path, v) -> index.add(doc(path), v));
      index.augment();
      index.commit();
      // newcomers: they become neighbours of older images, which must take them in
      Map<String, float[]> more = named(vectors.subList(250, 400), 250);
      more.forEach((path, v) -> index.add(doc(path), v));
      set.putAll(more);
      int moved = index.augment();
      assertTrue(moved > 150, "older images taken in newcomers: " + (moved - 150));
      index.commit();
      assertMatchesReference(index, set);

      // a deletion marks exactly the images that had the deleted one among their neighbours
      String gone = "/img/7.jpg";
      int referencing = referencing(set, gone);
      set.remove(gone);
      index.delete(gone);
      index.refresh();
      assertEquals(referencing, index.staleCount());
      // more deletions and replacements (same path, new content)
      List<float[]> fresh = Vectors.clustered(10, CONFIG.dimension(), 30, 0.8, 3);
      for (int i = 0; i < 10; i++) {
        String p = "/img/" + (100 + 13 * i) + ".jpg";
        index.add(doc(p), fresh.get(i));
        set.put(p, fresh.get(i));
        String d = "/img/" + (20 + 17 * i) + ".jpg";
        index.delete(d);
        set.remove(d);
      }
      index.commit(); // and stop before the pass, as a killed job would
    }
    try (ImageIndex index = ImageIndex.openOrCreate(dir, CONFIG)) {
      assertTrue(
          index.staleCount() >= 10,
          "the changes are still known after a reopen: " + index.staleCount());
      index.augment();
      index.commit();
      assertMatchesReference(index, set);
    }
    // and it all survives a reopen
    try (ImageIndex index = ImageIndex.open(dir)) {
      assertEquals(2, index.config().augment());
      assertEquals(0, index.staleCount());
      assertMatchesReference(index, set);
    }
  }

  @Test
  void anOutsideQueryIsExpandedWithItsNearestImages(@TempDir Path dir) {
    List<float[]> vectors = Vectors.clustered(201, CONFIG.dimension(), 20, 0.8, 4);
    Map<String, float[]> set = named(vectors.subList(0, 200), 0);
    float[] query = vectors.get(200);
    try (ImageIndex index = ImageIndex.openOrCreate(dir, CONFIG)) {
      set.forEach((path, v) -> index.add(doc(path), v));
      index.augment();
      index.refresh();
      List<String> paths = new ArrayList<>(set.keySet());
      float[][] raw = set.values().toArray(float[][]::new);
      float[][] augmented = NeighbourExpansion.augment(raw, 2);
      float[] expanded = NeighbourExpansion.expandQuery(query, raw, 2);
      double[] scores = new double[raw.length];
      for (int i = 0; i < raw.length; i++) {
        scores[i] =
            W * VectorUtil.dotProduct(query, raw[i])
                + (1 - W) * VectorUtil.dotProduct(expanded, augmented[i]);
      }
      for (boolean exact : new boolean[] {true, false}) {
        List<SearchHit> hits = index.search(query, SearchOptions.top(5).exact(exact));
        for (SearchHit h : hits) {
          assertEquals(scores[paths.indexOf(h.path())], h.score(), 1e-5, "exact=" + exact);
        }
        int[] order = Similarity.rank(scores, -1);
        assertEquals(paths.get(order[0]), hits.get(0).path());
      }
    }
  }

  @Test
  void aLargeCollectionUsesTheGraphAndStaysCloseToExact(@TempDir Path dir) {
    // Above EXACT_AUGMENT_LIMIT neighbours come from the graph; 160-d (layer_17) keeps the test
    // quick.
    IndexConfig small =
        IndexConfig.of(
            ModelProfile.mobileNetV2(),
            "layer_17",
            Pooling.GEM,
            IndexConfig.DEFAULT_PREPROCESSING,
            IndexConfig.DEFAULT_RESIZE,
            IndexConfig.DEFAULT_FORMAT);
    int n = ImageIndex.EXACT_AUGMENT_LIMIT + 300;
    Map<String, float[]> set = named(Vectors.clustered(n, small.dimension(), 150, 0.8, 5), 0);
    try (ImageIndex index = ImageIndex.openOrCreate(dir, small)) {
      set.forEach((path, v) -> index.add(doc(path), v));
      assertEquals(n, index.augment());
      index.refresh();
      List<String> paths = new ArrayList<>(set.keySet());
      double[][] all = NeighbourExpansion.scores(set.values().toArray(float[][]::new), 2, W);
      int same = 0;
      int checked = 0;
      for (int q = 0; q < n; q += 23) {
        List<SearchHit> hits =
            index.search(set.get(paths.get(q)), SearchOptions.top(10).exact(true));
        double[] scores = all[q];
        int[] order = Similarity.rank(scores, -1);
        Set<String> truth = new HashSet<>();
        for (int t = 0; t < 10; t++) {
          truth.add(paths.get(order[t]));
        }
        same += (int) hits.stream().filter(h -> truth.contains(h.path())).count();
        checked += 10;
      }
      double agreement = (double) same / checked;
      assertTrue(agreement >= 0.95, "top-10 agreement with exact augmentation " + agreement);
    }
  }

  /**
   * Every image, searched as itself, ranks the collection exactly as the in-memory augmented
   * vectors do.
   */
  private static void assertMatchesReference(ImageIndex index, Map<String, float[]> set) {
    index.refresh();
    assertEquals(set.size(), index.size());
    List<String> paths = new ArrayList<>(set.keySet());
    double[][] all = NeighbourExpansion.scores(set.values().toArray(float[][]::new), 2, W);
    for (int q = 0; q < paths.size(); q += 7) {
      List<SearchHit> hits = index.search(set.get(paths.get(q)), SearchOptions.top(5).exact(true));
      double[] scores = all[q];
      int[] order = Similarity.rank(scores, -1);
      // Same scores rank by rank, and each hit has the score its reference vector gives: the same
      // ranking up
      // to ties (two images whose neighbours are each other and one more get equal augmented
      // vectors).
      for (int r = 0; r < 5; r++) {
        String where = "query " + paths.get(q) + " rank " + (r + 1);
        assertEquals(scores[order[r]], hits.get(r).score(), 1e-5, where);
        assertEquals(scores[paths.indexOf(hits.get(r).path())], hits.get(r).score(), 1e-5, where);
      }
      assertEquals(1.0, hits.get(0).score(), 1e-5, "an indexed image finds itself with score 1");
    }
  }

  /** How many images of {@code set} have {@code path} among their 2 nearest neighbours. */
  private static int referencing(Map<String, float[]> set, String path) {
    List<String> paths = new ArrayList<>(set.keySet());
    float[][] raw = set.values().toArray(float[][]::new);
    int count = 0;
    for (int i = 0; i < raw.length; i++) {
      double[] s = new double[raw.length];
      for (int j = 0; j < raw.length; j++) {
        s[j] = VectorUtil.dotProduct(raw[i], raw[j]);
      }
      int[] order = Similarity.rank(s, i);
      if (paths.get(order[0]).equals(path) || paths.get(order[1]).equals(path)) {
        count++;
      }
    }
    return count;
  }

  private static Map<String, float[]> named(List<float[]> vectors, int first) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (int i = 0; i < vectors.size(); i++) {
      out.put("/img/" + (first + i) + ".jpg", vectors.get(i));
    }
    return out;
  }

  private static ImageDoc doc(String path) {
    return new ImageDoc(Integer.toHexString(path.hashCode()), path, 1, 1, 1, 1, Map.of());
  }
}
