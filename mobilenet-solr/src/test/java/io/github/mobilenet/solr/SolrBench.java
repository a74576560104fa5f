package io.github.mobilenet.solr;

import io.github.mobilenet.core.image.ImageFiles;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.ContentHash;
import io.github.mobilenet.embeddings.index.ImageDoc;
import io.github.mobilenet.embeddings.index.ImageIds;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.search.SearchHit;
import io.github.mobilenet.embeddings.search.SearchOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A benchmark (not a test): the same precomputed vectors written to and searched in the local index
 * and in a 2-shard collection of a local 2-node SolrCloud, printing write docs/s, kNN query p50/p95
 * (top 10, the images' own vectors as queries) and Solr's recall@10 against exact local search. Run
 * from the repository root:
 *
 * <pre>
 * mobilenet-solr/bench.sh ../shared/datasets/flowers17 2
 * </pre>
 */
public final class SolrBench {
  private SolrBench() {}

  public static void main(String[] args) throws Exception {
    Path folder = Path.of(args[0]);
    int shards = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int queries = 300;
    IndexConfig config = IndexConfig.defaults().withAugment(0);
    List<Path> files = ImageFiles.expand(List.of(folder), p -> {});
    List<ImageDoc> docs = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    long t0 = System.nanoTime();
    try (ImageEmbedder embedder = ImageEmbedder.open(config)) {
      for (Path f : files) {
        try {
          float[] v = embedder.embed(f);
          String key = f.toAbsolutePath().normalize().toString();
          String content = ContentHash.of(f);
          docs.add(
              new ImageDoc(
                  ImageIds.of(content, key),
                  key,
                  Files.size(f),
                  Files.getLastModifiedTime(f).toMillis(),
                  1,
                  1,
                  Map.of(),
                  content));
          vectors.add(v);
        } catch (RuntimeException e) {
          // not an image (LABELS, README): skipped
        }
      }
    }
    System.out.printf(
        "{\"images\": %d, \"embed_seconds\": %.1f}%n", docs.size(), (System.nanoTime() - t0) / 1e9);

    Path dir = Files.createTempDirectory("solr-bench");
    List<List<String>> exact = new ArrayList<>();
    try (ImageIndex local = ImageIndex.openOrCreate(dir.resolve("local.idx"), config)) {
      long w = System.nanoTime();
      for (int i = 0; i < docs.size(); i++) {
        local.add(docs.get(i), vectors.get(i));
      }
      local.commit();
      local.refresh();
      double written = (System.nanoTime() - w) / 1e9;
      report(
          "local",
          docs.size(),
          written,
          latencies(q -> local.search(q, top10()), vectors, queries));
      for (int i = 0; i < queries; i++) {
        exact.add(
            local.search(vectors.get(i), top10().exact(true)).stream()
                .map(SearchHit::path)
                .toList());
      }
    }
    try (SolrCluster cluster = new SolrCluster(2);
        SolrImageIndex solr =
            SolrImageIndex.openOrCreate(
                SolrSettings.of(cluster.allUrls(), "bench").shards(shards), config)) {
      long w = System.nanoTime();
      for (int i = 0; i < docs.size(); i++) {
        solr.add(docs.get(i), vectors.get(i), null);
      }
      solr.commit();
      double written = (System.nanoTime() - w) / 1e9;
      report(
          "solr_" + shards + "_shards",
          docs.size(),
          written,
          latencies(q -> solr.search(q, top10()), vectors, queries));
      double recall = 0;
      for (int i = 0; i < queries; i++) {
        Set<String> got = new HashSet<>();
        solr.search(vectors.get(i), top10()).forEach(h -> got.add(h.path()));
        recall += exact.get(i).stream().filter(got::contains).count() / 10.0;
      }
      System.out.printf("{\"solr_recall_at_10\": %.4f}%n", recall / queries);
    }
  }

  static SearchOptions top10() {
    return SearchOptions.top(10);
  }

  interface Search {
    List<SearchHit> run(float[] q);
  }

  /** Query latencies in ms after 50 warm-up queries. */
  static double[] latencies(Search s, List<float[]> vectors, int n) {
    for (int i = 0; i < 50; i++) {
      s.run(vectors.get(i % vectors.size()));
    }
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      s.run(vectors.get(i % vectors.size()));
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(ms);
    return ms;
  }

  static void report(String name, int docs, double seconds, double[] ms) {
    System.out.printf(
        "{\"backend\": \"%s\", \"docs\": %d, \"write_docs_per_s\": %.0f, \"knn_p50_ms\": %.2f,"
            + " \"knn_p95_ms\": %.2f}%n",
        name, docs, docs / seconds, ms[ms.length / 2], ms[(int) (ms.length * 0.95)]);
  }
}
