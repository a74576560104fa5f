package io.github.mobilenet.embeddings.index;

import io.github.mobilenet.core.MobileNetException;
import io.github.mobilenet.core.extract.Features;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.embeddings.codec.ImageVectorsFormat;
import io.github.mobilenet.embeddings.dba.Augmentation;
import io.github.mobilenet.embeddings.dups.DuplicateGroup;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.job.IndexingJob;
import io.github.mobilenet.embeddings.search.SearchHit;
import io.github.mobilenet.embeddings.search.SearchOptions;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.CompoundDirectory;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StandardDirectoryReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.index.VectorSimilarityFunction;
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
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.VectorUtil;

/**
 * A Lucene index of image embeddings in one folder: one document per image file with its
 * content-hash id, path, size, modification time, dimensions, tags and L2-normalised vector
 * (compared by dot product, i.e. cosine).
 *
 * <pre>{@code
 * try (ImageIndex index = ImageIndex.open(Path.of("photos.idx"));
 *      ImageEmbedder embedder = ImageEmbedder.open(index.config())) {
 *   for (SearchHit hit : index.search(embedder.embed(Path.of("query.jpg")), SearchOptions.top(10))) {
 *     System.out.println(hit.rank() + " " + hit.score() + " " + hit.path());
 *   }
 * }
 * }</pre>
 *
 * <p>{@link #open(Path)} is read-only and follows the commits of a writer in another process
 * (checked at most once a second, or on {@link #refresh()}); {@link #openOrCreate(Path,
 * IndexConfig)} writes and searches near-real-time. Searches never see a half-written document. All
 * methods are thread-safe.
 *
 * <p>Scores are computed exactly from the stored float32 vectors (cosines; with augmentation a
 * blend of two cosines): approximate search collects an oversampled candidate list from the HNSW
 * graph (quantized or not) and rescores it exactly.
 *
 * <p><b>Database-side augmentation</b> ({@link IndexConfig#augment()} = n &gt; 0, the default n =
 * 2): besides its own vector (the graph's, {@link #vector}, {@link #duplicates}) each image stores
 * an augmented one, the normalised sum of its own and its n nearest neighbours' vectors, so an
 * image that matches part of a group is found with the rest of it (flowers17 mAP 0.527 → 0.623,
 * docs/QUALITY.md). A query is augmented the same way against the index, and scored by both vectors
 * (see {@link #search(float[], SearchOptions)}). {@link #augment()} recomputes the images that
 * adds, changes and removals affect ({@link IndexingJob} calls it at the end of each run).
 */
public final class ImageIndex implements Closeable {
  /** Field names; the vector field is {@value #VECTOR}. */
  static final String ID = "id";

  public static final String PATH = "path";
  static final String SIZE = "size";
  static final String MODIFIED = "modified";
  static final String WIDTH = "width";
  static final String HEIGHT = "height";
  static final String TAG = "tag";
  static final String VECTOR = "vector";

  /**
   * With augmentation: the augmented vector (little-endian float32 binary doc values); {@link
   * #VECTOR} stays the image's own.
   */
  public static final String AUGMENTED = "augmented";

  /**
   * With augmentation: the paths of the neighbours summed into the augmented vector (binary doc
   * values, NUL-separated).
   */
  public static final String NEIGHBOURS = "neighbours";

  /**
   * With augmentation: float bits of the cosine to the last of those neighbours; a closer newcomer
   * enters.
   */
  public static final String FLOOR = "neighbour_floor";

  /**
   * With augmentation: 1 while the image is new or changed since the last pass (see {@link
   * #augment()}).
   */
  public static final String STALE = "stale";

  /** A query at least this close to an indexed image's own vector is that image. */
  static final double SAME_IMAGE_COSINE = 0.9999;

  /**
   * Up to this many images, an augmentation pass compares every pair exactly; above, it asks the
   * graph.
   */
  public static final int EXACT_AUGMENT_LIMIT = 2000;

  /**
   * Default cosine for {@link #duplicates}: on the sample photos it links half-size, JPEG q=30,
   * EXIF-rotated and most mirrored or 90 %-cropped copies while distinct photos stay below 0.75
   * (docs/INDEX.md).
   */
  public static final double DEFAULT_DUPLICATE_THRESHOLD = 0.92;

  /**
   * Up to this many documents, {@link #duplicates} compares all pairs exactly; above, it walks the
   * graph.
   */
  public static final int EXACT_DUPLICATES_LIMIT = 2000;

  /** Neighbours each image looks for in graph-based {@link #duplicates}. */
  static final int DUPLICATE_NEIGHBOURS = 16;

  private static final long REFRESH_NANOS = 1_000_000_000L;

  private final Path folder;
  private final Directory directory;
  private final IndexConfig config;
  private final IndexWriter writer;
  private final SearcherManager searchers;

