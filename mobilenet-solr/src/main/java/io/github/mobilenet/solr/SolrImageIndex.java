package io.github.mobilenet.solr;

import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.embeddings.EmbeddingsException;
import io.github.mobilenet.embeddings.EmbeddingsException.Reason;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.ImageDoc;
import io.github.mobilenet.embeddings.index.ImageStore;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.index.IndexConfigMismatchException;
import io.github.mobilenet.embeddings.index.VectorFormat;
import io.github.mobilenet.embeddings.search.SearchHit;
import io.github.mobilenet.embeddings.search.SearchOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.client.solrj.util.ClientUtils;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.params.CursorMarkParams;
import org.apache.solr.common.params.ModifiableSolrParams;

/**
 * A SolrCloud collection as the image index: Lucene's HNSW behind Solr's sharding, replication and
 * query API, with the search vocabulary of the local {@link
 * io.github.mobilenet.embeddings.index.ImageIndex} ({@link SearchOptions} in, {@link SearchHit}s
 * out, scores as cosines) and the {@link ImageStore} the indexing job writes to.
 *
 * <pre>{@code
 * SolrSettings at = SolrSettings.of("http://solr1:8983/solr,http://solr2:8983/solr", "photos");
 * try (SolrImageIndex index = SolrImageIndex.open(at);
 *      ImageEmbedder embedder = ImageEmbedder.open(index.config())) {
 *   for (SearchHit hit : index.search(embedder.embed(Path.of("query.jpg")), SearchOptions.top(10))) {
 *     System.out.println(hit.rank() + " " + hit.score() + " " + hit.path());
 *   }
 * }
 * }</pre>
 *
 * <p>One document per image file, keyed by its absolute path (as the local index is) and carrying
 * the same per-path id, so re-indexing overwrites and never duplicates. The collection records the
 * embedding configuration in a configuration document; opening it with another one is an {@link
 * IndexConfigMismatchException} naming the differences. Vectors are L2-normalised here and compared
 * by {@code dot_product}; Solr's score (1 + cos) / 2 is turned back into the cosine.
 *
 * <p>Local-only (the local index has them, this one not): database-side augmentation (vectors are
 * searched as they are, so {@link IndexConfig#augment()} is 0), quantized formats, near-duplicate
 * groups and verification re-ranking; local features passed to {@link #add(ImageDoc, float[],
 * byte[])} are stored (field {@code local_features}) for clients that re-rank themselves.
 *
 * <p>Thread-safe. Adds are sent in batches of {@value #BATCH}; {@link #commit()} sends the rest and
 * makes everything visible and durable. Failures are {@link EmbeddingsException}s: {@link
 * Reason#NOT_FOUND} for a wrong URL or a missing collection, {@link Reason#IO_ERROR} for Solr
 * errors and transient ones that outlast the retries (each retry is told to {@link
 * SolrSettings#notices()}).
 */
public final class SolrImageIndex implements ImageStore, AutoCloseable {
  /** Documents sent per update request. */
  public static final int BATCH = 100;

  private final SolrNodes nodes;
  private final String collection;
  private final IndexConfig config;
  private final List<SolrInputDocument> pending = new ArrayList<>();

  /** Whether anything was sent since the last commit (then {@link #close()} commits). */
  private volatile boolean dirty;

  private SolrImageIndex(SolrNodes nodes, String collection, IndexConfig config) {
    this.nodes = nodes;
    this.collection = collection;
    this.config = config;
  }

  // ---- opening ----------------------------------------------------------------------------------

  /**
   * The configuration recorded in the collection, or empty when the collection does not exist.
   *
   * @throws EmbeddingsException {@link Reason#NOT_FOUND} when no Solr answers at the URLs
   * @throws IndexConfigMismatchException when the collection was not made by this library
   */
  public static Optional<IndexConfig> readConfig(SolrSettings at) {
    try (SolrNodes nodes = nodes(at)) {
      return exists(nodes, at.collection()) ? Optional.of(recorded(nodes, at)) : Optional.empty();
    }
  }

