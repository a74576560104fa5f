package io.github.mobilenet.eval.data;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mobilenet.core.MobileNetException;
import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.extract.Features;
import io.github.mobilenet.core.extract.Pooling;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.core.preprocess.InputSize;
import io.github.mobilenet.core.preprocess.PreparedImage;
import io.github.mobilenet.core.preprocess.Preprocessing;
import io.github.mobilenet.core.preprocess.ResizeFilter;
import io.github.mobilenet.core.util.Hashing;
import io.github.mobilenet.core.util.Npy;
import io.github.mobilenet.embeddings.embed.Embedding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;

/**
 * Pooled features of a list of images, extracted once and kept on disk, so that sweeps over
 * pooling, normalisation, whitening or classifiers never re-run the network.
 *
 * <p><b>Key.</b> An entry is identified by the SHA-256 of: the model (profile id, graph files and
 * their sha256, input size, layout, scaling), the preprocessing mode, the resize filter, the layer,
 * and every image's name and content hash in order. Changing any of them (or editing an image)
 * misses the cache; renaming nothing and touching nothing hits it. Extraction uses the extractor's
 * defaults for every other setting (reduced decode, pixel limit, background).
 *
 * <p><b>What is stored.</b> For a spatial layer the map is pooled at extraction time, once per
 * pooling in {@link #STANDARD_POOLINGS} plus any other requested, and only those C-vectors are
 * kept: the layer_19 map is 1280×7×7 = 62 720 floats per image against 3 × 1280 for three poolings
 * (16× less; 21 MB instead of 341 MB for 1 360 images), and everything downstream of pooling
 * (normalisation, PCA-whitening, quantisation, classifiers) needs only the vectors. A pooling not
 * yet in an entry costs one re-extraction, after which it is kept with the others. Vector layers
 * ({@code pooled}, {@code logits}, {@code probs}) are stored as they are.
 *
 * <p>Several layers asked for together are extracted in one pass: each image is decoded and
 * preprocessed once (the dominant cost for photos) and the network is run per layer.
 *
 * <p>Layout: {@code DIR/<key>/meta.json} plus one {@code .npy} (float32, [images, C]) per pooling;
 * the metadata file is written last, so an interrupted write is never read back.
 */
public final class EmbeddingCache {
  /** Poolings every spatial entry holds. */
  public static final List<Pooling> STANDARD_POOLINGS =
      List.of(Pooling.AVG, Pooling.MAX, Pooling.GEM);

  /** Bumped when extraction or the stored layout changes, so old entries stop matching. */
  static final int VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final int decodeThreads;
  private final int intraOpThreads;
  private final int maxBatch;

  /**
   * @param dir where entries live (created when needed); null keeps nothing on disk
   */
  public EmbeddingCache(Path dir) {
    this(
        dir,
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().availableProcessors(),
        FeatureExtractor.DEFAULT_MAX_BATCH);
  }

  public EmbeddingCache(Path dir, int decodeThreads, int intraOpThreads, int maxBatch) {
    this.dir = dir;
    this.decodeThreads = Math.max(1, decodeThreads);
    this.intraOpThreads = Math.max(1, intraOpThreads);
    this.maxBatch = Math.max(1, maxBatch);
  }

  /**
   * {@code $MOBILENET_CACHE}, else {@code $XDG_CACHE_HOME/mobilenet-embeddings}, else {@code
   * ~/.cache/mobilenet-embeddings}.
   */
  public static Path defaultDirectory() {
    String explicit = System.getenv("MOBILENET_CACHE");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("mobilenet-embeddings");
  }

  /** The cache directory, or null when nothing is kept on disk. */
  public Path directory() {
    return dir;
  }

