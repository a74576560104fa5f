package io.github.mobilenet.embeddings.index;

import io.github.mobilenet.embeddings.EmbeddingsException;
import io.github.mobilenet.embeddings.EmbeddingsException.Reason;
import io.github.mobilenet.embeddings.dba.AugmentProgress;
import io.github.mobilenet.embeddings.dba.Augmentation;
import io.github.mobilenet.embeddings.dups.DuplicateFinder;
import io.github.mobilenet.embeddings.dups.DuplicateGroup;
import io.github.mobilenet.embeddings.dups.DuplicateOptions;
import io.github.mobilenet.embeddings.dups.PhotoMatcher;
import io.github.mobilenet.embeddings.dups.SamePhotoFinder;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.job.IndexingJob;
import io.github.mobilenet.embeddings.search.QueryResult;
import io.github.mobilenet.embeddings.search.SearchHit;
import io.github.mobilenet.embeddings.search.SearchOptions;
import io.github.mobilenet.embeddings.search.VectorSearch;
import io.github.mobilenet.embeddings.search.VerifiedRanking;
import io.github.mobilenet.local.LocalFeaturesException;
import io.github.mobilenet.local.features.LocalFeatures;
import io.github.mobilenet.local.features.LocalFeaturesCodec;
import io.github.mobilenet.local.verify.Match;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * A Lucene index of image embeddings in one folder: one document per image file with its id, path,
 * content hash, size, modification time, dimensions, tags and L2-normalised vector (compared by dot
 * product, i.e. cosine). A thin facade: the layout lives in {@link IndexSchema}, lookups in {@link
 * DocLookup}, search in {@link VectorSearch}, augmentation in {@link Augmentation}, near-duplicates
 * in {@link DuplicateFinder}.
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
 * methods are thread-safe. Failures are {@link EmbeddingsException}s with a typed reason; wrong
 * arguments (a vector of the wrong length) are {@link IllegalArgumentException}s.
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
public final class ImageIndex implements Closeable, ImageStore {
  /** {@link IndexSchema#PATH}. */
  public static final String PATH = IndexSchema.PATH;

  /** {@link IndexSchema#AUGMENTED}. */
  public static final String AUGMENTED = IndexSchema.AUGMENTED;

  /** {@link IndexSchema#NEIGHBOURS}. */
  public static final String NEIGHBOURS = IndexSchema.NEIGHBOURS;

  /** {@link IndexSchema#FLOOR}. */
  public static final String FLOOR = IndexSchema.FLOOR;

  /** {@link IndexSchema#STALE}. */
  public static final String STALE = IndexSchema.STALE;

  /** {@link Augmentation#EXACT_LIMIT}. */
  public static final int EXACT_AUGMENT_LIMIT = Augmentation.EXACT_LIMIT;

  /** {@link DuplicateFinder#DEFAULT_THRESHOLD}. */
  public static final double DEFAULT_DUPLICATE_THRESHOLD = DuplicateFinder.DEFAULT_THRESHOLD;

  /** {@link DuplicateFinder#EXACT_LIMIT}. */
  public static final int EXACT_DUPLICATES_LIMIT = DuplicateFinder.EXACT_LIMIT;

  private final IndexFolder store;
  private final IndexConfig config;
  private final Path folder;
  // made on first use: the ORB extractor loads OpenCV's natives (about a second)
  private volatile PhotoMatcher matcher;

  /**
   * Writes share it; an augmentation pass holds it alone so no add lands between reading and
   * updating.
   */
  private final ReadWriteLock writeLock = new ReentrantReadWriteLock();

  /**
   * Settings for a writable index.
   *
   * @param ramBufferMb memory for buffered documents before a segment is flushed
   * @param compoundFiles whether small segments pack their files into one
   * @param mergeThreads threads that build a merged segment's HNSW graph together (1: the merging
   *     thread alone); more make merges of large indexes (and {@link #forceMerge}) faster
   */
  public record WriteSettings(double ramBufferMb, boolean compoundFiles, int mergeThreads) {
    public static final WriteSettings DEFAULT = new WriteSettings(64, true);

    /** Checks the merge threads. */
    public WriteSettings {
      if (mergeThreads < 1) {
        throw new IllegalArgumentException("mergeThreads must be >= 1: " + mergeThreads);
      }
    }

    /** Settings whose merges build graphs on one thread. */
    public WriteSettings(double ramBufferMb, boolean compoundFiles) {
      this(ramBufferMb, compoundFiles, 1);
    }
  }