  /**
   * Opens an existing collection.
   *
   * @throws EmbeddingsException {@link Reason#NOT_FOUND} when the collection does not exist or no
   *     Solr answers at the URLs
   * @throws IndexConfigMismatchException when the collection was not made by this library
   */
  public static SolrImageIndex open(SolrSettings at) {
    SolrNodes nodes = nodes(at);
    try {
      if (!exists(nodes, at.collection())) {
        throw new EmbeddingsException(
            Reason.NOT_FOUND,
            null,
            "Solr collection "
                + at.collection()
                + " does not exist at "
                + String.join(", ", nodes.urls()));
      }
      return new SolrImageIndex(nodes, at.collection(), recorded(nodes, at));
    } catch (RuntimeException e) {
      nodes.close();
      throw e;
    }
  }

  /**
   * Opens an existing collection and checks that its vectors mean what {@code expected} describes.
   *
   * @throws IndexConfigMismatchException listing the differences
   */
  public static SolrImageIndex open(SolrSettings at, IndexConfig expected) {
    SolrImageIndex index = open(at);
    try {
      index.requireCompatible(expected);
    } catch (RuntimeException e) {
      index.close();
      throw e;
    }
    return index;
  }

  /**
   * Opens the collection for writing, creating it when absent: uploads the project's configset
   * (schema with a {@code dot_product} vector field of the configuration's dimension) as {@code
   * mobilenet.COLLECTION}, creates the collection with {@link SolrSettings#shards()} and {@link
   * SolrSettings#replicas()} and records {@code config} in it.
   *
   * @param config the embedding; Solr stores float32 vectors without augmentation, so its format
   *     must be {@link VectorFormat#FLOAT32} and its augmentation 0
   * @throws IndexConfigMismatchException when the existing collection holds other vectors
   */
  public static SolrImageIndex openOrCreate(SolrSettings at, IndexConfig config) {
    if (config.format() != VectorFormat.FLOAT32 || config.augment() != 0) {
      throw new IllegalArgumentException(
          "a Solr collection holds float vectors without augmentation: format "
              + config.format().cliName()
              + " and augment "
              + config.augment()
              + " are local-only");
    }
    SolrNodes nodes = nodes(at);
    try {
      if (!exists(nodes, at.collection())) {
        create(nodes, at, config);
      }
      SolrImageIndex index = new SolrImageIndex(nodes, at.collection(), recorded(nodes, at));
      index.requireCompatible(config);
      return index;
    } catch (RuntimeException e) {
      nodes.close();
      throw e;
    }
  }

  private static SolrNodes nodes(SolrSettings at) {
    return new SolrNodes(at.urls(), at.retries(), at.timeout().toMillis(), at.notices());
  }

  private static boolean exists(SolrNodes nodes, String collection) {
    return nodes
        .call(CollectionAdminRequest::listCollections, "list collections")
        .contains(collection);
  }

  private static void create(SolrNodes nodes, SolrSettings at, IndexConfig config) {
    String c = at.collection();
    nodes.send(SolrConfigSet.upload(c, config.dimension()), null, "upload configset");
    try {
      CollectionAdminRequest.Create create =
          CollectionAdminRequest.createCollection(
              c, SolrConfigSet.nameFor(c), at.shards(), at.replicas());
      create.setWaitForFinalState(true);
      nodes.send(create, null, "create collection " + c);
    } catch (EmbeddingsException e) {
      if (!exists(nodes, c)) { // else another process created it meanwhile
        throw e;
      }
    }
    UpdateRequest u = new UpdateRequest();
    u.add(SolrSchema.configDocument(config));
    u.setAction(UpdateRequest.ACTION.COMMIT, true, true);
    nodes.send(u, c, "record the configuration in collection " + c);
  }

  /** The configuration the collection's configuration document records. */
  private static IndexConfig recorded(SolrNodes nodes, SolrSettings at) {
    String where = "Solr collection " + at.collection();
    SolrDocument d =
        nodes.call(
            client -> client.getById(at.collection(), SolrSchema.CONFIG_KEY),
            "read the configuration of " + where);
    Map<String, String> entries = SolrSchema.configEntries(d);
    if (entries == null) {
      throw new IndexConfigMismatchException(
          Reason.NOT_AN_INDEX,
          null,
          where
              + " has no image configuration document (not created by mobilenet-embeddings, or"
              + " its creation was interrupted: delete the collection and index again)");
    }
    return IndexConfig.fromUserData(entries, where);
  }

