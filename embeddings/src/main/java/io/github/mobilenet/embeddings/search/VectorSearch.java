package io.github.mobilenet.embeddings.search;

import io.github.mobilenet.core.util.Vectors;
import io.github.mobilenet.embeddings.EmbeddingsException;
import io.github.mobilenet.embeddings.index.DocLookup;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.index.IndexSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConjunctionUtils;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.VectorUtil;

/**
 * Similarity search over one searcher's view of an image index: approximate candidates from
 * Lucene's {@link KnnFloatVectorQuery} (pre-filtered by tags; Lucene itself searches a small filter
 * exactly) rescored exactly from the stored float32 vectors, or brute force over every vector.
 *
 * <p>With augmentation the score is {@link IndexConfig#AUGMENT_OWN_WEIGHT} × the cosine of the own
 * vectors + the rest × the cosine of the augmented ones (the query augmented like an indexed
 * image), so a near copy of an indexed image still finds that image first.
 *
 * <p>Bound to one searcher; not thread-safe; cheap to create per query.
 */
public final class VectorSearch {
  /** A query at least this close to an indexed image's own vector is that image. */
  public static final double SAME_IMAGE_COSINE = 0.9999;

  /**
   * Up to this many images, the nearest neighbours of an augmentation (of an image or a query) are
   * found by comparing every one; above, by the graph with exact rescoring.
   */
  public static final int EXACT_NEIGHBOURS_LIMIT = 2000;

  /**
   * How far a score or a stored vector's length may stray from [-1, 1] and 1 in float rounding;
   * beyond, the index is corrupt.
   */
  public static final double TOLERANCE = 1e-4;

  private final DocLookup lookup;
  private final IndexSearcher s;
  private final IndexConfig config;
  private final Path folder;

  /** A search whose corruption errors name no index (e.g. for tests and tools). */
  public VectorSearch(DocLookup lookup, IndexConfig config) {
    this(lookup, config, null);
  }

  /**
   * @param folder the index, named in {@link EmbeddingsException.Reason#CORRUPT} errors
   */
  public VectorSearch(DocLookup lookup, IndexConfig config, Path folder) {
    this.lookup = lookup;
    this.s = lookup.searcher();
    this.config = config;
    this.folder = folder;
  }

  /**
   * What a search compares.
   *
   * @param own the query's own (normalised) vector, compared with each image's own vector
   * @param augmented the query augmented like an indexed image, compared with each image's
   *     augmented vector; null without augmentation (the score is then the plain cosine)
   * @param near the query's nearest images by own vector, when already found (candidates for the
   *     own side)
   */
  public record Probe(float[] own, float[] augmented, List<Scored> near) {
    public Probe(float[] own) {
      this(own, null, List.of());
    }
  }

  /** The images most similar to a normalised query vector. */
  public List<SearchHit> search(float[] own, SearchOptions options) throws IOException {
    return search(probe(own, options.exact()), options);
  }

  /** The images most similar to the stored image {@code doc} (itself among them, score 1). */
  public List<SearchHit> searchByDoc(int doc, SearchOptions options) throws IOException {
    float[] own = checkUnit(lookup.own(doc), doc, "vector");
    return search(
        config.augment() == 0
            ? new Probe(own)
            : new Probe(own, checkUnit(lookup.augmented(doc), doc, "augmented vector"), List.of()),
        options);
  }

  /**
   * With augmentation: an indexed image's augmented vector when the query is that image, else the
   * query summed with its nearest images' own vectors (as an indexed image is).
   */
  private Probe probe(float[] own, boolean exact) throws IOException {
    if (config.augment() == 0) {
      return new Probe(own);
    }
    List<Scored> near = rawNeighbours(own, -1, config.augment(), exact);
    if (!near.isEmpty() && near.get(0).score() >= SAME_IMAGE_COSINE) {
      return new Probe(own, lookup.augmented(near.get(0).doc()), near);
    }
    return new Probe(own, augment(own, near, config.augment()), near);
  }