  /**
   * Writes share it; an augmentation pass holds it alone so no add lands between reading and
   * updating.
   */
  private final ReadWriteLock writeLock = new ReentrantReadWriteLock();

  private volatile long lastRefresh = System.nanoTime();

  /**
   * Settings for a writable index.
   *
   * @param ramBufferMb memory for buffered documents before a segment is flushed
   * @param compoundFiles whether small segments pack their files into one
   */
  public record WriteSettings(double ramBufferMb, boolean compoundFiles) {
    public static final WriteSettings DEFAULT = new WriteSettings(64, true);
  }

  private ImageIndex(Path folder, Directory directory, IndexConfig config, IndexWriter writer)
      throws IOException {
    this.folder = folder;
    this.directory = directory;
    this.config = config;
    this.writer = writer;
    this.searchers =
        writer != null
            ? new SearcherManager(writer, true, false, null)
            : new SearcherManager(directory, null);
  }

  // ---- opening ----------------------------------------------------------------------------------

  /**
   * The configuration recorded in the index at {@code folder}, or empty when there is no index
   * there.
   */
  public static Optional<IndexConfig> readConfig(Path folder) {
    if (!Files.isDirectory(folder)) {
      return Optional.empty();
    }
    try (Directory dir = FSDirectory.open(folder)) {
      return readConfig(dir, folder);
    } catch (IOException e) {
      throw new MobileNetException("cannot read index " + folder + ": " + e, e);
    }
  }

  private static Optional<IndexConfig> readConfig(Directory dir, Path folder) throws IOException {
    try {
      return Optional.of(
          IndexConfig.fromUserData(
              SegmentInfos.readLatestCommit(dir).getUserData(), "index " + folder));
    } catch (IndexNotFoundException e) {
      return Optional.empty();
    }
  }

  /**
   * Opens an existing index read-only.
   *
   * @throws MobileNetException when there is no index at {@code folder}
   * @throws IndexConfigMismatchException when the folder holds a Lucene index that is not an image
   *     index
   */
  public static ImageIndex open(Path folder) {
    Directory dir = null;
    try {
      dir = FSDirectory.open(folder);
      Optional<IndexConfig> cfg =
          Files.isDirectory(folder) ? readConfig(dir, folder) : Optional.empty();
      if (cfg.isEmpty()) {
        throw new MobileNetException(
            "no image index at "
                + folder
                + " (create one with: mobilenet index --index "
                + folder
                + " PATH...)");
      }
      return new ImageIndex(folder, dir, cfg.get(), null);
    } catch (IOException e) {
      closeQuietly(dir);
      throw new MobileNetException("cannot open index " + folder + ": " + e, e);
    } catch (RuntimeException e) {
      closeQuietly(dir);
      throw e;
    }
  }

  /**
   * Opens an existing index read-only and checks that its vectors mean what {@code expected}
   * describes (the storage format may differ).
   *
   * @throws IndexConfigMismatchException listing the differences
   */
  public static ImageIndex open(Path folder, IndexConfig expected) {
    ImageIndex index = open(folder);
    List<String> diff = index.config.embeddingDifferences(expected);
    if (!diff.isEmpty()) {
      index.close();
      throw mismatch(folder, diff);
    }
    return index;
  }

  /** {@link #openOrCreate(Path, IndexConfig, WriteSettings)} with default settings. */
  public static ImageIndex openOrCreate(Path folder, IndexConfig config) {
    return openOrCreate(folder, config, WriteSettings.DEFAULT);
  }