  // ---- properties -------------------------------------------------------------------------------

  @Override
  public IndexConfig config() {
    return config;
  }

  /** Null: the index is remote. */
  @Override
  public Path folder() {
    return null;
  }

  @Override
  public String describe() {
    return "Solr collection " + collection;
  }

  public String collection() {
    return collection;
  }

  @Override
  public boolean writable() {
    return true;
  }

  /** Images visible to searches now. */
  public long size() {
    ModifiableSolrParams p = new ModifiableSolrParams();
    p.set("q", SolrSchema.IMAGES);
    p.set("rows", 0);
    return query(p, "count").getResults().getNumFound();
  }

  @Override
  public void requireCompatible(IndexConfig other) {
    List<String> diff = config.embeddingDifferences(other);
    if (!diff.isEmpty()) {
      throw new IndexConfigMismatchException(
          Reason.CONFIG_MISMATCH,
          null,
          describe() + " was built with a different configuration: " + String.join(", ", diff));
    }
  }

  // ---- writing ----------------------------------------------------------------------------------

  /**
   * Adds an image, replacing the document with the same path; see {@link #add(ImageDoc, float[],
   * byte[])}.
   */
  public void add(ImageDoc doc, float[] vector) {
    add(doc, vector, null);
  }

  /**
   * Queues an image (sent with the next {@value #BATCH}, or at {@link #commit()}), replacing the
   * document with the same path. The vector is L2-normalised here; {@code localFeatures}, when not
   * null, are stored as they are.
   */
  @Override
  public void add(ImageDoc doc, float[] vector, byte[] localFeatures) {
    SolrInputDocument d = SolrSchema.document(doc, checkedVector(vector), localFeatures);
    List<SolrInputDocument> batch = null;
    synchronized (pending) {
      pending.add(d);
      if (pending.size() >= BATCH) {
        batch = drain();
      }
    }
    if (batch != null) {
      send(batch);
    }
  }

  @Override
  public void delete(String path) {
    flush();
    UpdateRequest u = new UpdateRequest();
    u.deleteById(path);
    dirty = true;
    nodes.send(u, collection, "delete " + path + " from " + describe());
  }

  /** Sends every queued add. */
  public void flush() {
    List<SolrInputDocument> batch;
    synchronized (pending) {
      batch = drain();
    }
    if (!batch.isEmpty()) {
      send(batch);
    }
  }

  /** Sends the queued adds, hard-commits and opens a new searcher on every shard. */
  @Override
  public void commit() {
    flush();
    dirty = false;
    nodes.call(c -> c.commit(collection, true, true), "commit " + describe());
  }

  /**
   * Commits: what was sent before (even by a process killed since: Solr keeps it in its update log)
   * becomes visible.
   */
  @Override
  public void refresh() {
    commit();
  }

  private List<SolrInputDocument> drain() {
    List<SolrInputDocument> batch = new ArrayList<>(pending);
    pending.clear();
    return batch;
  }

  private void send(List<SolrInputDocument> batch) {
    UpdateRequest u = new UpdateRequest();
    u.add(batch);
    dirty = true;
    nodes.send(u, collection, "add " + batch.size() + " images to " + describe());
  }

  // ---- lookups ----------------------------------------------------------------------------------

  /**
   * Every image, sorted by path, read in pages of 1000 with a cursor (stored fields, no vectors).
   */
  @Override
  public void forEach(Consumer<ImageDoc> action) {
    String cursor = CursorMarkParams.CURSOR_MARK_START;
    while (true) {
      ModifiableSolrParams p = new ModifiableSolrParams();
      p.set("q", SolrSchema.IMAGES);
      p.set("fl", SolrSchema.DOC_FIELDS);
      p.set("sort", SolrSchema.PATH + " asc");
      p.set("rows", 1000);
      p.set(CursorMarkParams.CURSOR_MARK_PARAM, cursor);
      QueryResponse r = query(p, "list images");
      for (SolrDocument d : r.getResults()) {
        action.accept(SolrSchema.imageDoc(d));
      }
      String next = r.getNextCursorMark();
      if (next == null || next.equals(cursor)) {
        return;
      }
      cursor = next;
    }
  }

