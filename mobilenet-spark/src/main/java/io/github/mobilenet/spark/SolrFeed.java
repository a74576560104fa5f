package io.github.mobilenet.spark;

import static org.apache.spark.sql.functions.col;

import io.github.mobilenet.embeddings.index.ImageDoc;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.solr.SolrImageIndex;
import io.github.mobilenet.solr.SolrSettings;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Feeds the embedded rows of the job's output to a SolrCloud collection from the executors: one
 * {@link SolrImageIndex} per partition (batched adds, a commit when the partition ends). Documents
 * are keyed by the local index's id, so a re-run or a retried task replaces documents and never
 * duplicates one.
 */
final class SolrFeed implements ForeachPartitionFunction<Row> {
  private static final long serialVersionUID = 1L;

  private final String urls;
  private final String collection;
  private final EmbeddingSettings settings;

  private SolrFeed(String urls, String collection, EmbeddingSettings settings) {
    this.urls = urls;
    this.collection = collection;
    this.settings = settings;
  }

  /** What a collection of these vectors records: Solr holds float vectors, no augmentation. */
  static IndexConfig config(EmbeddingSettings settings) {
    return settings.config().withAugment(0);
  }

  /**
   * Creates the collection when absent (or refuses one holding other vectors, before any executor
   * writes), feeds every embedded row of {@code written} (the job's Parquet output), and returns
   * the collection's size afterwards.
   *
   * @throws io.github.mobilenet.embeddings.index.IndexConfigMismatchException when the collection
   *     holds other vectors
   */
  static long feed(Dataset<Row> written, String urls, String collection, EmbeddingSettings s) {
    SolrSettings at = SolrSettings.of(urls, collection);
    try (SolrImageIndex created = SolrImageIndex.openOrCreate(at, config(s))) {
      created.flush(); // nothing to send: opened to create and check only
    }
    written.where(col("error").isNull()).foreachPartition(new SolrFeed(urls, collection, s));
    try (SolrImageIndex index = SolrImageIndex.open(at, config(s))) {
      index.refresh();
      return index.size();
    }
  }

  @Override
  public void call(Iterator<Row> rows) {
    if (!rows.hasNext()) {
      return;
    }
    try (SolrImageIndex index =
        SolrImageIndex.open(SolrSettings.of(urls, collection), config(settings))) {
      while (rows.hasNext()) {
        Row r = rows.next();
        ImageDoc doc =
            new ImageDoc(
                r.getAs("id"),
                r.getAs("path"),
                r.<Long>getAs("size"),
                r.<Long>getAs("modified"),
                r.<Integer>getAs("width"),
                r.<Integer>getAs("height"),
                Map.of(),
                r.getAs("content_hash"));
        index.add(doc, floats(r.getList(r.fieldIndex("embedding"))));
      }
    } // close() commits
  }

  private static float[] floats(List<Float> list) {
    float[] v = new float[list.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = list.get(i);
    }
    return v;
  }
}