  /**
   * Opens an index for writing, creating it (and the folder) when absent. One process at a time may
   * write; readers in other processes may search meanwhile.
   *
   * @throws IndexConfigMismatchException when the existing index was built with another
   *     configuration
   * @throws MobileNetException when another process is writing to it
   */
  public static ImageIndex openOrCreate(Path folder, IndexConfig config, WriteSettings settings) {
    Directory dir = null;
    IndexWriter w = null;
    try {
      Files.createDirectories(folder);
      dir = FSDirectory.open(folder);
      Optional<IndexConfig> existing = readConfig(dir, folder);
      if (existing.isPresent()) {
        List<String> diff = existing.get().differences(config);
        if (!diff.isEmpty()) {
          throw mismatch(folder, diff);
        }
      } else if (DirectoryReader.indexExists(dir)) {
        throw new IndexConfigMismatchException(
            folder + " holds a Lucene index that is not an image index");
      }
      IndexWriterConfig iwc =
          new IndexWriterConfig()
              .setCodec(codec(config.format()))
              .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
              .setRAMBufferSizeMB(settings.ramBufferMb())
              .setUseCompoundFile(settings.compoundFiles());
      if (!settings.compoundFiles()) {
        iwc.getMergePolicy().setNoCFSRatio(0);
      }
      w = new IndexWriter(dir, iwc);
      w.setLiveCommitData(config.toUserData().entrySet());
      if (existing.isEmpty()) {
        w.commit(); // an empty index already records its configuration
      }
      return new ImageIndex(folder, dir, config, w);
    } catch (LockObtainFailedException e) {
      closeQuietly(dir);
      throw new MobileNetException(
          "index " + folder + " is being written by another process (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      closeQuietly(w);
      closeQuietly(dir);
      throw new MobileNetException("cannot open index " + folder + " for writing: " + e, e);
    } catch (RuntimeException e) {
      closeQuietly(w);
      closeQuietly(dir);
      throw e;
    }
  }

  private static IndexConfigMismatchException mismatch(Path folder, List<String> diff) {
    return new IndexConfigMismatchException(
        "index "
            + folder
            + " was built with a different configuration: "
            + String.join(", ", diff)
            + "; use the index's settings or another --index folder");
  }

  /**
   * The codec that writes {@code format}'s vectors. It carries the default codec's name: segments
   * record our vectors format by name (see {@link ImageVectorsFormat}), so the stock codec reads
   * them back.
   */
  static Codec codec(VectorFormat format) {
    Codec base = Codec.getDefault();
    KnnVectorsFormat vectors = format.luceneFormat();
    KnnVectorsFormat perField =
        new PerFieldKnnVectorsFormat() {
          @Override
          public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
            return vectors;
          }
        };
    return new FilterCodec(base.getName(), base) {
      @Override
      public KnnVectorsFormat knnVectorsFormat() {
        return perField;
      }
    };
  }

  // ---- properties -------------------------------------------------------------------------------

  public IndexConfig config() {
    return config;
  }

  public Path folder() {
    return folder;
  }

  public boolean writable() {
    return writer != null;
  }

  /** Number of images (live documents) visible to searches now. */
  public int size() {
    return withSearcher(s -> s.getIndexReader().numDocs());
  }

  // ---- writing ----------------------------------------------------------------------------------

  /**
   * Adds an image, replacing any document with the same path. The vector is L2-normalised here.
   *
   * @throws IllegalArgumentException when the vector's length differs from the index's dimension,
   *     or it is zero or not finite
   */
  public void add(ImageDoc doc, float[] vector) {
    requireWritable();
    float[] v = checkVector(vector);
    writeLock.readLock().lock();
    try {
      // Until the next augmentation pass the image's own vector stands in for its augmented one.
      writer.updateDocument(new Term(PATH, doc.path()), document(doc, v));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot add " + doc.path() + " to " + folder, e);
    } finally {
      writeLock.readLock().unlock();
    }
  }

  private Document document(ImageDoc doc, float[] own) {
    Document d = new Document();
    d.add(new StringField(ID, doc.id(), Field.Store.YES));
    d.add(new StringField(PATH, doc.path(), Field.Store.YES));
    d.add(new StoredField(SIZE, doc.size()));
    d.add(new StoredField(MODIFIED, doc.modified()));
    d.add(new StoredField(WIDTH, doc.width()));
    d.add(new StoredField(HEIGHT, doc.height()));
    doc.tags()
        .forEach(
            (k, values) ->
                values.forEach(
                    value -> d.add(new StringField(TAG, k + "=" + value, Field.Store.YES))));
    d.add(new KnnFloatVectorField(VECTOR, own, VectorSimilarityFunction.DOT_PRODUCT));
    if (config.augment() > 0) {
      for (Field f : Augmentation.fields(own, List.of(), -2, true)) {
        d.add(f);
      }
    }
    return d;
  }