  private List<SearchHit> search(Probe probe, SearchOptions options) throws IOException {
    Query filter = filterQuery(options);
    List<Scored> found;
    int n =
        options.candidates() > 0
            ? Math.max(options.candidates(), options.k())
            : config.format().candidates(options.k(), s.getIndexReader().numDocs());
    if (options.exact()) {
      found = exact(probe, options.k(), filter);
    } else {
      // The graph holds own vectors: candidates near the query and, with augmentation, near its
      // augmented form.
      Set<Integer> docs = new HashSet<>();
      if (filter == null && probe.near().size() >= Math.min(n, s.getIndexReader().numDocs())) {
        probe.near().forEach(x -> docs.add(x.doc())); // found while augmenting: no second search
      } else {
        addAll(docs, knn(probe.own(), n, filter));
      }
      if (probe.augmented() != null) {
        addAll(docs, knn(probe.augmented(), n, filter));
      }
      found = rescore(probe, docs.stream().mapToInt(Integer::intValue).toArray());
    }
    for (Scored x : found) {
      checkScore(x);
    }
    found.sort(Scored.ORDER);
    List<SearchHit> hits = new ArrayList<>();
    for (int i = 0; i < Math.min(options.k(), found.size()); i++) {
      int doc = found.get(i).doc();
      float[] own = checkUnit(lookup.own(doc), doc, "vector");
      if (probe.augmented() != null) {
        checkUnit(lookup.augmented(doc), doc, "augmented vector");
      }
      float score = found.get(i).score();
      float cosine = probe.augmented() == null ? score : VectorUtil.dotProduct(probe.own(), own);
      hits.add(new SearchHit(i + 1, score, lookup.load(doc), cosine, SearchHit.NOT_CHECKED));
    }
    return hits;
  }

  // ---- validation: cheap checks that keep a damaged index from ranking garbage silently
  // ----------

  private void checkScore(Scored x) throws IOException {
    if (!Float.isFinite(x.score()) || Math.abs(x.score()) > 1 + TOLERANCE) {
      throw corrupt(x.doc(), "a score of " + x.score() + " (scores lie in [-1, 1])");
    }
  }

  private float[] checkUnit(float[] v, int doc, String what) throws IOException {
    if (v.length != config.dimension() || !Vectors.isUnit(v, TOLERANCE)) {
      throw corrupt(
          doc,
          "a stored "
              + what
              + (v.length != config.dimension()
                  ? " of " + v.length + " values (expected " + config.dimension() + ")"
                  : " of length " + Vectors.norm(v) + " (expected 1)"));
    }
    return v;
  }

  private EmbeddingsException corrupt(int doc, String what) throws IOException {
    String path;
    try {
      path = lookup.load(doc).path();
    } catch (IOException | RuntimeException e) {
      path = "document " + doc;
    }
    return new EmbeddingsException(
        EmbeddingsException.Reason.CORRUPT,
        folder,
        (folder == null ? "the index" : "index " + folder)
            + " is corrupt: "
            + path
            + " has "
            + what);
  }

  private static void addAll(Set<Integer> docs, int[] found) {
    for (int d : found) {
      docs.add(d);
    }
  }

  /** Approximate nearest documents by own vector (Lucene's kNN query, pre-filtered). */
  private int[] knn(float[] target, int n, Query filter) throws IOException {
    ScoreDoc[] hits =
        s.search(new KnnFloatVectorQuery(IndexSchema.VECTOR, target, n, filter), n).scoreDocs;
    int[] out = new int[hits.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = hits[i].doc;
    }
    return out;
  }

