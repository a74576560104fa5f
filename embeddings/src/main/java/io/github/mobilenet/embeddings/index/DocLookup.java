package io.github.mobilenet.embeddings.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * The one way to find images in a searcher's view and read what they store: live documents by term,
 * their {@link ImageDoc}, own and augmented vectors and augmentation floor, by global doc id. Bound
 * to one searcher; not thread-safe (stored-fields readers are per thread), cheap to create.
 */
public final class DocLookup {
  private final IndexSearcher searcher;
  private StoredFields stored;

  public DocLookup(IndexSearcher searcher) {
    this.searcher = searcher;
  }

  public IndexSearcher searcher() {
    return searcher;
  }

  /** Live documents with {@code term}, in doc order. */
  public List<Integer> docs(Term term) throws IOException {
    List<Integer> out = new ArrayList<>();
    for (LeafReaderContext ctx : searcher.getIndexReader().leaves()) {
      PostingsEnum postings = ctx.reader().postings(term, PostingsEnum.NONE);
      if (postings == null) {
        continue;
      }
      Bits live = ctx.reader().getLiveDocs();
      for (int d = postings.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = postings.nextDoc()) {
        if (live == null || live.get(d)) {
          out.add(ctx.docBase + d);
        }
      }
    }
    return out;
  }

  /** The document with this id (the first path in order when identical copies share an id). */
  public Optional<Integer> byId(String id) throws IOException {
    List<Integer> docs = docs(new Term(IndexSchema.ID, id));
    Integer best = null;
    String bestPath = null;
    for (int d : docs) {
      String p = docs.size() == 1 ? null : fields().document(d).get(IndexSchema.PATH);
      if (best == null || (p != null && p.compareTo(bestPath) < 0)) {
        best = d;
        bestPath = p;
      }
    }
    return Optional.ofNullable(best);
  }

  /** The document of the file at {@code path} (absolute, normalised). */
  public Optional<Integer> byPath(String path) throws IOException {
    return docs(new Term(IndexSchema.PATH, path)).stream().findFirst();
  }

  /** Every live document, in doc order. */
  public List<Integer> allDocs() {
    List<Integer> docs = new ArrayList<>();
    for (LeafReaderContext ctx : searcher.getIndexReader().leaves()) {
      Bits live = ctx.reader().getLiveDocs();
      for (int d = 0; d < ctx.reader().maxDoc(); d++) {
        if (live == null || live.get(d)) {
          docs.add(ctx.docBase + d);
        }
      }
    }
    return docs;
  }

  public ImageDoc load(int doc) throws IOException {
    return IndexSchema.imageDoc(fields().document(doc));
  }

  private StoredFields fields() throws IOException {
    if (stored == null) {
      stored = searcher.getIndexReader().storedFields();
    }
    return stored;
  }

  private LeafReaderContext leaf(int doc) {
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    return leaves.get(ReaderUtil.subIndex(doc, leaves));
  }

  /** The image's own vector ({@link IndexSchema#VECTOR}, the graph's); a copy. */
  public float[] own(int doc) throws IOException {
    LeafReaderContext ctx = leaf(doc);
    FloatVectorValues values = ctx.reader().getFloatVectorValues(IndexSchema.VECTOR);
    KnnVectorValues.DocIndexIterator it = values == null ? null : values.iterator();
    if (it == null || it.advance(doc - ctx.docBase) != doc - ctx.docBase) {
      throw new IllegalStateException("document " + doc + " has no vector");
    }
    return values.vectorValue(it.index()).clone();
  }

  /** The image's augmented vector (its own while it waits for an augmentation pass). */
  public float[] augmented(int doc) throws IOException {
    LeafReaderContext ctx = leaf(doc);
    BinaryDocValues values = ctx.reader().getBinaryDocValues(IndexSchema.AUGMENTED);
    if (values == null || !values.advanceExact(doc - ctx.docBase)) {
      throw new IllegalStateException("document " + doc + " has no augmented vector");
    }
    return IndexSchema.floats(values.binaryValue());
  }

  /** The image's encoded local features ({@link IndexSchema#LOCAL_FEATURES}; a copy), or null. */
  public byte[] localFeatures(int doc) throws IOException {
    LeafReaderContext ctx = leaf(doc);
    BinaryDocValues values = ctx.reader().getBinaryDocValues(IndexSchema.LOCAL_FEATURES);
    if (values == null || !values.advanceExact(doc - ctx.docBase)) {
      return null;
    }
    BytesRef b = values.binaryValue();
    return java.util.Arrays.copyOfRange(b.bytes, b.offset, b.offset + b.length);
  }

  /** The cosine to the image's last augmentation neighbour; -2 when it has fewer than asked. */
  public float floor(int doc) throws IOException {
    LeafReaderContext ctx = leaf(doc);
    NumericDocValues floors = ctx.reader().getNumericDocValues(IndexSchema.FLOOR);
    return floors != null && floors.advanceExact(doc - ctx.docBase)
        ? Float.intBitsToFloat((int) floors.longValue())
        : -2;
  }
}