  /** Removes the image at {@code path} (as stored: absolute and normalised), if any. */
  public void delete(String path) {
    requireWritable();
    writeLock.readLock().lock();
    try {
      writer.deleteDocuments(
          new Term(PATH, path)); // images that had it as a neighbour: see Augmentation
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path + " from " + folder, e);
    } finally {
      writeLock.readLock().unlock();
    }
  }

  /**
   * Brings database-side augmentation up to date and returns how many images it recomputed: every
   * image added or changed since the last pass, every image one of whose neighbours changed or
   * went, and every image that a newcomer is now closer to than its last neighbour. Each gets the
   * normalised sum of its own vector and its {@link IndexConfig#augment()} nearest neighbours'
   * (exact up to {@value #EXACT_AUGMENT_LIMIT} images, from the graph with exact rescoring above).
   * Until then such images are searched by their own or their previous vector. A no-op when nothing
   * changed or augmentation is off. The new vectors are doc-values updates (no reindexing, the
   * graph is untouched), durable at the next {@link #commit()}; an interrupted pass is redone by
   * the next.
   *
   * @param progress told {@code (done, total)} now and then; total grows when newcomers move old
   *     images
   */
  public int augment(AugmentProgress progress) {
    requireWritable();
    if (config.augment() == 0) {
      return 0;
    }
    writeLock.writeLock().lock();
    try {
      refresh();
      return withSearcher(s -> new Augmentation.Pass(s, writer, config.augment(), progress).run());
    } finally {
      writeLock.writeLock().unlock();
    }
  }

  /** {@link #augment(AugmentProgress)} without progress reports. */
  public int augment() {
    return augment((done, total) -> {});
  }

  /** Hears how an augmentation pass goes. */
  @FunctionalInterface
  public interface AugmentProgress {
    void update(int done, int total);
  }

  /**
   * Images an augmentation pass would start from: added or changed, or with a neighbour changed or
   * gone.
   */
  public int staleCount() {
    if (config.augment() == 0) {
      return 0;
    }
    return withSearcher(s -> new Augmentation.Neighbourhoods(s).stale().size());
  }

  /**
   * Nearest images to {@code raw} by their own vectors, closest first, {@code self} (a doc id, or
   * -1) excluded: every image compared when {@code exact} or up to {@value #EXACT_AUGMENT_LIMIT}
   * images (the graph can miss even a query's own document), the graph with exact rescoring above.
   */
  public static List<Scored> rawNeighbours(
      IndexSearcher s, float[] raw, int self, int neighbours, boolean exact) throws IOException {
    int c = Augmentation.candidateCount(neighbours);
    List<Scored> found =
        exact || s.getIndexReader().numDocs() <= EXACT_AUGMENT_LIMIT
            ? exactSearch(s, new Probe(raw), c + 1, null)
            : rescore(
                s,
                new Probe(raw),
                docs(s.search(new KnnFloatVectorQuery(VECTOR, raw, c + 1), c + 1).scoreDocs));
    List<Scored> out = new ArrayList<>(found.size());
    for (Scored x : found) {
      if (x.doc != self) {
        out.add(x);
      }
    }
    out.sort(Scored.ORDER);
    return out;
  }

  private static int[] docs(ScoreDoc[] hits) {
    int[] out = new int[hits.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = hits[i].doc;
    }
    return out;
  }

  /** Makes every change so far durable: after a crash the index reopens at the last commit. */
  public void commit() {
    requireWritable();
    try {
      writer.commit();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot commit " + folder, e);
    }
  }

  /**
   * Merges segments into at most {@code maxSegments} (faster searches; costly on a large index).
   */
  public void forceMerge(int maxSegments) {
    requireWritable();
    try {
      writer.forceMerge(maxSegments);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot merge " + folder, e);
    }
  }

  private void requireWritable() {
    if (writer == null) {
      throw new IllegalStateException("index " + folder + " is open read-only");
    }
  }

  private float[] checkVector(float[] vector) {
    if (vector.length != config.dimension()) {
      throw new IllegalArgumentException(
          "vector has "
              + vector.length
              + " dimensions, index "
              + folder
              + " holds "
              + config.dimension()
              + "-d vectors ("
              + config.layer()
              + ")");
    }
    double sum = 0;
    for (float x : vector) {
      if (!Float.isFinite(x)) {
        throw new IllegalArgumentException("vector has a non-finite value " + x);
      }
      sum += (double) x * x;
    }
    if (sum == 0) {
      throw new IllegalArgumentException("vector is all zeros: it has no direction to compare");
    }
    return Features.l2Normalize(vector);
  }

  // ---- lookups ----------------------------------------------------------------------------------

  /** The image with this id (the first path in order when identical copies share it). */
  public Optional<ImageDoc> get(String id) {
    return withSearcher(
        s -> {
          Optional<Integer> doc = firstDoc(s, new Term(ID, id));
          return doc.isEmpty() ? Optional.<ImageDoc>empty() : Optional.of(load(s, doc.get()));
        });
  }

  /** Every image with this id (identical copies at different paths), sorted by path. */
  public List<ImageDoc> getAll(String id) {
    return withSearcher(
        s -> {
          List<ImageDoc> out = new ArrayList<>();
          for (int doc : docs(s, new Term(ID, id))) {
            out.add(load(s, doc));
          }
          out.sort(Comparator.comparing(ImageDoc::path));
          return out;
        });
  }

  /** The image stored at {@code path} (absolute, normalised). */
  public Optional<ImageDoc> getByPath(String path) {
    return withSearcher(
        s -> {
          Optional<Integer> doc = firstDoc(s, new Term(PATH, path));
          return doc.isEmpty() ? Optional.<ImageDoc>empty() : Optional.of(load(s, doc.get()));
        });
  }

  /**
   * The stored (normalised) vector of the image with this id: its own, not the augmented one
   * searched.
   */
  public Optional<float[]> vector(String id) {
    return withSearcher(
        s -> {
          Optional<Integer> doc = firstDoc(s, new Term(ID, id));
          return doc.isEmpty() ? Optional.<float[]>empty() : Optional.of(vectorOf(s, doc.get()));
        });
  }

  /**
   * The stored (normalised) vector of the image at {@code path}: its own, not the augmented one
   * searched.
   */
  public Optional<float[]> vectorByPath(String path) {
    return withSearcher(
        s -> {
          Optional<Integer> doc = firstDoc(s, new Term(PATH, path));
          return doc.isEmpty() ? Optional.<float[]>empty() : Optional.of(vectorOf(s, doc.get()));
        });
  }

  /**
   * Calls {@code action} for every image, in index order (stored fields only; cheap per document).
   */
  public void forEach(Consumer<ImageDoc> action) {
    withSearcher(
        s -> {
          StoredFields stored = s.getIndexReader().storedFields();
          for (LeafReaderContext ctx : s.getIndexReader().leaves()) {
            Bits live = ctx.reader().getLiveDocs();
            for (int d = 0; d < ctx.reader().maxDoc(); d++) {
              if (live == null || live.get(d)) {
                action.accept(toDoc(stored.document(ctx.docBase + d)));
              }
            }
          }
          return null;
        });
  }

  private static Optional<Integer> firstDoc(IndexSearcher s, Term term) throws IOException {
    List<Integer> docs = docs(s, term);
    if (docs.size() <= 1 || !term.field().equals(ID)) {
      return docs.stream().findFirst();
    }
    StoredFields stored = s.getIndexReader().storedFields();
    Integer best = null;
    String bestPath = null;
    for (int d : docs) {
      String p = stored.document(d).get(PATH);
      if (bestPath == null || p.compareTo(bestPath) < 0) {
        best = d;
        bestPath = p;
      }
    }
    return Optional.of(best);
  }

  private static List<Integer> docs(IndexSearcher s, Term term) throws IOException {
    List<Integer> out = new ArrayList<>();
    for (LeafReaderContext ctx : s.getIndexReader().leaves()) {
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

  private static ImageDoc load(IndexSearcher s, int doc) throws IOException {
    return toDoc(s.getIndexReader().storedFields().document(doc));
  }

  private static ImageDoc toDoc(Document d) {
    Map<String, List<String>> tags = new TreeMap<>();
    for (IndexableField f : d.getFields(TAG)) {
      String kv = f.stringValue();
      int eq = kv.indexOf('=');
      tags.computeIfAbsent(kv.substring(0, eq), k -> new ArrayList<>()).add(kv.substring(eq + 1));
    }
    return new ImageDoc(
        d.get(ID),
        d.get(PATH),
        d.getField(SIZE).numericValue().longValue(),
        d.getField(MODIFIED).numericValue().longValue(),
        d.getField(WIDTH).numericValue().intValue(),
        d.getField(HEIGHT).numericValue().intValue(),
        tags);
  }

  /** The image's augmented vector (its own while it waits for {@link #augment}). */
  private static float[] augmentedOf(IndexSearcher s, int doc) throws IOException {
    List<LeafReaderContext> leaves = s.getIndexReader().leaves();
    LeafReaderContext ctx = leaves.get(ReaderUtil.subIndex(doc, leaves));
    BinaryDocValues values = ctx.reader().getBinaryDocValues(AUGMENTED);
    if (values == null || !values.advanceExact(doc - ctx.docBase)) {
      throw new IllegalStateException("document " + doc + " has no augmented vector");
    }
    return floats(values.binaryValue());
  }

  private static float[] floats(BytesRef b) {
    float[] out = new float[b.length / 4];
    ByteBuffer.wrap(b.bytes, b.offset, b.length)
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .get(out);
    return out;
  }

  /** The image's own vector ({@link #VECTOR}, the graph's). */
  public static float[] vectorOf(IndexSearcher s, int doc) throws IOException {
    List<LeafReaderContext> leaves = s.getIndexReader().leaves();
    LeafReaderContext ctx = leaves.get(ReaderUtil.subIndex(doc, leaves));
    FloatVectorValues values = ctx.reader().getFloatVectorValues(VECTOR);
    KnnVectorValues.DocIndexIterator it = values.iterator();
    if (it.advance(doc - ctx.docBase) != doc - ctx.docBase) {
      throw new IllegalStateException("document " + doc + " has no vector");
    }
    return values.vectorValue(it.index()).clone();
  }

  // ---- search -----------------------------------------------------------------------------------

  /**
   * The images most similar to {@code query} (any length-{@code dimension} vector; it is
   * normalised). Filters restrict the candidates before the graph search (Lucene's pre-filtered
   * kNN); a filter that matches at most {@link SearchOptions#EXACT_FILTER_THRESHOLD} images is
   * searched exactly.
   *
   * <p>With augmentation the score is {@link IndexConfig#AUGMENT_OWN_WEIGHT} × the cosine of the
   * own vectors + the rest × the cosine of the augmented ones (the query augmented like an indexed
   * image), so a near copy of an indexed image still finds that image first.
   */
  public List<SearchHit> search(float[] query, SearchOptions options) {
    float[] own = checkVector(query);
    return withSearcher(s -> search(s, probe(s, own, options.exact()), options));
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
  private record Probe(float[] own, float[] augmented, List<Scored> near) {
    Probe(float[] own) {
      this(own, null, List.of());
    }
  }

  /**
   * With augmentation: an indexed image's augmented vector when the query is that image, else the
   * query summed with its nearest images' own vectors (as an indexed image is).
   */
  private Probe probe(IndexSearcher s, float[] own, boolean exact) throws IOException {
    if (config.augment() == 0) {
      return new Probe(own);
    }
    List<Scored> near = rawNeighbours(s, own, -1, config.augment(), exact);
    if (!near.isEmpty() && near.get(0).score >= SAME_IMAGE_COSINE) {
      return new Probe(own, augmentedOf(s, near.get(0).doc), near);
    }
    return new Probe(own, Augmentation.augmented(s, own, near, config.augment()), near);
  }

  private List<SearchHit> search(IndexSearcher s, Probe probe, SearchOptions options)
      throws IOException {
    Query filter = filterQuery(options);
    List<Scored> found;
    boolean exact = options.exact();
    int n =
        options.candidates() > 0
            ? Math.max(options.candidates(), options.k())
            : config.format().candidates(options.k());
    if (!exact
        && filter != null
        && s.count(filter) <= Math.max(SearchOptions.EXACT_FILTER_THRESHOLD, n)) {
      exact = true;
    }
    if (exact) {
      found = exactSearch(s, probe, options.k(), filter);
    } else {
      // The graph holds own vectors: candidates near the query and, with augmentation, near its
      // augmented form.
      Set<Integer> docs = new HashSet<>();
      if (filter == null && probe.near().size() >= Math.min(n, s.getIndexReader().numDocs())) {
        probe
            .near()
            .forEach(x -> docs.add(x.doc)); // found while augmenting the query: no second search
      } else {
        for (ScoreDoc sd :
            s.search(new KnnFloatVectorQuery(VECTOR, probe.own(), n, filter), n).scoreDocs) {
          docs.add(sd.doc);
        }
      }
      if (probe.augmented() != null) {
        for (ScoreDoc sd :
            s.search(new KnnFloatVectorQuery(VECTOR, probe.augmented(), n, filter), n).scoreDocs) {
          docs.add(sd.doc);
        }
      }
      found = rescore(s, probe, docs.stream().mapToInt(Integer::intValue).toArray());
    }
    found.sort(Scored.ORDER);
    List<SearchHit> hits = new ArrayList<>();
    for (int i = 0; i < Math.min(options.k(), found.size()); i++) {
      hits.add(new SearchHit(i + 1, found.get(i).score, load(s, found.get(i).doc)));
    }
    return hits;
  }

  /**
   * The images most similar to the stored image {@code id}. The image itself is among the hits
   * (score 1) unless {@code options} excludes its id.
   *
   * @throws MobileNetException when no image has this id
   */
  public List<SearchHit> searchById(String id, SearchOptions options) {
    return withSearcher(
        s -> {
          Optional<Integer> doc = firstDoc(s, new Term(ID, id));
          if (doc.isEmpty()) {
            throw new MobileNetException("no image with id " + id + " in " + folder);
          }
          float[] own = vectorOf(s, doc.get());
          return search(
              s,
              config.augment() == 0
                  ? new Probe(own)
                  : new Probe(own, augmentedOf(s, doc.get()), List.of()),
              options);
        });
  }

  /**
   * Embeds {@code image} with {@code embedder} and searches for it.
   *
   * @throws IndexConfigMismatchException when the embedder produces vectors other than this index
   *     holds
   */
  public List<SearchHit> search(ImageEmbedder embedder, ImageSource image, SearchOptions options) {
    requireCompatible(embedder.config());
    return search(embedder.embed(image), options);
  }

  /**
   * @throws IndexConfigMismatchException when vectors made with {@code other} cannot be compared
   *     with this index's
   */
  public void requireCompatible(IndexConfig other) {
    List<String> diff = config.embeddingDifferences(other);
    if (!diff.isEmpty()) {
      throw mismatch(folder, diff);
    }
  }

  private static Query filterQuery(SearchOptions o) {
    if (o.filters().isEmpty() && o.excludeIds().isEmpty()) {
      return null;
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    for (Map.Entry<String, String> f : o.filters()) {
      b.add(
          new TermQuery(new Term(TAG, f.getKey() + "=" + f.getValue())),
          BooleanClause.Occur.FILTER);
    }
    if (o.filters().isEmpty()) {
      b.add(new MatchAllDocsQuery(), BooleanClause.Occur.FILTER);
    }
    for (String id : o.excludeIds()) {
      b.add(new TermQuery(new Term(ID, id)), BooleanClause.Occur.MUST_NOT);
    }
    return b.build();
  }

  /** A candidate: global doc id and exact score. */
  public record Scored(int doc, float score) {
    public static final Comparator<Scored> ORDER =
        Comparator.comparingDouble((Scored x) -> -x.score).thenComparingInt(x -> x.doc);
  }

  /** Brute force over the float32 vectors of every live (and filter-matching) document. */
  private static List<Scored> exactSearch(IndexSearcher s, Probe probe, int k, Query filter)
      throws IOException {
    PriorityQueue<Scored> heap = new PriorityQueue<>(k + 1, Scored.ORDER.reversed());
    Weight weight =
        filter == null ? null : s.createWeight(s.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
    for (LeafReaderContext ctx : s.getIndexReader().leaves()) {
      FloatVectorValues values = ctx.reader().getFloatVectorValues(VECTOR);
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
          probe.augmented() != null ? ctx.reader().getBinaryDocValues(AUGMENTED) : null;
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
      float expanded = VectorUtil.dotProduct(probe.augmented(), floats(augmented.binaryValue()));
      score =
          (float)
              (IndexConfig.AUGMENT_OWN_WEIGHT * score
                  + (1 - IndexConfig.AUGMENT_OWN_WEIGHT) * expanded);
    }
    return score;
  }

  /** Exact scores for approximate candidates, read from the stored vectors in doc order. */
  private static List<Scored> rescore(IndexSearcher s, Probe probe, int[] docs) throws IOException {
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
        values = ctx.reader().getFloatVectorValues(VECTOR);
        it = values.iterator();
        augmented = probe.augmented() != null ? ctx.reader().getBinaryDocValues(AUGMENTED) : null;
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

  // ---- near-duplicates --------------------------------------------------------------------------

  /**
   * Groups of near-identical images, largest group first. Pairs with cosine ≥ {@code threshold} are
   * linked; in each connected set the largest image becomes a representative with every image
   * within threshold of it, and the rest is grouped again the same way, so every member is a near
   * copy of its group's first image (links can chain: a~b and b~c with a and c apart). Up to {@link
   * #EXACT_DUPLICATES_LIMIT} images every pair is compared; above that each image's {@value
   * #DUPLICATE_NEIGHBOURS} nearest neighbours come from the graph (no all-pairs pass).
   */
  public List<DuplicateGroup> duplicates(double threshold) {
    if (!(threshold >= -1 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be between -1 and 1, got " + threshold);
    }
    return withSearcher(
        s -> {
          List<Integer> docs = new ArrayList<>();
          for (LeafReaderContext ctx : s.getIndexReader().leaves()) {
            FloatVectorValues values = ctx.reader().getFloatVectorValues(VECTOR);
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
          int n = docs.size();
          int[] parent = new int[n];
          for (int i = 0; i < n; i++) {
            parent[i] = i;
          }
          if (n <= EXACT_DUPLICATES_LIMIT) {
            float[][] vectors = new float[n][];
            for (int i = 0; i < n; i++) {
              vectors[i] = vectorOf(s, docs.get(i));
            }
            for (int i = 0; i < n; i++) {
              for (int j = i + 1; j < n; j++) {
                if (VectorUtil.dotProduct(vectors[i], vectors[j]) >= threshold) {
                  union(parent, i, j);
                }
              }
            }
          } else { // one graph query per image; only ids are held, not n vectors
            Map<Integer, Integer> slot = new HashMap<>();
            for (int i = 0; i < n; i++) {
              slot.put(docs.get(i), i);
            }
            int candidates = config.format().candidates(DUPLICATE_NEIGHBOURS);
            for (int i = 0; i < n; i++) {
              float[] q = vectorOf(s, docs.get(i));
              TopDocs td = s.search(new KnnFloatVectorQuery(VECTOR, q, candidates), candidates);
              for (Scored hit : rescore(s, new Probe(q), docs(td.scoreDocs))) {
                Integer j = slot.get(hit.doc);
                if (j != null && j != i && hit.score >= threshold) {
                  union(parent, i, j);
                }
              }
            }
          }
          Map<Integer, List<Integer>> components = new LinkedHashMap<>();
          for (int i = 0; i < n; i++) {
            components.computeIfAbsent(find(parent, i), r -> new ArrayList<>()).add(i);
          }
          List<DuplicateGroup> groups = new ArrayList<>();
          for (List<Integer> component : components.values()) {
            if (component.size() < 2) {
              continue;
            }
            List<ImageDoc> remaining = new ArrayList<>();
            Map<ImageDoc, float[]> vectors = new HashMap<>();
            for (int i : component) {
              ImageDoc d = load(s, docs.get(i));
              remaining.add(d);
              vectors.put(d, vectorOf(s, docs.get(i)));
            }
            // Links chain (a~b, b~c, a and c apart): split so each member is within threshold of
            // its
            // representative, and keeping the representative never drops an image that is not its
            // near copy.
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
                  Comparator.comparingDouble((SearchHit h) -> -h.score())
                      .thenComparing(SearchHit::path));
              List<SearchHit> numbered = new ArrayList<>();
              numbered.add(new SearchHit(1, 1f, rep));
              for (SearchHit h : others) {
                numbered.add(new SearchHit(numbered.size() + 1, h.score(), h.doc()));
                remaining.remove(h.doc());
              }
              groups.add(new DuplicateGroup(numbered));
            }
          }
          groups.sort(
              Comparator.comparingInt((DuplicateGroup g) -> -g.size())
                  .thenComparing(g -> g.members().get(0).path()));
          return groups;
        });
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  private static void union(int[] parent, int a, int b) {
    int ra = find(parent, a);
    int rb = find(parent, b);
    if (ra != rb) {
      parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
  }

  // ---- stats ------------------------------------------------------------------------------------

  /** Counts and on-disk sizes of what searches see now. */
  public IndexStats stats() {
    return withSearcher(
        s -> {
          DirectoryReader reader = (DirectoryReader) s.getIndexReader();
          int distinct = 0;
          Terms ids = MultiTerms.getTerms(reader, ID);
          if (ids != null) {
            Bits live = org.apache.lucene.index.MultiBits.getLiveDocs(reader);
            TermsEnum te = ids.iterator();
            PostingsEnum pe = null;
            for (BytesRef t = te.next(); t != null; t = te.next()) {
              pe = te.postings(pe, PostingsEnum.NONE);
              for (int d = pe.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = pe.nextDoc()) {
                if (live == null || live.get(d)) {
                  distinct++;
                  break;
                }
              }
            }
          }
          Map<String, Long> byKind = new TreeMap<>();
          long total = 0;
          if (reader instanceof StandardDirectoryReader sdr) {
            for (SegmentCommitInfo sci : sdr.getSegmentInfos()) {
              for (String file : sci.files()) {
                if (file.endsWith(".cfs") || file.endsWith(".cfe")) {
                  continue;
                }
                long len = directory.fileLength(file);
                total += len;
                byKind.merge(kind(file), len, Long::sum);
              }
              if (sci.info.getUseCompoundFile()) {
                total +=
                    directory.fileLength(sci.info.name + ".cfs")
                        + directory.fileLength(sci.info.name + ".cfe");
                try (CompoundDirectory cfs =
                    sci.info.getCodec().compoundFormat().getCompoundReader(directory, sci.info)) {
                  for (String inner : cfs.listAll()) {
                    byKind.merge(kind(inner), cfs.fileLength(inner), Long::sum);
                  }
                }
              }
            }
          }
          return new IndexStats(
              reader.numDocs(), distinct, reader.leaves().size(), total, byKind, config);
        });
  }

  private static String kind(String file) {
    String ext = file.substring(file.lastIndexOf('.') + 1);
    return switch (ext) {
      case "vec" -> "vectors_float";
      case "veq" -> "vectors_quantized";
      case "vex" -> "hnsw_graph";
      case "vem", "vemf", "vemq", "vemx" -> "vector_meta";
      case "fdt", "fdx", "fdm" -> "stored_fields";
      case "tim", "tip", "tmd", "doc", "pos", "pay", "psm" -> "terms";
      default -> "other";
    };
  }

  // ---- lifecycle --------------------------------------------------------------------------------

  /**
   * Makes searches see the latest changes now (another process's commits, or this writer's adds).
   */
  public void refresh() {
    try {
      searchers.maybeRefreshBlocking();
      lastRefresh = System.nanoTime();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot refresh " + folder, e);
    }
  }

  @FunctionalInterface
  private interface SearcherFunction<T> {
    T apply(IndexSearcher searcher) throws IOException;
  }

  private <T> T withSearcher(SearcherFunction<T> f) {
    try {
      if (System.nanoTime() - lastRefresh > REFRESH_NANOS) {
        lastRefresh = System.nanoTime();
        searchers.maybeRefresh();
      }
      IndexSearcher s = searchers.acquire();
      try {
        return f.apply(s);
      } finally {
        searchers.release(s);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read index " + folder + ": " + e.getMessage(), e);
    }
  }

  /** Commits pending changes (when writable) and releases the index. */
  @Override
  public void close() {
    try {
      searchers.close();
      if (writer != null) {
        writer.close();
      }
      directory.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close index " + folder, e);
    }
  }

  private static void closeQuietly(Closeable c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException | RuntimeException e) {
        // already failing; the first error is the one to report
      }
    }
  }
}
