package io.github.mobilenet.embeddings.dups;

import io.github.mobilenet.embeddings.index.DocLookup;
import io.github.mobilenet.embeddings.index.ImageDoc;
import io.github.mobilenet.embeddings.index.IndexSchema;
import io.github.mobilenet.embeddings.index.VectorFormat;
import io.github.mobilenet.embeddings.search.Scored;
import io.github.mobilenet.embeddings.search.SearchHit;
import io.github.mobilenet.embeddings.search.VectorSearch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.VectorUtil;

/**
 * Groups of near-identical images by their own vectors. Pairs with cosine ≥ threshold are linked
 * (union-find); in each connected set the largest image becomes a representative with every image
 * within threshold of it, and the rest is grouped again the same way, so every member is a near
 * copy of its group's first image (links can chain: a~b and b~c with a and c apart). Up to {@link
 * #EXACT_LIMIT} images every pair is compared; above that each image's {@value #NEIGHBOURS} nearest
 * neighbours come from the graph (no all-pairs pass).
 *
 * <p>Bound to one searcher; not thread-safe.
 */
public final class DuplicateFinder {
  /**
   * Default cosine: on the sample photos it links half-size, JPEG q=30, EXIF-rotated and most
   * mirrored or 90 %-cropped copies while distinct photos stay below 0.75 (docs/INDEX.md).
   */
  public static final double DEFAULT_THRESHOLD = 0.92;

  /** Up to this many documents all pairs are compared exactly; above, the graph is walked. */
  public static final int EXACT_LIMIT = 2000;

  /** Neighbours each image looks for in graph-based grouping. */
  static final int NEIGHBOURS = 16;

  private final DocLookup lookup;
  private final IndexSearcher s;
  private final VectorFormat format;

  public DuplicateFinder(DocLookup lookup, VectorFormat format) {
    this.lookup = lookup;
    this.s = lookup.searcher();
    this.format = format;
  }

  /** The groups, largest first (ties by the first member's path). */
  public List<DuplicateGroup> groups(double threshold) throws IOException {
    if (!(threshold >= -1 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be between -1 and 1, got " + threshold);
    }
    List<Integer> docs = docsWithVectors();
    int n = docs.size();
    UnionFind links = new UnionFind(n);
    if (n <= EXACT_LIMIT) {
      float[][] vectors = new float[n][];
      for (int i = 0; i < n; i++) {
        vectors[i] = lookup.own(docs.get(i));
      }
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          if (VectorUtil.dotProduct(vectors[i], vectors[j]) >= threshold) {
            links.union(i, j);
          }
        }
      }
    } else { // one graph query per image; only ids are held, not n vectors
      Map<Integer, Integer> slot = new HashMap<>();
      for (int i = 0; i < n; i++) {
        slot.put(docs.get(i), i);
      }
      VectorSearch search = new VectorSearch(lookup, null);
      int candidates = format.candidates(NEIGHBOURS);
      for (int i = 0; i < n; i++) {
        float[] q = lookup.own(docs.get(i));
        ScoreDoc[] td =
            s.search(new KnnFloatVectorQuery(IndexSchema.VECTOR, q, candidates), candidates)
                .scoreDocs;
        int[] found = new int[td.length];
        for (int t = 0; t < td.length; t++) {
          found[t] = td[t].doc;
        }
        for (Scored hit : search.rescore(new VectorSearch.Probe(q), found)) {
          Integer j = slot.get(hit.doc());
          if (j != null && j != i && hit.score() >= threshold) {
            links.union(i, j);
          }
        }
      }
    }
    Map<Integer, List<Integer>> components = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      components.computeIfAbsent(links.find(i), r -> new ArrayList<>()).add(i);
    }
    List<DuplicateGroup> groups = new ArrayList<>();
    for (List<Integer> component : components.values()) {
      if (component.size() >= 2) {
        split(component, docs, threshold, groups);
      }
    }
    groups.sort(
        Comparator.comparingInt((DuplicateGroup g) -> -g.size())
            .thenComparing(g -> g.members().get(0).path()));
    return groups;
  }

  /**
   * Links chain (a~b, b~c, a and c apart): splits a connected set so each member is within
   * threshold of its representative, and keeping the representative never drops an image that is
   * not its near copy.
   */
  private void split(
      List<Integer> component, List<Integer> docs, double threshold, List<DuplicateGroup> out)
      throws IOException {
    List<ImageDoc> remaining = new ArrayList<>();
    Map<ImageDoc, float[]> vectors = new HashMap<>();
    for (int i : component) {
      ImageDoc d = lookup.load(docs.get(i));
      remaining.add(d);
      vectors.put(d, lookup.own(docs.get(i)));
    }
    while (remaining.size() >= 2) {
      ImageDoc rep = remaining.get(0);
      for (ImageDoc d : remaining) {
        long pd = (long) d.width() * d.height();
        long pr = (long) rep.width() * rep.height();
        if (pd > pr || (pd == pr && d.path().compareTo(rep.path()) < 0)) {
          rep = d;
        }
      }
      List<SearchHit> others = new ArrayList<>();
      for (ImageDoc d : remaining) {
        float score = VectorUtil.dotProduct(vectors.get(rep), vectors.get(d));
        if (d != rep && score >= threshold) {
          others.add(new SearchHit(0, score, d));
        }
      }
      remaining.remove(rep);
      if (others.isEmpty()) {
        continue;
      }
      others.sort(
          Comparator.comparingDouble((SearchHit h) -> -h.score()).thenComparing(SearchHit::path));
      List<SearchHit> numbered = new ArrayList<>();
      numbered.add(new SearchHit(1, 1f, rep));
      for (SearchHit h : others) {
        numbered.add(new SearchHit(numbered.size() + 1, h.score(), h.doc()));
        remaining.remove(h.doc());
      }
      out.add(new DuplicateGroup(numbered));
    }
  }

  private List<Integer> docsWithVectors() throws IOException {
    List<Integer> docs = new ArrayList<>();
    for (LeafReaderContext ctx : s.getIndexReader().leaves()) {
      FloatVectorValues values = ctx.reader().getFloatVectorValues(IndexSchema.VECTOR);
      if (values == null) {
        continue;
      }
      Bits live = ctx.reader().getLiveDocs();
      KnnVectorValues.DocIndexIterator it = values.iterator();
      for (int d = it.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) {
        if (live == null || live.get(d)) {
          docs.add(ctx.docBase + d);
        }
      }
    }
    return docs;
  }

  /** Disjoint sets with path halving; the smaller index becomes the root. */
  private static final class UnionFind {
    private final int[] parent;

    UnionFind(int n) {
      parent = new int[n];
      for (int i = 0; i < n; i++) {
        parent[i] = i;
      }
    }

    int find(int i) {
      while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
      }
      return i;
    }

    void union(int a, int b) {
      int ra = find(a);
      int rb = find(b);
      if (ra != rb) {
        parent[Math.max(ra, rb)] = Math.min(ra, rb);
      }
    }
  }
}