  /**
   * What turns pixels into features, besides the layer: the model and the pixel side of an {@link
   * Embedding}, plus an input size the evaluation may change. Not a description of its own: it is
   * taken from an {@link Embedding} ({@link #of(Embedding, ModelProfile)}).
   *
   * @param inputSize the network input size; null for the profile's own
   */
  public record Extraction(
      ModelProfile profile, Preprocessing preprocessing, ResizeFilter resize, InputSize inputSize) {
    public Extraction {
      Objects.requireNonNull(profile, "profile");
      Objects.requireNonNull(preprocessing, "preprocessing");
      Objects.requireNonNull(resize, "resize");
    }

    public Extraction(ModelProfile profile, Preprocessing preprocessing, ResizeFilter resize) {
      this(profile, preprocessing, resize, (InputSize) null);
    }

    /**
     * A square input of {@code side} pixels.
     *
     * @param side square network input side in pixels; 0 = the profile's
     */
    public Extraction(
        ModelProfile profile, Preprocessing preprocessing, ResizeFilter resize, int side) {
      this(profile, preprocessing, resize, square(side));
    }

    private static InputSize square(int side) {
      if (side < 0) {
        throw new IllegalArgumentException("inputSize must be >= 0, got " + side);
      }
      return side == 0 ? null : InputSize.exact(side, side);
    }

    public static Extraction of(EmbeddingConfig config) {
      return of(config.embedding(), ModelProfile.mobileNetV2());
    }

    /**
     * The extraction side of {@code embedding} on {@code profile}.
     *
     * @throws IllegalArgumentException when the profile is another model than the embedding's
     */
    public static Extraction of(Embedding embedding, ModelProfile profile) {
      if (!profile.id().equals(embedding.modelId())) {
        throw new IllegalArgumentException(
            "the embedding is of model "
                + embedding.modelId()
                + ", the profile is "
                + profile.id());
      }
      return new Extraction(
          profile, embedding.preprocessing(), embedding.resize(), embedding.inputSize());
    }

    /** {@code HxW} as caches before the setting wrote it; {@code shorter S} for a shorter side. */
    private String size(ModelProfile.Input in) {
      if (inputSize == null) {
        return in.height() + "x" + in.width();
      }
      return inputSize.isExact()
          ? inputSize.height() + "x" + inputSize.width()
          : "shorter " + inputSize.shorterSide();
    }

    FeatureExtractor open(int intraOpThreads, int maxBatch) {
      return FeatureExtractor.builder()
          .profile(profile)
          .preprocessing(preprocessing)
          .resizeFilter(resize)
          .inputSize(inputSize) // null: the profile's own size
          .intraOpThreads(intraOpThreads)
          .maxBatch(maxBatch)
          .build();
    }

    String describe() {
      StringBuilder b = new StringBuilder("cache v").append(VERSION).append('\n');
      b.append("model ").append(profile.id()).append('\n');
      for (ModelProfile.Graph g : profile.graphs()) {
        b.append("graph ")
            .append(g.file())
            .append(' ')
            .append(g.sha256().toLowerCase(Locale.ROOT))
            .append('\n');
      }
      ModelProfile.Input in = profile.input();
      b.append("input ")
          .append(in.name())
          .append(' ')
          .append(in.layout())
          .append(' ')
          .append(in.channelOrder())
          .append(' ')
          .append(size(in))
          .append(" mean ")
          .append(Arrays.toString(in.mean()))
          .append(" std ")
          .append(Arrays.toString(in.std()))
          .append('\n');
      b.append("preprocessing ").append(preprocessing.cliName()).append('\n');
      b.append("resize ").append(resize.cliName()).append('\n');
      return b.toString();
    }
  }

  /**
   * Features of {@code images} for each of {@code layers}, from the cache where present, else
   * extracted (all missing layers in one pass) and stored.
   *
   * @param names a stable name per image (its path relative to the data set), part of the key
   * @param poolings poolings needed besides {@link #STANDARD_POOLINGS}
   * @param progress called with (images done, total) while extracting; may be null
   */
  public Map<String, LayerFeatures> load(
      Extraction extraction,
      List<Path> images,
      List<String> names,
      List<String> layers,
      Set<Pooling> poolings,
      BiConsumer<Integer, Integer> progress)
      throws IOException {
    if (images.size() != names.size()) {
      throw new IllegalArgumentException(images.size() + " images but " + names.size() + " names");
    }
    Set<Pooling> wanted = new LinkedHashSet<>(STANDARD_POOLINGS);
    wanted.addAll(poolings);
    String contents = describeContents(images, names);
    Map<String, LayerFeatures> out = new LinkedHashMap<>();
    Map<String, Boolean> missing = new LinkedHashMap<>(); // endpoint → spatial
    Map<String, String> keys = new LinkedHashMap<>();
    for (String layer : layers) {
      String endpoint = extraction.profile().resolve(layer);
      boolean spatial = extraction.profile().endpoints().get(endpoint).spatial();
      String key =
          sha256(extraction.describe() + "layer " + endpoint + "\n" + contents).substring(0, 40);
      keys.put(endpoint, key);
      LayerFeatures hit =
          dir == null
              ? null
              : read(dir.resolve(key), endpoint, images.size(), spatial ? wanted : Set.of());
      if (hit != null) {
        out.put(layer, hit);
      } else {
        missing.put(endpoint, spatial);
      }
    }
    if (!missing.isEmpty()) {
      // Keep whatever poolings an old entry had, so that re-extracting for a new one loses nothing.
      for (String endpoint : missing.keySet()) {
        if (dir != null && missing.get(endpoint)) {
          wanted.addAll(storedPoolings(dir.resolve(keys.get(endpoint))));
        }
      }
      Map<String, LayerFeatures> fresh =
          extract(extraction, images, new ArrayList<>(missing.keySet()), missing, wanted, progress);
      for (Map.Entry<String, LayerFeatures> e : fresh.entrySet()) {
        if (dir != null) {
          write(dir.resolve(keys.get(e.getKey())), e.getValue(), names);
        }
      }
      for (String layer : layers) {
        String endpoint = extraction.profile().resolve(layer);
        if (fresh.containsKey(endpoint)) {
          out.put(layer, fresh.get(endpoint));
        }
      }
    }
    Map<String, LayerFeatures> ordered = new LinkedHashMap<>();
    for (String layer : layers) {
      ordered.put(layer, out.get(layer));
    }
    return ordered;
  }