  /** The stored (normalised) vector of the image at {@code path}, sent before or not. */
  @Override
  public Optional<float[]> vectorByPath(String path) {
    flush();
    ModifiableSolrParams p = new ModifiableSolrParams();
    p.set("fl", SolrSchema.VECTOR);
    SolrDocument d =
        nodes.call(c -> c.getById(collection, path, p), "get " + path + " from " + describe());
    return Optional.ofNullable(d == null ? null : SolrSchema.vector(d));
  }

  /** The image with this id. */
  public Optional<ImageDoc> get(String id) {
    SolrDocument d = byId(id, SolrSchema.DOC_FIELDS);
    return Optional.ofNullable(d == null ? null : SolrSchema.imageDoc(d));
  }

  /** The stored (normalised) vector of the image with this id. */
  public Optional<float[]> vector(String id) {
    SolrDocument d = byId(id, SolrSchema.VECTOR);
    return Optional.ofNullable(d == null ? null : SolrSchema.vector(d));
  }

  private SolrDocument byId(String id, String fields) {
    ModifiableSolrParams p = new ModifiableSolrParams();
    p.set("q", SolrSchema.ID + ":" + ClientUtils.escapeQueryChars(id));
    p.set("fl", fields);
    p.set("rows", 1);
    var results = query(p, "look up id " + id).getResults();
    return results.isEmpty() ? null : results.get(0);
  }

  // ---- search -----------------------------------------------------------------------------------

  /**
   * The images most similar to {@code query} (any length-{@code dimension} vector; it is
   * normalised), by Solr's kNN query sent by POST, filters as pre-filtering {@code fq}s. With
   * {@link SearchOptions#exact()} every image is scored ({@code vectorSimilarity}); otherwise the
   * kNN {@code topK} is {@link SearchOptions#candidates()} (default: as many as the local index
   * collects for float vectors, 64 for k = 10), cut to k. Scores are cosines.
   */
  public List<SearchHit> search(float[] query, SearchOptions options) {
    QueryResponse r =
        query(SolrQueries.similar(checkedVector(query), options), "search " + describe());
    List<SearchHit> hits = new ArrayList<>();
    for (SolrDocument d : r.getResults()) {
      float score = ((Number) d.getFirstValue("score")).floatValue();
      hits.add(new SearchHit(hits.size() + 1, SolrQueries.cosine(score), SolrSchema.imageDoc(d)));
    }
    return hits;
  }

  /**
   * The images most similar to the stored image {@code id}; the image itself is among the hits
   * (score 1) unless {@code options} excludes it.
   *
   * @throws EmbeddingsException {@link Reason#NO_SUCH_IMAGE} when no image has this id
   */
  public List<SearchHit> searchById(String id, SearchOptions options) {
    float[] v =
        vector(id)
            .orElseThrow(
                () ->
                    new EmbeddingsException(
                        Reason.NO_SUCH_IMAGE,
                        null,
                        "no image with id " + id + " in " + describe()));
    return search(v, options);
  }

  /**
   * Embeds {@code image} with {@code embedder} and searches for it.
   *
   * @throws IndexConfigMismatchException when the embedder makes other vectors than the collection
   *     holds
   */
  public List<SearchHit> search(ImageEmbedder embedder, ImageSource image, SearchOptions options) {
    requireCompatible(embedder.config());
    return search(embedder.embed(image), options);
  }

  private QueryResponse query(ModifiableSolrParams p, String doing) {
    return nodes.send(new QueryRequest(p, SolrRequest.METHOD.POST), collection, doing);
  }

  // ---- lifecycle --------------------------------------------------------------------------------

  /** Commits what was added or deleted since the last commit, and releases the HTTP clients. */
  @Override
  public void close() {
    try {
      boolean queued;
      synchronized (pending) {
        queued = !pending.isEmpty();
      }
      if (queued || dirty) {
        commit();
      }
    } finally {
      nodes.close();
    }
  }
}
