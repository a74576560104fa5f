package io.github.mobilenet.embeddings.dba;

import static io.github.mobilenet.embeddings.index.IndexSchema.NEIGHBOURS;
import static io.github.mobilenet.embeddings.index.IndexSchema.PATH;
import static io.github.mobilenet.embeddings.index.IndexSchema.STALE;

import io.github.mobilenet.embeddings.index.DocLookup;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.index.IndexSchema;
import io.github.mobilenet.embeddings.search.Scored;
import io.github.mobilenet.embeddings.search.VectorSearch;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.VectorUtil;

/**
 * Database-side augmentation of an image index: the pass that keeps the augmented vectors (doc
 * values laid out by {@link IndexSchema}) equal to augmenting the whole collection from scratch
 * after any adds, changes and removals. Works on a searcher's view and a writer, through the schema
 * and lookup types; it knows nothing of the index facade.
 */
public final class Augmentation {
  private Augmentation() {}

  /**
   * Up to this many images, a pass compares every pair exactly; above, it asks the graph ({@link
   * VectorSearch#EXACT_NEIGHBOURS_LIMIT}).
   */
  public static final int EXACT_LIMIT = VectorSearch.EXACT_NEIGHBOURS_LIMIT;

  /**
   * Every live image's path and the paths its augmented vector was made from, read in one sweep:
   * what an augmentation pass needs to find the images a change affects without an index of
   * neighbour terms (which in-place doc-values updates could not maintain).
   */
  public static final class Neighbourhoods {
    /** Path of each live document, by global doc id (null for deleted ones). */
    final String[] pathOf;

    /** Live documents by path. */
    final Map<String, Integer> docOf = new HashMap<>();

    /** Documents whose augmented vector includes each path. */
    final Map<String, List<Integer>> usedBy = new HashMap<>();

    /** Documents marked new or changed. */
    final Set<Integer> changed = new HashSet<>();

    public Neighbourhoods(IndexSearcher s) throws IOException {
      pathOf = new String[s.getIndexReader().maxDoc()];
      for (LeafReaderContext ctx : s.getIndexReader().leaves()) {
        Bits live = ctx.reader().getLiveDocs();
        Terms paths = ctx.reader().terms(PATH);
        if (paths != null) {
          TermsEnum te = paths.iterator();
          PostingsEnum pe = null;
          for (BytesRef t = te.next(); t != null; t = te.next()) {
            pe = te.postings(pe, PostingsEnum.NONE);
            for (int d = pe.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = pe.nextDoc()) {
              if (live == null || live.get(d)) {
                pathOf[ctx.docBase + d] = t.utf8ToString();
                docOf.put(pathOf[ctx.docBase + d], ctx.docBase + d);
              }
            }
          }
        }
        NumericDocValues stale = ctx.reader().getNumericDocValues(STALE);
        for (int d = stale == null ? DocIdSetIterator.NO_MORE_DOCS : stale.nextDoc();
            d != DocIdSetIterator.NO_MORE_DOCS;
            d = stale.nextDoc()) {
          if (stale.longValue() != 0 && (live == null || live.get(d))) {
            changed.add(ctx.docBase + d);
          }
        }
        BinaryDocValues neighbours = ctx.reader().getBinaryDocValues(NEIGHBOURS);
        for (int d = neighbours == null ? DocIdSetIterator.NO_MORE_DOCS : neighbours.nextDoc();
            d != DocIdSetIterator.NO_MORE_DOCS;
            d = neighbours.nextDoc()) {
          BytesRef b = neighbours.binaryValue();
          if (b.length > 0 && (live == null || live.get(d))) {
            for (String p : b.utf8ToString().split("\0")) {
              usedBy.computeIfAbsent(p, k -> new ArrayList<>(2)).add(ctx.docBase + d);
            }
          }
        }
      }
    }

