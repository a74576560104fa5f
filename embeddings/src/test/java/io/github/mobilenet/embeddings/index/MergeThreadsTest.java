package io.github.mobilenet.embeddings.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.extract.Pooling;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.embeddings.Vectors;
import io.github.mobilenet.embeddings.search.SearchHit;
import io.github.mobilenet.embeddings.search.SearchOptions;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Merges whose HNSW graph is built on several threads ({@link
 * ImageIndex.WriteSettings#mergeThreads}) write an index any reader opens, with the graph as good
 * as a single-threaded merge's.
 */
class MergeThreadsTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(
      value = VectorFormat.class,
      names = {"FLOAT32", "INT7"})
  void aMergeOnTwoThreadsGivesOneSearchableSegment(VectorFormat format) {
    IndexConfig config =
        IndexConfig.of(
                ModelProfile.mobileNetV2(),
                "pooled",
                Pooling.AVG,
                IndexConfig.DEFAULT_PREPROCESSING,
                IndexConfig.DEFAULT_RESIZE,
                format)
            .withAugment(0);
    List<float[]> all = Vectors.clustered(3040, 1280, 60, 0.5, 11);
    List<float[]> vectors = all.subList(0, 3000);
    List<float[]> queries = all.subList(3000, all.size()); // same clusters, not indexed
    Path dir = tmp.resolve(format.cliName());
    // a 4 MB buffer flushes a segment every few hundred vectors: the merge has work to do
    try (ImageIndex index =
        ImageIndex.openOrCreate(dir, config, new ImageIndex.WriteSettings(4, false, 2))) {
      for (int i = 0; i < vectors.size(); i++) {
        index.add(
            new ImageDoc(Integer.toString(i), "/v/" + i, 0, 0, 0, 0, Map.of()), vectors.get(i));
      }
      index.commit();
      index.refresh();
      assertTrue(index.stats().segments() > 3, "segments before: " + index.stats().segments());
      index.forceMerge(1);
      index.commit();
    }
    try (ImageIndex index = ImageIndex.open(dir)) { // read back through the ordinary SPI lookup
      assertEquals(1, index.stats().segments());
      assertEquals(vectors.size(), index.size());
      int found = 0;
      for (float[] q : queries) {
        Set<String> exact = ids(index.search(q, SearchOptions.top(10).exact(true)));
        Set<String> approx = ids(index.search(q, SearchOptions.top(10)));
        approx.retainAll(exact);
        found += approx.size();
      }
      double recall = found / (10.0 * queries.size());
      assertTrue(recall >= 0.95, format + " recall@10 after the two-thread merge: " + recall);
    }
  }

  @Test
  void fewerThanOneMergeThreadIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new ImageIndex.WriteSettings(64, true, 0));
    assertTrue(e.getMessage().contains("mergeThreads must be >= 1"), e.getMessage());
  }

  private static Set<String> ids(List<SearchHit> hits) {
    Set<String> s = new HashSet<>();
    hits.forEach(h -> s.add(h.id()));
    return s;
  }
}