  private ImageIndex(IndexFolder store) {
    this.store = store;
    this.config = store.config();
    this.folder = store.folder();
  }

  // ---- opening ----------------------------------------------------------------------------------

  /**
   * The configuration recorded in the index at {@code folder}, or empty when there is no index
   * there. Creates nothing.
   *
   * @throws IndexConfigMismatchException when the folder holds a Lucene index that is not ours
   */
  public static Optional<IndexConfig> readConfig(Path folder) {
    if (!Files.isDirectory(folder)) {
      return Optional.empty();
    }
    try (Directory dir = FSDirectory.open(folder)) {
      return IndexFolder.readConfig(dir, folder);
    } catch (IOException e) {
      throw EmbeddingsException.io(folder, "cannot read", e);
    }
  }

  /**
   * Opens an existing index read-only.
   *
   * @throws EmbeddingsException {@link Reason#NOT_FOUND} when there is no index at {@code folder}
   * @throws IndexConfigMismatchException when the folder holds a Lucene index that is not an image
   *     index
   */
  public static ImageIndex open(Path folder) {
    return new ImageIndex(IndexFolder.open(folder));
  }

  /**
   * Opens an existing index read-only and checks that its vectors mean what {@code expected}
   * describes (the storage format may differ).
   *
   * @throws IndexConfigMismatchException listing the differences
   */
  public static ImageIndex open(Path folder, IndexConfig expected) {
    ImageIndex index = open(folder);
    try {
      index.requireCompatible(expected);
    } catch (RuntimeException e) {
      index.close();
      throw e;
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
   * @throws EmbeddingsException {@link Reason#LOCKED} when another process is writing to it
   */
  public static ImageIndex openOrCreate(Path folder, IndexConfig config, WriteSettings settings) {
    return openOrCreate(folder, config, settings, UnaryOperator.identity());
  }

  /** {@link #openOrCreate(Path, IndexConfig, WriteSettings)} over a wrapped directory (tests). */
  static ImageIndex openOrCreate(
      Path folder, IndexConfig config, WriteSettings settings, UnaryOperator<Directory> wrap) {
    return new ImageIndex(IndexFolder.openOrCreate(folder, config, settings, wrap));
  }

  // ---- properties -------------------------------------------------------------------------------

  @Override
  public IndexConfig config() {
    return config;
  }

  @Override
  public Path folder() {
    return folder;
  }

  @Override
  public boolean writable() {
    return store.writer() != null;
  }

  /** Number of images (live documents) visible to searches now. */
  public int size() {
    return store.withSearcher(s -> s.getIndexReader().numDocs());
  }

  // ---- writing ----------------------------------------------------------------------------------

  /**
   * Adds an image, replacing any document with the same path. The vector is L2-normalised here.
   *
   * @throws IllegalArgumentException when the vector's length differs from the index's dimension,
   *     or it is zero or not finite
   */
  public void add(ImageDoc doc, float[] vector) {
    add(doc, vector, null);
  }

  /**
   * Adds an image with its local features, replacing any document with the same path.
   *
   * @param localFeatures the image's features in {@link LocalFeaturesCodec}'s form (as the indexing
   *     job extracts them: {@link io.github.mobilenet.local.extract.OrbExtractor#extract}), or null
   *     for none
   * @throws IllegalArgumentException for a bad vector (see {@link #add(ImageDoc, float[])}), local
   *     features that do not decode, or local features for an index that keeps none ({@link
   *     IndexConfig#localFeatures()})
   */
  @Override
  public void add(ImageDoc doc, float[] vector, byte[] localFeatures) {
    requireWritable();
    float[] v = checkedVector(vector);
    if (localFeatures != null) {
      if (!config.localFeatures()) {
        throw new IllegalArgumentException(
            "index " + folder + " keeps no local features (created without them)");
      }
      try {
        LocalFeaturesCodec.decode(localFeatures, doc.path());
      } catch (LocalFeaturesException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    }
    writeLock.readLock().lock();
    try {
      store
          .writer()
          .updateDocument(
              new Term(IndexSchema.PATH, doc.path()),
              IndexSchema.document(doc, v, config.augment() > 0, localFeatures));
    } catch (IOException e) {
      throw EmbeddingsException.io(folder, "cannot add " + doc.path(), e);
    } finally {
      writeLock.readLock().unlock();
    }
  }

  /** Removes the image at {@code path} (as stored: absolute and normalised), if any. */
  @Override
  public void delete(String path) {
    requireWritable();
    writeLock.readLock().lock();
    try {
      // images that had it as a neighbour: the next augmentation pass finds them
      store.writer().deleteDocuments(new Term(IndexSchema.PATH, path));
    } catch (IOException e) {
      throw EmbeddingsException.io(folder, "cannot delete " + path, e);
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
  @Override
  public int augment(AugmentProgress progress) {
    requireWritable();
    if (config.augment() == 0) {
      return 0;
    }
    writeLock.writeLock().lock();
    try {
      refresh();
      return store.withSearcher(
          s -> new Augmentation.Pass(new DocLookup(s), config, store.writer(), progress).run());
    } finally {
      writeLock.writeLock().unlock();
    }
  }

  /** {@link #augment(AugmentProgress)} without progress reports. */
  public int augment() {
    return augment((done, total) -> {});
  }

  /**
   * Images an augmentation pass would start from: added or changed, or with a neighbour changed or
   * gone.
   */
  public int staleCount() {
    if (config.augment() == 0) {
      return 0;
    }
    return store.withSearcher(s -> new Augmentation.Neighbourhoods(s).stale().size());
  }

  /**
   * Makes every change so far durable (after a crash the index reopens at the last commit) and
   * visible to this index's searches at once.
   */
  @Override
  public void commit() {
    requireWritable();
    try {
      store.writer().commit();
    } catch (IOException e) {
      throw EmbeddingsException.io(folder, "cannot commit", e);
    }
    // Searches refresh at most once a second on their own; a job that ends within that second
    // must not leave its caller searching the index as it was before the job.
    refresh();
  }

  /**
   * Merges segments into at most {@code maxSegments} (faster searches; costly on a large index).
   */
  public void forceMerge(int maxSegments) {
    requireWritable();
    try {
      store.writer().forceMerge(maxSegments);
    } catch (IOException e) {
      throw EmbeddingsException.io(folder, "cannot merge", e);
    }
  }

  private void requireWritable() {
    if (store.writer() == null) {
      throw new EmbeddingsException(
          Reason.READ_ONLY, folder, "index " + folder + " is open read-only");
    }
  }

  // ---- lookups ----------------------------------------------------------------------------------

  /** What a lookup reads from the document it found. */
  @FunctionalInterface
  private interface Reading<T> {
    T read(DocLookup lookup, int doc) throws IOException;
  }

  /** The one lookup path: the document by id or by path, then what {@code reading} reads. */
  private <T> Optional<T> lookup(String field, String key, Reading<T> reading) {
    return store.withSearcher(
        s -> {
          DocLookup lookup = new DocLookup(s);
          Optional<Integer> doc =
              field.equals(IndexSchema.ID) ? lookup.byId(key) : lookup.byPath(key);
          return doc.isEmpty()
              ? Optional.<T>empty()
              : Optional.ofNullable(reading.read(lookup, doc.get()));
        });
  }

  /** The image with this id (the first path in order when identical copies share it). */
  public Optional<ImageDoc> get(String id) {
    return lookup(IndexSchema.ID, id, DocLookup::load);
  }

  /**
   * Every image with this id or this content hash ({@link ImageDoc#content()}), sorted by path:
   * with a content hash, every identical copy.
   */
  public List<ImageDoc> getAll(String idOrContent) {
    return store.withSearcher(
        s -> {
          DocLookup lookup = new DocLookup(s);
          java.util.Set<Integer> docs =
              new java.util.TreeSet<>(lookup.docs(new Term(IndexSchema.ID, idOrContent)));
          docs.addAll(lookup.docs(new Term(IndexSchema.CONTENT, idOrContent)));
          List<ImageDoc> out = new ArrayList<>();
          for (int doc : docs) {
            out.add(lookup.load(doc));
          }
          out.sort(Comparator.comparing(ImageDoc::path));
          return out;
        });
  }

  /** The image stored at {@code path} (absolute, normalised). */
  public Optional<ImageDoc> getByPath(String path) {
    return lookup(IndexSchema.PATH, path, DocLookup::load);
  }

  /**
   * The stored (normalised) vector of the image with this id: its own, not the augmented one
   * searched.
   */
  public Optional<float[]> vector(String id) {
    return lookup(IndexSchema.ID, id, DocLookup::own);
  }

  /**
   * The stored (normalised) vector of the image at {@code path}: its own, not the augmented one
   * searched.
   */
  @Override
  public Optional<float[]> vectorByPath(String path) {
    return lookup(IndexSchema.PATH, path, DocLookup::own);
  }

  /** Whether this index keeps local features ({@link IndexConfig#localFeatures()}). */
  @Override
  public boolean hasLocalFeatures() {
    return config.localFeatures();
  }

  /**
   * The stored local features of the image with this id; empty when there is no such image or it
   * has none (an index without local features, or an image where extraction failed).
   *
   * @throws EmbeddingsException {@link Reason#CORRUPT} when the stored bytes do not decode
   */
  public Optional<LocalFeatures> localFeatures(String id) {
    return lookup(IndexSchema.ID, id, DocLookup::localFeatures)
        .map(b -> decodeLocalFeatures(b, "image " + id));
  }

  /** The encoded local features of the image at {@code path}, empty when it has none. */
  @Override
  public Optional<byte[]> localFeaturesBytesByPath(String path) {
    return lookup(IndexSchema.PATH, path, DocLookup::localFeatures);
  }

  /**
   * Decodes stored local features, naming the image and the index when they are damaged.
   *
   * @throws EmbeddingsException {@link Reason#CORRUPT}
   */
  public LocalFeatures decodeLocalFeatures(byte[] bytes, String what) {
    try {
      return LocalFeaturesCodec.decode(bytes, what + " in " + folder);
    } catch (LocalFeaturesException e) {
      throw new EmbeddingsException(
          Reason.CORRUPT, folder, "local features of " + what + " in " + folder + ": " + e, e);
    }
  }

  /**
   * Calls {@code action} for every image, in index order (stored fields only; cheap per document).
   */
  @Override
  public void forEach(Consumer<ImageDoc> action) {
    store.withSearcher(
        s -> {
          DocLookup lookup = new DocLookup(s);
          for (int doc : lookup.allDocs()) {
            action.accept(lookup.load(doc));
          }
          return null;
        });
  }

  // ---- search -----------------------------------------------------------------------------------

  /**
   * The images most similar to {@code query} (any length-{@code dimension} vector; it is
   * normalised), by the embedding alone: a vector has no local features to verify with (see {@link
   * #search(float[], LocalFeatures, SearchOptions)}). Filters restrict the candidates before the
   * graph search (Lucene's pre-filtered kNN, which searches a small filter exactly by itself).
   *
   * <p>With augmentation the score is {@link IndexConfig#AUGMENT_OWN_WEIGHT} × the cosine of the
   * own vectors + the rest × the cosine of the augmented ones (the query augmented like an indexed
   * image), so a near copy of an indexed image still finds that image first.
   */
  public List<SearchHit> search(float[] query, SearchOptions options) {
    return search(query, null, options);
  }

  /**
   * The images most similar to {@code query}, verified: when this index keeps local features,
   * {@code queryFeatures} is given and {@link SearchOptions#verify()} {@literal >} 0, the best
   * {@code verify} hits by embedding are verified against the query's features and re-ranked
   * ({@link VerifiedRanking}: verified hits first); otherwise as {@link #search(float[],
   * SearchOptions)}.
   *
   * @param queryFeatures the query's local features, best from {@link
   *     io.github.mobilenet.local.extract.OrbExtractor#extractQuery} (with the mirrored companion,
   *     so mirror images verify), or null
   */
  public List<SearchHit> search(float[] query, LocalFeatures queryFeatures, SearchOptions options) {
    float[] own = checkedVector(query);
    return store.withSearcher(
        s -> {
          DocLookup lookup = new DocLookup(s);
          VectorSearch search = new VectorSearch(lookup, config, folder);
          if (!verifies(queryFeatures, options)) {
            return search.search(own, options);
          }
          List<SearchHit> shortlist =
              search.search(own, options.k(Math.max(options.k(), options.verify())));
          return verify(lookup, queryFeatures, shortlist, options);
        });
  }

  private boolean verifies(LocalFeatures queryFeatures, SearchOptions options) {
    return queryFeatures != null && options.verify() > 0 && config.localFeatures();
  }

  /** Reads the shortlist's stored features (this thread), then verifies them in parallel. */
  private List<SearchHit> verify(
      DocLookup lookup, LocalFeatures query, List<SearchHit> shortlist, SearchOptions options)
      throws IOException {
    int n = Math.min(options.verify(), shortlist.size());
    byte[][] bytes = new byte[n][];
    for (int i = 0; i < n; i++) {
      Optional<Integer> doc = lookup.byPath(shortlist.get(i).path());
      bytes[i] = doc.isEmpty() ? null : lookup.localFeatures(doc.get());
    }
    return VerifiedRanking.rerank(
        query,
        shortlist,
        i -> bytes[i] == null ? null : decodeLocalFeatures(bytes[i], shortlist.get(i).path()),
        n,
        options.k(),
        LocalMatching.verifier());
  }

  /**
   * The images most similar to the stored image {@code id}. The image itself is among the hits
   * (score 1) unless {@code options} excludes its id. With local features the shortlist is verified
   * against the image's stored (upright) features.
   *
   * @throws EmbeddingsException {@link Reason#NO_SUCH_IMAGE} when no image has this id
   */
  public List<SearchHit> searchById(String id, SearchOptions options) {
    return store.withSearcher(
        s -> {
          DocLookup lookup = new DocLookup(s);
          Optional<Integer> doc = lookup.byId(id);
          if (doc.isEmpty()) {
            throw new EmbeddingsException(
                Reason.NO_SUCH_IMAGE, folder, "no image with id " + id + " in " + folder);
          }
          VectorSearch search = new VectorSearch(lookup, config, folder);
          byte[] stored =
              options.verify() > 0 && config.localFeatures()
                  ? lookup.localFeatures(doc.get())
                  : null;
          if (stored == null) {
            return search.searchByDoc(doc.get(), options);
          }
          LocalFeatures features = decodeLocalFeatures(stored, "image " + id);
          List<SearchHit> shortlist =
              search.searchByDoc(doc.get(), options.k(Math.max(options.k(), options.verify())));
          return verify(lookup, features, shortlist, options);
        });
  }

  /**
   * Embeds {@code image} with {@code embedder} and searches for it; when the search verifies (this
   * index keeps local features and {@link SearchOptions#verify()} {@literal >} 0) the query's local
   * features come from the same decode.
   *
   * @throws IndexConfigMismatchException when the embedder produces vectors other than this index
   *     holds
   */
  public List<SearchHit> search(
      ImageEmbedder embedder,
      io.github.mobilenet.core.image.ImageSource image,
      SearchOptions options) {
    requireCompatible(embedder.config());
    if (options.verify() == 0 || !config.localFeatures()) {
      return search(embedder.embed(image), options);
    }
    ImageEmbedder.Embedded<LocalFeatures> e =
        embedder.embedAlong(image, rgb -> LocalMatching.extractor().extractQuery(rgb));
    return search(e.vector(), e.alongside(), options);
  }

  /**
   * Many queries in one pass: embeds {@code queries} as the indexing job does (decoding and, when
   * verifying, local features on {@code decodeThreads} threads; batched inference) and searches
   * each as {@link #search(ImageEmbedder, io.github.mobilenet.core.image.ImageSource,
   * SearchOptions)} would. {@code sink} gets one result per query, in order, on the calling thread;
   * a query that fails gets its error and never stops the rest.
   *
   * @param exclude per query, ids (or content hashes) its hits may not have, added to {@code
   *     options}' (e.g. the query's own content hash); may return an empty set
   * @throws IndexConfigMismatchException when the embedder produces vectors other than this index
   *     holds
   */
  public void searchEach(
      ImageEmbedder embedder,
      java.util.Iterator<? extends io.github.mobilenet.core.image.ImageSource> queries,
      SearchOptions options,
      java.util.function.Function<io.github.mobilenet.core.image.ImageSource, Set<String>> exclude,
      int decodeThreads,
      Consumer<QueryResult> sink) {
    requireCompatible(embedder.config());
    boolean local = options.verify() > 0 && config.localFeatures();
    embedder
        .extractor()
        .extractEach(
            queries,
            embedder.config().layer(),
            decodeThreads,
            rgb -> local ? LocalMatching.extractor().extractQuery(rgb) : null,
            (r, features) -> {
              if (!r.ok()) {
                sink.accept(new QueryResult(r.source(), List.of(), r.error()));
                return;
              }
              try {
                Set<String> ids = new java.util.HashSet<>(options.excludeIds());
                ids.addAll(exclude.apply(r.source()));
                SearchOptions o = options.exclude(ids);
                sink.accept(
                    new QueryResult(
                        r.source(), search(embedder.toVector(r.features()), features, o), null));
              } catch (RuntimeException e) {
                sink.accept(new QueryResult(r.source(), List.of(), e));
              }
            });
  }

  /**
   * @throws IndexConfigMismatchException when vectors made with {@code other} cannot be compared
   *     with this index's
   */
  @Override
  public void requireCompatible(IndexConfig other) {
    List<String> diff = config.embeddingDifferences(other);
    if (!diff.isEmpty()) {
      throw IndexFolder.mismatch(folder, diff);
    }
  }

  // ---- near-duplicates and stats ----------------------------------------------------------------

  /**
   * Groups of near-identical images by their own vectors, largest group first: see {@link
   * DuplicateFinder}.
   */
  public List<DuplicateGroup> duplicates(double threshold) {
    return store.withSearcher(
        s -> new DuplicateFinder(new DocLookup(s), config.format()).groups(threshold));
  }

  /**
   * Groups of copies of one photograph, verified by local features (rotations by 90/180/270° and
   * mirror images included): see {@link SamePhotoFinder}. Each member carries its {@link
   * io.github.mobilenet.embeddings.dups.Verification} (inliers, transform) against the group's
   * representative. Features come from the index when it stores them, else from the image files.
   *
   * @param embedder embeds the turned images for rotated candidates; may be null when {@code
   *     options.rotations()} is off
   * @param warnings told about each image whose file cannot be read (it is verified by its stored
   *     features alone, or left out)
   * @throws IndexConfigMismatchException when {@code embedder} makes other vectors than this index
   *     holds
   */
  public List<DuplicateGroup> duplicates(
      DuplicateOptions options, ImageEmbedder embedder, Consumer<String> warnings) {
    if (embedder != null) {
      requireCompatible(embedder.config());
    }
    PhotoMatcher matcher = photoMatcher();
    return store.withSearcher(
        s -> new SamePhotoFinder(new DocLookup(s), matcher, embedder, options, warnings).groups());
  }

  /**
   * Verifies image {@code idA} (and its mirror image) against image {@code idB} by local features:
   * the inlier point pairs in each image's own (upright) pixels, the homography from A's pixels to
   * B's, and what B is of A ({@link io.github.mobilenet.local.verify.Transform}). Decodes A's file
   * for its mirrored features, and B's when the index stores no features.
   *
   * @throws EmbeddingsException {@link Reason#NO_SUCH_IMAGE} when no image has one of the ids
   * @throws io.github.mobilenet.core.MobileNetException when an image's file cannot be decoded
   */
  public Match match(String idA, String idB) {
    return photoMatcher().match(require(idA), require(idB));
  }

  /**
   * Verifies a query that is not indexed (features from {@link
   * io.github.mobilenet.local.extract.OrbExtractor#extractQuery}, e.g. of an upload) against image
   * {@code idB}.
   *
   * @throws EmbeddingsException {@link Reason#NO_SUCH_IMAGE} when no image has this id
   */
  public Match match(LocalFeatures query, String idB) {
    return photoMatcher().match(query, require(idB));
  }

  private ImageDoc require(String id) {
    return get(id)
        .orElseThrow(
            () ->
                new EmbeddingsException(
                    Reason.NO_SUCH_IMAGE, folder, "no image with id " + id + " in " + folder));
  }

  /**
   * Local features of indexed images: the stored ones when the index keeps them, else extracted
   * from the files (indexes made before local features, or with {@code --no-local-features}).
   */
  private PhotoMatcher photoMatcher() {
    PhotoMatcher m = matcher;
    if (m == null) {
      m =
          new PhotoMatcher(
              doc ->
                  config.localFeatures()
                      ? localFeaturesBytesByPath(doc.path())
                          .map(b -> decodeLocalFeatures(b, doc.path()))
                      : Optional.empty());
      matcher = m;
    }
    return m;
  }

  /** Counts and on-disk sizes of what searches see now. */
  public IndexStats stats() {
    return store.withSearcher(
        s -> StatsReader.read((DirectoryReader) s.getIndexReader(), store.directory(), config));
  }

  // ---- lifecycle --------------------------------------------------------------------------------

  /**
   * Makes searches see the latest changes now (another process's commits, or this writer's adds).
   */
  @Override
  public void refresh() {
    store.refresh();
  }

  /** Commits pending changes (when writable) and releases the index. */
  @Override
  public void close() {
    store.close();
  }
}