    /** Changed images, and images one of whose neighbours changed or went. */
    public Set<Integer> stale() {
      Set<Integer> out = new TreeSet<>(changed);
      for (Map.Entry<String, List<Integer>> e : usedBy.entrySet()) {
        Integer doc = docOf.get(e.getKey());
        if (doc == null || changed.contains(doc)) {
          out.addAll(e.getValue());
        }
      }
      return out;
    }
  }

  /**
   * One pass: reads one searcher's view, updates the affected documents' doc values through the
   * writer (durable at its next commit). Not thread-safe; the caller keeps other writes out.
   */
  public static final class Pass {
    private final IndexSearcher s;
    private final DocLookup lookup;
    private final VectorSearch search;
    private final IndexWriter writer;
    private final int n;
    private final AugmentProgress progress;

    /** All live images' own vectors and floors, when few enough to compare every pair. */
    private int[] allDocs;

    private float[][] allRaw;
    private float[] allFloors;

    /** Every pair's dot product ({@code allRaw[i] · allRaw[j]}), when half or more are queued. */
    private float[][] gram;

    /** Position in {@link #allDocs} by doc id (-1: none). */
    private int[] positionOf;

    /**
     * Images closer to the one just looked at than to their last neighbour (filled by {@link
     * #exactNeighbours}).
     */
    private int[] takers = new int[16];

    private int takerCount;

    public Pass(
        DocLookup lookup, IndexConfig config, IndexWriter writer, AugmentProgress progress) {
      this.lookup = lookup;
      this.s = lookup.searcher();
      this.search = new VectorSearch(lookup, config);
      this.writer = writer;
      this.n = config.augment();
      this.progress = progress;
    }

    public int run() throws IOException {
      Neighbourhoods hoods = new Neighbourhoods(s);
      Set<Integer> stale = hoods.stale();
      if (stale.isEmpty()) {
        return 0;
      }
      ArrayDeque<Integer> work = new ArrayDeque<>(stale);
      // By doc id: a pass over n new images looks at up to n^2 takers, too many for a TreeSet.
      BitSet queued = new BitSet(s.getIndexReader().maxDoc());
      stale.forEach(queued::set);
      int queuedCount = stale.size();
      if (s.getIndexReader().numDocs() <= EXACT_LIMIT) {
        loadAll(stale.size());
      }
      int done = 0;
      progress.update(0, queuedCount);
      while (!work.isEmpty()) {
        int doc = work.poll();
        String path = hoods.pathOf[doc];
        float[] raw = lookup.own(doc);
        takerCount = 0;
        List<Scored> near = allRaw != null ? exactNeighbours(raw, doc) : graphNeighbours(raw, doc);
        int count = Math.min(n, near.size());
        List<String> paths = new ArrayList<>(count);
        for (int t = 0; t < count; t++) {
          paths.add(hoods.pathOf[near.get(t).doc()]);
        }
        // Fewer neighbours than asked for: any newcomer belongs among them.
        float floor = count < n ? -2 : near.get(count - 1).score();
        writer.updateDocValues(
            new Term(PATH, path),
            IndexSchema.augmentationFields(search.augment(raw, near, n), paths, floor, false));
        // Older images this one is now closer to than their last neighbour must take it in.
        List<Integer> alreadyIn = hoods.usedBy.getOrDefault(path, List.of());
        for (int k = 0; k < takerCount; k++) {
          int c = takers[k];
          if (!queued.get(c) && !alreadyIn.contains(c)) {
            queued.set(c);
            queuedCount++;
            work.add(c);
          }
        }
        if (++done % 256 == 0 || work.isEmpty()) {
          progress.update(done, queuedCount);
        }
      }
      return done;
    }

