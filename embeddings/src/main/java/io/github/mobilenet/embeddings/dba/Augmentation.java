package io.github.mobilenet.embeddings.dba;

import static io.github.mobilenet.embeddings.index.ImageIndex.AUGMENTED;
import static io.github.mobilenet.embeddings.index.ImageIndex.FLOOR;
import static io.github.mobilenet.embeddings.index.ImageIndex.NEIGHBOURS;
import static io.github.mobilenet.embeddings.index.ImageIndex.PATH;
import static io.github.mobilenet.embeddings.index.ImageIndex.STALE;
import static io.github.mobilenet.embeddings.index.ImageIndex.vectorOf;

import io.github.mobilenet.core.extract.Features;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.index.ImageIndex.Scored;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.VectorUtil;

/**
 * Database-side augmentation for {@link ImageIndex}: the doc-values fields that hold it, and the
 * pass that keeps it equal to augmenting the whole collection from scratch after any adds, changes
 * and removals.
 */
public final class Augmentation {
  private Augmentation() {}

  /**
   * The doc-values fields of augmentation; an augmentation pass updates them in place (no
   * reindexing).
   */
  public static Field[] fields(
      float[] augmented, List<String> neighbours, float floor, boolean stale) {
    ByteBuffer bytes = ByteBuffer.allocate(4 * augmented.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(augmented);
    return new Field[] {
      new BinaryDocValuesField(AUGMENTED, new BytesRef(bytes.array())),
      new BinaryDocValuesField(NEIGHBOURS, new BytesRef(String.join("\0", neighbours))),
      new NumericDocValuesField(FLOOR, Float.floatToIntBits(floor)),
      new NumericDocValuesField(STALE, stale ? 1 : 0)
    };
  }

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
   * One pass of {@link ImageIndex#augment}: reads one searcher's view, updates the affected
   * documents' doc values.
   */
  public static final class Pass {
    private final IndexSearcher s;
    private final IndexWriter writer;
    private final int n;
    private final ImageIndex.AugmentProgress progress;

    /** All live images' own vectors and floors, when few enough to compare every pair. */
    private int[] allDocs;

    private float[][] allRaw;
    private float[] allFloors;

    /**
     * Images closer to the one just looked at than to their last neighbour (filled by {@link
     * #exactNeighbours}).
     */
    private final List<Integer> takers = new ArrayList<>();

    public Pass(
        IndexSearcher s, IndexWriter writer, int neighbours, ImageIndex.AugmentProgress progress) {
      this.s = s;
      this.writer = writer;
      this.n = neighbours;
      this.progress = progress;
    }

    public int run() throws IOException {
      Neighbourhoods hoods = new Neighbourhoods(s);
      Set<Integer> queued = hoods.stale();
      if (queued.isEmpty()) {
        return 0;
      }
      ArrayDeque<Integer> work = new ArrayDeque<>(queued);
      if (s.getIndexReader().numDocs() <= ImageIndex.EXACT_AUGMENT_LIMIT) {
        loadAll();
      }
      int done = 0;
      progress.update(0, queued.size());
      while (!work.isEmpty()) {
        int doc = work.poll();
        String path = hoods.pathOf[doc];
        float[] raw = vectorOf(s, doc);
        takers.clear();
        List<Scored> near = allRaw != null ? exactNeighbours(raw, doc) : graphNeighbours(raw, doc);
        int count = Math.min(n, near.size());
        List<String> paths = new ArrayList<>(count);
        for (int t = 0; t < count; t++) {
          paths.add(hoods.pathOf[near.get(t).doc()]);
        }
        // Fewer neighbours than asked for: any newcomer belongs among them.
        float floor = count < n ? -2 : near.get(count - 1).score();
        writer.updateDocValues(
            new Term(PATH, path), fields(augmented(s, raw, near, n), paths, floor, false));
        // Older images this one is now closer to than their last neighbour must take it in.
        List<Integer> alreadyIn = hoods.usedBy.getOrDefault(path, List.of());
        for (int c : takers) {
          if (!alreadyIn.contains(c) && queued.add(c)) {
            work.add(c);
          }
        }
        if (++done % 256 == 0 || work.isEmpty()) {
          progress.update(done, queued.size());
        }
      }
      return done;
    }

    private void loadAll() throws IOException {
      List<Integer> docs = new ArrayList<>();
      for (LeafReaderContext ctx : s.getIndexReader().leaves()) {
        Bits live = ctx.reader().getLiveDocs();
        for (int d = 0; d < ctx.reader().maxDoc(); d++) {
          if (live == null || live.get(d)) {
            docs.add(ctx.docBase + d);
          }
        }
      }
      allDocs = docs.stream().mapToInt(Integer::intValue).toArray();
      allRaw = new float[allDocs.length][];
      allFloors = new float[allDocs.length];
      for (int i = 0; i < allDocs.length; i++) {
        allRaw[i] = vectorOf(s, allDocs[i]);
        allFloors[i] = floorOf(s, allDocs[i]);
      }
    }

    /**
     * The nearest images to {@code raw} by comparing every one; notes every image that should take
     * it in.
     */
    private List<Scored> exactNeighbours(float[] raw, int self) {
      PriorityQueue<Scored> heap = new PriorityQueue<>(n + 1, Scored.ORDER.reversed());
      for (int i = 0; i < allDocs.length; i++) {
        if (allDocs[i] != self) {
          float score = VectorUtil.dotProduct(raw, allRaw[i]);
          heap.add(new Scored(allDocs[i], score));
          if (heap.size() > n) {
            heap.poll();
          }
          if (score > allFloors[i]) {
            takers.add(allDocs[i]);
          }
        }
      }
      List<Scored> out = new ArrayList<>(heap);
      out.sort(Scored.ORDER);
      return out;
    }

    /**
     * The nearest images from the graph. Images that should take this one in are looked for among
     * its {@link #candidateCount} nearest only: an outlier whose neighbours are farther than that
     * keeps its old ones until it is itself recomputed.
     */
    private List<Scored> graphNeighbours(float[] raw, int self) throws IOException {
      List<Scored> near = ImageIndex.rawNeighbours(s, raw, self, n, false);
      for (Scored c : near) {
        if (c.score() > floorOf(s, c.doc())) {
          takers.add(c.doc());
        }
      }
      return near;
    }
  }

  /**
   * Candidates asked of the graph (and kept) when looking for {@code neighbours} raw neighbours.
   */
  public static int candidateCount(int neighbours) {
    return Math.max(64, 16 * neighbours);
  }

  private static float floorOf(IndexSearcher s, int doc) throws IOException {
    List<LeafReaderContext> leaves = s.getIndexReader().leaves();
    LeafReaderContext ctx = leaves.get(ReaderUtil.subIndex(doc, leaves));
    NumericDocValues floors = ctx.reader().getNumericDocValues(FLOOR);
    return floors != null && floors.advanceExact(doc - ctx.docBase)
        ? Float.intBitsToFloat((int) floors.longValue())
        : -2;
  }

  /**
   * The augmented form of {@code own}: its normalised sum with the own vectors of the first {@code
   * n} of {@code near} (an indexed image's nearest images, or a query's).
   */
  public static float[] augmented(IndexSearcher s, float[] own, List<Scored> near, int n)
      throws IOException {
    float[] sum = own.clone();
    for (int t = 0; t < Math.min(n, near.size()); t++) {
      float[] v = vectorOf(s, near.get(t).doc());
      for (int j = 0; j < sum.length; j++) {
        sum[j] += v[j];
      }
    }
    return Features.l2Normalize(sum);
  }
}