  /** One layer; see {@link #load(Extraction, List, List, List, Set, BiConsumer)}. */
  public LayerFeatures load(
      Extraction extraction,
      LabeledImages images,
      String layer,
      Set<Pooling> poolings,
      BiConsumer<Integer, Integer> progress)
      throws IOException {
    return load(extraction, images.files(), images.names(), List.of(layer), poolings, progress)
        .get(layer);
  }

  // ---- extraction -------------------------------------------------------------------------------

  private Map<String, LayerFeatures> extract(
      Extraction extraction,
      List<Path> images,
      List<String> endpoints,
      Map<String, Boolean> spatial,
      Set<Pooling> poolings,
      BiConsumer<Integer, Integer> progress) {
    int n = images.size();
    List<String> errors = new ArrayList<>(java.util.Collections.nCopies(n, (String) null));
    Map<String, Map<Pooling, float[][]>> vectors = new LinkedHashMap<>();
    for (String e : endpoints) {
      Map<Pooling, float[][]> m = new LinkedHashMap<>();
      for (Pooling p : spatial.get(e) ? poolings : Set.of(Pooling.AVG)) {
        m.put(p, new float[n][]);
      }
      vectors.put(e, m);
    }
    long prepareNanos = 0;
    Map<String, Long> inferNanos = new LinkedHashMap<>();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            decodeThreads,
            r -> {
              Thread t = new Thread(r, "mobilenet-eval-decode");
              t.setDaemon(true);
              return t;
            });
    try (FeatureExtractor fx = extraction.open(intraOpThreads, maxBatch)) {
      for (int from = 0; from < n; from += maxBatch) {
        int to = Math.min(n, from + maxBatch);
        long t0 = System.nanoTime();
        List<Future<PreparedImage>> jobs = new ArrayList<>();
        for (int i = from; i < to; i++) {
          Path file = images.get(i);
          jobs.add(pool.submit(() -> fx.prepare(ImageSource.of(file))));
        }
        List<PreparedImage> ok = new ArrayList<>();
        List<Integer> okIndex = new ArrayList<>();
        for (int i = from; i < to; i++) {
          try {
            ok.add(jobs.get(i - from).get());
            okIndex.add(i);
          } catch (ExecutionException e) {
            Throwable c = e.getCause();
            errors.set(
                i, c instanceof MobileNetException ? c.getMessage() : images.get(i) + ": " + c);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MobileNetException("interrupted while decoding", e);
          }
        }
        prepareNanos += System.nanoTime() - t0;
        for (String endpoint : endpoints) {
          long t1 = System.nanoTime();
          List<Features> features = ok.isEmpty() ? List.of() : fx.run(ok, endpoint);
          inferNanos.merge(endpoint, System.nanoTime() - t1, Long::sum);
          for (int j = 0; j < features.size(); j++) {
            for (Map.Entry<Pooling, float[][]> e : vectors.get(endpoint).entrySet()) {
              e.getValue()[okIndex.get(j)] = features.get(j).pooled(e.getKey());
            }
          }
        }
        if (progress != null) {
          progress.accept(to, n);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    Map<String, LayerFeatures> out = new LinkedHashMap<>();
    for (String endpoint : endpoints) {
      LayerFeatures.ExtractionTiming timing =
          new LayerFeatures.ExtractionTiming(
              n,
              prepareNanos / 1e6 / Math.max(1, n),
              inferNanos.getOrDefault(endpoint, 0L) / 1e6 / Math.max(1, n));
      out.put(
          endpoint,
          new LayerFeatures(
              endpoint,
              spatial.get(endpoint),
              vectors.get(endpoint),
              java.util.Collections.unmodifiableList(new ArrayList<>(errors)),
              timing,
              false));
    }
    return out;
  }

  // ---- storage ----------------------------------------------------------------------------------

  /** meta.json. */
  record Meta(
      @JsonProperty("version") int version,
      @JsonProperty("layer") String layer,
      @JsonProperty("spatial") boolean spatial,
      @JsonProperty("names") List<String> names,
      @JsonProperty("errors") Map<String, String> errors,
      @JsonProperty("poolings") List<String> poolings,
      @JsonProperty("prepareMillisPerImage") double prepareMillisPerImage,
      @JsonProperty("inferMillisPerImage") double inferMillisPerImage) {}

  private static String fileName(Pooling p, boolean spatial) {
    return spatial ? p.toString().replace(':', '_') + ".npy" : "vector.npy";
  }

  private void write(Path entry, LayerFeatures f, List<String> names) throws IOException {
    Files.createDirectories(entry);
    Files.deleteIfExists(entry.resolve("meta.json"));
    List<String> poolingNames = new ArrayList<>();
    for (Map.Entry<Pooling, float[][]> e : f.byPooling().entrySet()) {
      poolingNames.add(e.getKey().toString());
      List<float[]> rows = new ArrayList<>();
      int width = 0;
      for (float[] r : e.getValue()) {
        if (r != null) {
          width = r.length;
          break;
        }
      }
      for (float[] r : e.getValue()) {
        rows.add(r != null ? r : new float[width]); // failed images: zeros, flagged in meta.json
      }
      Path tmp = entry.resolve(fileName(e.getKey(), f.spatial()) + ".tmp");
      Npy.write(tmp, rows);
      Files.move(
          tmp,
          entry.resolve(fileName(e.getKey(), f.spatial())),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    }
    Map<String, String> errors = new LinkedHashMap<>();
    for (int i = 0; i < f.errors().size(); i++) {
      if (f.errors().get(i) != null) {
        errors.put(Integer.toString(i), f.errors().get(i));
      }
    }
    Meta meta =
        new Meta(
            VERSION,
            f.layer(),
            f.spatial(),
            names,
            errors,
            poolingNames,
            f.timing().prepareMillisPerImage(),
            f.timing().inferMillisPerImage());
    Path tmp = entry.resolve("meta.json.tmp");
    JSON.writeValue(tmp.toFile(), meta);
    Files.move(
        tmp,
        entry.resolve("meta.json"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  private static Set<Pooling> storedPoolings(Path entry) {
    Set<Pooling> out = new LinkedHashSet<>();
    try {
      Path meta = entry.resolve("meta.json");
      if (Files.isRegularFile(meta)) {
        for (String p : JSON.readValue(meta.toFile(), Meta.class).poolings()) {
          out.add(Pooling.parse(p));
        }
      }
    } catch (IOException | RuntimeException e) {
      // unreadable entry: it is rewritten whole
    }
    return out;
  }

  /**
   * The entry when it holds every wanted pooling, else null (missing, partial or unreadable entries
   * miss).
   */
  private static LayerFeatures read(Path entry, String layer, int n, Set<Pooling> wanted) {
    Path metaFile = entry.resolve("meta.json");
    if (!Files.isRegularFile(metaFile)) {
      return null;
    }
    try {
      Meta meta = JSON.readValue(metaFile.toFile(), Meta.class);
      if (meta.version() != VERSION || !meta.layer().equals(layer) || meta.names().size() != n) {
        return null;
      }
      Set<Pooling> stored = new LinkedHashSet<>();
      for (String p : meta.poolings()) {
        stored.add(Pooling.parse(p));
      }
      if (meta.spatial() && !stored.containsAll(wanted)) {
        return null;
      }
      List<String> errors = new ArrayList<>(java.util.Collections.nCopies(n, (String) null));
      meta.errors().forEach((k, v) -> errors.set(Integer.parseInt(k), v));
      Map<Pooling, float[][]> byPooling = new LinkedHashMap<>();
      for (Pooling p : stored) {
        List<float[]> rows = Npy.read(entry.resolve(fileName(p, meta.spatial())));
        if (rows.size() != n) {
          return null;
        }
        float[][] m = new float[n][];
        for (int i = 0; i < n; i++) {
          m[i] = errors.get(i) == null ? rows.get(i) : null;
        }
        byPooling.put(p, m);
      }
      return new LayerFeatures(
          layer,
          meta.spatial(),
          byPooling,
          java.util.Collections.unmodifiableList(errors),
          new LayerFeatures.ExtractionTiming(
              n, meta.prepareMillisPerImage(), meta.inferMillisPerImage()),
          true);
    } catch (IOException | RuntimeException e) {
      return null; // a damaged entry is re-extracted and overwritten
    }
  }

  // ---- keys -------------------------------------------------------------------------------------

  private static String describeContents(List<Path> images, List<String> names) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < images.size(); i++) {
      byte[] digest;
      try {
        digest = Hashing.sha256(images.get(i));
      } catch (java.nio.file.NoSuchFileException e) {
        // a missing file gets no content hash; extraction reports it as that image's error
        b.append(names.get(i)).append('\t').append("missing").append('\n');
        continue;
      }
      b.append(names.get(i)).append('\t').append(HexFormat.of().formatHex(digest)).append('\n');
    }
    return b.toString();
  }

  private static String sha256(String s) {
    return Hashing.sha256Hex(s.getBytes(StandardCharsets.UTF_8));
  }
}
