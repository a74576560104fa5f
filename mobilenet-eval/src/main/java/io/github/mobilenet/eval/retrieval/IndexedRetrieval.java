package io.github.mobilenet.eval.retrieval;

import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.core.util.FileTrees;
import io.github.mobilenet.embeddings.dba.NeighbourExpansion;
import io.github.mobilenet.embeddings.index.ImageDoc;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.index.IndexStats;
import io.github.mobilenet.embeddings.index.VectorFormat;
import io.github.mobilenet.embeddings.search.SearchHit;
import io.github.mobilenet.embeddings.search.SearchOptions;
import io.github.mobilenet.eval.data.EmbeddedSet;
import io.github.mobilenet.eval.data.EmbeddingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Retrieval quality through a real {@link ImageIndex}: the set's vectors are indexed in a temporary
 * folder with a given {@link VectorFormat} (HNSW over float32 or quantized vectors, candidates
 * rescored with exact cosines, as the index always does), and every vector is searched for its top
 * {@code depth} hits (with the index's database-side augmentation, if any). Relevant images beyond
 * the depth count as not found, so compare formats at the same depth; the exact ranking cut at that
 * depth is computed alongside as the reference.
 */
public final class IndexedRetrieval {
  private IndexedRetrieval() {}

  /**
   * The same queries through the index and exactly.
   *
   * @param metrics through the index
   * @param exact exact float cosine ranking cut at the same depth
   * @param stats the index's sizes (on-disk bytes by kind)
   * @param millisPerQuery mean search time
   */
  public record Report(
      RetrievalMetrics.Result metrics,
      RetrievalMetrics.Result exact,
      IndexStats stats,
      double millisPerQuery) {}

  /**
   * Indexes {@code set} in a temporary folder (deleted afterwards), searches every vector and
   * evaluates the rankings.
   *
   * @param set L2-normalised embeddings (the index compares by cosine)
   * @param config what the vectors are (model, layer, pooling, preprocessing, resize)
   * @param augment the index's database-side augmentation ({@link IndexConfig#augment()}); the
   *     exact reference is then {@link NeighbourExpansion#scores} in memory
   */
  public static Report run(
      EmbeddedSet set,
      ModelProfile profile,
      EmbeddingConfig config,
      VectorFormat format,
      int augment,
      int depth,
      int k)
      throws IOException {
    if (config.normalization() == Normalization.NONE) {
      throw new IllegalArgumentException(
          "an index compares by cosine: the vectors need normalisation l2 or sqrt, not none");
    }
    int n = set.size();
    int d = Math.min(depth, n - 1);
    IndexConfig indexConfig =
        IndexConfig.of(
                profile,
                config.layer(),
                config.pooling(),
                config.preprocessing(),
                config.resize(),
                format)
            .withAugment(augment);
    if (indexConfig.dimension() != set.dimensions()) {
      throw new IllegalArgumentException(
          "layer "
              + config.layer()
              + " is "
              + indexConfig.dimension()
              + "-d in the index but the vectors are "
              + set.dimensions()
              + "-d");
    }
    Path folder = Files.createTempDirectory("mobilenet-eval-index");
    try {
      int[][] rankings = new int[n][];
      IndexStats stats;
      long searchNanos;
      try (ImageIndex index = ImageIndex.openOrCreate(folder, indexConfig)) {
        for (int i = 0; i < n; i++) {
          String id = Integer.toString(i);
          index.add(
              new ImageDoc(
                  id, folder.resolve("images").resolve(id).toString(), 0, 0, 0, 0, Map.of()),
              set.vectors()[i]);
        }
        index.augment();
        index.commit();
        index.forceMerge(1); // one graph, as a settled index has; also makes runs repeatable
        index.refresh();
        stats = index.stats();
        long t0 = System.nanoTime();
        for (int q = 0; q < n; q++) {
          // Ask for one more and drop the query itself (an id filter would switch to exact search).
          List<SearchHit> hits = index.search(set.vectors()[q], SearchOptions.top(d + 1));
          List<Integer> ranking = new ArrayList<>(d);
          for (SearchHit h : hits) {
            int doc = Integer.parseInt(h.id());
            if (doc != q && ranking.size() < d) {
              ranking.add(doc);
            }
          }
          rankings[q] = ranking.stream().mapToInt(Integer::intValue).toArray();
        }
        searchNanos = System.nanoTime() - t0;
      }
      RetrievalMetrics.Result viaIndex =
          RetrievalMetrics.evaluateRankings(rankings, set.labels(), k);
      double[][] scores =
          NeighbourExpansion.scores(set.vectors(), augment, IndexConfig.AUGMENT_OWN_WEIGHT);
      int[][] exact = new int[n][];
      for (int q = 0; q < n; q++) {
        int[] full = RetrievalMetrics.rank(scores[q], q);
        exact[q] = java.util.Arrays.copyOf(full, d);
      }
      RetrievalMetrics.Result reference = RetrievalMetrics.evaluateRankings(exact, set.labels(), k);
      return new Report(viaIndex, reference, stats, searchNanos / 1e6 / n);
    } finally {
      FileTrees.deleteRecursively(folder);
    }
  }
}