    /**
     * Loads every live image's vector and floor; with many images queued, also their Gram matrix.
     * Pairs once each cost n²/2 dot products, one image at a time n per queued image: an
     * incremental run that queues a few images keeps the second.
     */
    private void loadAll(int queued) throws IOException {
      List<Integer> docs = lookup.allDocs();
      allDocs = docs.stream().mapToInt(Integer::intValue).toArray();
      allRaw = new float[allDocs.length][];
      allFloors = new float[allDocs.length];
      for (int i = 0; i < allDocs.length; i++) {
        allRaw[i] = lookup.own(allDocs[i]);
        allFloors[i] = lookup.floor(allDocs[i]);
      }
      if (2L * queued < allDocs.length) {
        return;
      }
      positionOf = new int[s.getIndexReader().maxDoc()];
      Arrays.fill(positionOf, -1);
      for (int i = 0; i < allDocs.length; i++) {
        positionOf[allDocs[i]] = i;
      }
      gram = gram(allRaw);
    }

    /**
     * The nearest images to {@code raw} by comparing every one; notes every image that should take
     * it in.
     */
    private List<Scored> exactNeighbours(float[] raw, int self) {
      PriorityQueue<Scored> heap = new PriorityQueue<>(n + 1, Scored.ORDER.reversed());
      int at = gram != null && self < positionOf.length ? positionOf[self] : -1;
      // The image's own row of the Gram matrix (raw is its own vector, read again): a · b == b · a
      // bit for bit (lane-wise products, same sums), so scores are those computed one by one.
      float[] row = at >= 0 && Arrays.equals(allRaw[at], raw) ? gram[at] : null;
      for (int i = 0; i < allDocs.length; i++) {
        if (allDocs[i] != self) {
          float score = row != null ? row[i] : VectorUtil.dotProduct(raw, allRaw[i]);
          if (score > allFloors[i]) {
            addTaker(allDocs[i]);
          }
          if (heap.size() == n && score < heap.peek().score()) {
            continue; // cannot enter: skip the allocation
          }
          heap.add(new Scored(allDocs[i], score));
          if (heap.size() > n) {
            heap.poll();
          }
        }
      }
      List<Scored> out = new ArrayList<>(heap);
      out.sort(Scored.ORDER);
      return out;
    }

    private void addTaker(int doc) {
      if (takerCount == takers.length) {
        takers = Arrays.copyOf(takers, takerCount * 2);
      }
      takers[takerCount++] = doc;
    }

    /**
     * All pairwise dot products, in tiles of 64 × 64 vectors (two tiles of 1280-d floats fit in L2,
     * where comparing one vector with all others streams the whole set from memory for each) on the
     * common pool, each pair once. Tile pairs write disjoint cells: (i, j) and (j, i) only by the
     * pair holding i's and j's tiles.
     */
    static float[][] gram(float[][] v) {
      int count = v.length;
      float[][] g = new float[count][count];
      int tile = 64;
      int tiles = (count + tile - 1) / tile;
      List<int[]> pairs = new ArrayList<>();
      for (int a = 0; a < tiles; a++) {
        for (int b = a; b < tiles; b++) {
          pairs.add(new int[] {a, b});
        }
      }
      pairs.parallelStream()
          .forEach(
              p -> {
                int iEnd = Math.min(count, (p[0] + 1) * tile);
                int jEnd = Math.min(count, (p[1] + 1) * tile);
                for (int i = p[0] * tile; i < iEnd; i++) {
                  for (int j = Math.max(i + 1, p[1] * tile); j < jEnd; j++) {
                    float d = VectorUtil.dotProduct(v[i], v[j]);
                    g[i][j] = d;
                    g[j][i] = d;
                  }
                }
              });
      return g;
    }

    /**
     * The nearest images from the graph. Images that should take this one in are looked for among
     * its {@link VectorSearch#candidateCount} nearest only: an outlier whose neighbours are farther
     * than that keeps its old ones until it is itself recomputed.
     */
    private List<Scored> graphNeighbours(float[] raw, int self) throws IOException {
      List<Scored> near = search.rawNeighbours(raw, self, n, false);
      for (Scored c : near) {
        if (c.score() > lookup.floor(c.doc())) {
          addTaker(c.doc());
        }
      }
      return near;
    }
  }
}