  private static Query filterQuery(SearchOptions o) {
    if (o.filters().isEmpty() && o.excludeIds().isEmpty()) {
      return null;
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    for (Map.Entry<String, String> f : o.filters()) {
      b.add(
          new TermQuery(new Term(IndexSchema.TAG, IndexSchema.tagTerm(f.getKey(), f.getValue()))),
          BooleanClause.Occur.FILTER);
    }
    if (o.filters().isEmpty()) {
      b.add(new MatchAllDocsQuery(), BooleanClause.Occur.FILTER);
    }
    for (String id : o.excludeIds()) {
      // an id, or a content hash: excludes every copy of that content (older documents' id is it)
      b.add(new TermQuery(new Term(IndexSchema.ID, id)), BooleanClause.Occur.MUST_NOT);
      b.add(new TermQuery(new Term(IndexSchema.CONTENT, id)), BooleanClause.Occur.MUST_NOT);
    }
    return b.build();
  }

  /**
   * Nearest images to {@code raw} by their own vectors, closest first, {@code self} (a doc id, or
   * -1) excluded: every image compared when {@code exact} or up to {@value #EXACT_NEIGHBOURS_LIMIT}
   * images (the graph can miss even a query's own document), the graph with exact rescoring above.
   */
  public List<Scored> rawNeighbours(float[] raw, int self, int neighbours, boolean exact)
      throws IOException {
    int c = candidateCount(neighbours);
    Probe probe = new Probe(raw);
    List<Scored> found =
        exact || s.getIndexReader().numDocs() <= EXACT_NEIGHBOURS_LIMIT
            ? exact(probe, c + 1, null)
            : rescore(probe, knn(raw, c + 1, null));
    List<Scored> out = new ArrayList<>(found.size());
    for (Scored x : found) {
      if (x.doc() != self) {
        out.add(x);
      }
    }
    out.sort(Scored.ORDER);
    return out;
  }

  /**
   * Candidates asked of the graph (and kept) when looking for {@code neighbours} raw neighbours.
   */
  public static int candidateCount(int neighbours) {
    return Math.max(64, 16 * neighbours);
  }

  /**
   * The augmented form of {@code own}: its normalised sum with the own vectors of the first {@code
   * n} of {@code near} (an indexed image's nearest images, or a query's).
   */
  public float[] augment(float[] own, List<Scored> near, int n) throws IOException {
    float[] sum = own.clone();
    for (int t = 0; t < Math.min(n, near.size()); t++) {
      float[] v = lookup.own(near.get(t).doc());
      for (int j = 0; j < sum.length; j++) {
        sum[j] += v[j];
      }
    }
    return Vectors.l2NormalizeInPlace(sum);
  }

  /** Brute force over the float32 vectors of every live (and filter-matching) document. */
  private List<Scored> exact(Probe probe, int k, Query filter) throws IOException {
    PriorityQueue<Scored> heap = new PriorityQueue<>(k + 1, Scored.ORDER.reversed());
    Weight weight =
        filter == null ? null : s.createWeight(s.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
    for (LeafReaderContext ctx : s.getIndexReader().leaves()) {
      FloatVectorValues values = ctx.reader().getFloatVectorValues(IndexSchema.VECTOR);
      if (values == null) {
        continue;
      }
      KnnVectorValues.DocIndexIterator it = values.iterator();
      DocIdSetIterator docs = it;
      if (weight != null) {
        Scorer scorer = weight.scorer(ctx);
        if (scorer == null) {
          continue;
        }
        docs = ConjunctionUtils.intersectIterators(List.of(scorer.iterator(), it));
      }
      BinaryDocValues augmented =
          probe.augmented() != null ? ctx.reader().getBinaryDocValues(IndexSchema.AUGMENTED) : null;
      Bits live = ctx.reader().getLiveDocs();
      for (int d = docs.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = docs.nextDoc()) {
        if (live != null && !live.get(d)) {
          continue;
        }
        heap.add(
            new Scored(
                ctx.docBase + d, score(probe, values.vectorValue(it.index()), augmented, d)));
        if (heap.size() > k) {
          heap.poll();
        }
      }
    }
    return new ArrayList<>(heap);
  }

  /**
   * The probe's score for one document: the cosine of the own vectors; with augmentation {@link
   * IndexConfig#AUGMENT_OWN_WEIGHT} of it plus the rest of the augmented vectors' cosine.
   */
  private static float score(Probe probe, float[] own, BinaryDocValues augmented, int localDoc)
      throws IOException {
    float score = VectorUtil.dotProduct(probe.own(), own);
    if (probe.augmented() != null && augmented != null && augmented.advanceExact(localDoc)) {
      float expanded =
          VectorUtil.dotProduct(probe.augmented(), IndexSchema.floats(augmented.binaryValue()));
      score =
          (float)
              (IndexConfig.AUGMENT_OWN_WEIGHT * score
                  + (1 - IndexConfig.AUGMENT_OWN_WEIGHT) * expanded);
    }
    return score;
  }

  /** Exact scores for approximate candidates, read from the stored vectors in doc order. */
  public List<Scored> rescore(Probe probe, int[] docs) throws IOException {
    Arrays.sort(docs);
    List<LeafReaderContext> leaves = s.getIndexReader().leaves();
    List<Scored> out = new ArrayList<>(docs.length);
    LeafReaderContext ctx = null;
    FloatVectorValues values = null;
    KnnVectorValues.DocIndexIterator it = null;
    BinaryDocValues augmented = null;
    for (int doc : docs) {
      if (ctx == null || doc >= ctx.docBase + ctx.reader().maxDoc()) {
        ctx = leaves.get(ReaderUtil.subIndex(doc, leaves));
        values = ctx.reader().getFloatVectorValues(IndexSchema.VECTOR);
        it = values.iterator();
        augmented =
            probe.augmented() != null
                ? ctx.reader().getBinaryDocValues(IndexSchema.AUGMENTED)
                : null;
      }
      int local = doc - ctx.docBase;
      if (it.docID() < local) {
        it.advance(local);
      }
      if (it.docID() == local) {
        out.add(new Scored(doc, score(probe, values.vectorValue(it.index()), augmented, local)));
      }
    }
    return out;
  }
}
