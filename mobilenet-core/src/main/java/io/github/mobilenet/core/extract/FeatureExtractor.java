package io.github.mobilenet.core.extract;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.github.mobilenet.core.MobileNetException;
import io.github.mobilenet.core.image.ImageDecodeException;
import io.github.mobilenet.core.image.ImageDecoder;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.image.RgbImage;
import io.github.mobilenet.core.model.ModelLoadException;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.core.model.ModelRegistry;
import io.github.mobilenet.core.preprocess.PreparedImage;
import io.github.mobilenet.core.preprocess.Preprocessing;
import io.github.mobilenet.core.preprocess.Preprocessor;
import io.github.mobilenet.core.preprocess.ResizeFilter;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Turns images into MobileNetV2 features: {@code extractFeatures(image, layer)}.
 *
 * <pre>{@code
 * try (FeatureExtractor fx = FeatureExtractor.create()) {
 *   Features f = fx.extractFeatures(Path.of("cat.jpg"), "pooled");   // 1280-d
 *   float[] v = Features.l2Normalize(f.vector());
 * }
 * }</pre>
 *
 * <p>Layers are TF-Slim endpoint names: {@code layer_1} … {@code layer_19} (spatial maps [C, H,
 * W]), {@code layer_20} (alias of {@code layer_19}: slim's docstring counts one past its last
 * endpoint), {@code layer_15_expansion}, {@code pooled} (1280-d global average of layer_19), {@code
 * logits} and {@code probs} (1001 classes, 0 = background).
 *
 * <p>Thread-safe: share one instance. ONNX Runtime sessions open lazily, one per graph file (the
 * graph serving {@code pooled} opens, and is verified, at construction). Images are preprocessed
 * straight into pooled direct buffers that ONNX Runtime reads without copying. {@link #close()}
 * waits for running inferences, then frees native memory.
 */
public final class FeatureExtractor implements AutoCloseable {
  /** Images per inference call when a batch is larger. */
  public static final int DEFAULT_MAX_BATCH = 32;

  /** Whether ONNX Runtime's idle threads spin by default (see {@link Builder#allowSpinning}). */
  public static final boolean DEFAULT_ALLOW_SPINNING = false;

  private final ModelProfile profile;
  private final ImageDecoder decoder;
  private final Preprocessor preprocessor;
  private final int decodeMinSide;
  private final int maxBatch;
  private final int intraOpThreads;
  private final boolean spinning;
  private final StageTimes.Recorder times = new StageTimes.Recorder();
  private final OrtEnvironment env;
  private final Map<String, OrtSession> sessions = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<FloatBuffer> buffers = new ConcurrentLinkedQueue<>();

  /**
   * Inferences hold the read lock; close() takes the write lock so it never frees a session in use.
   */
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();

  private volatile List<String> labels;
  private volatile boolean closed;

  private FeatureExtractor(Builder b) {
    this.profile = b.profile != null ? b.profile : ModelProfile.mobileNetV2();
    this.decoder = new ImageDecoder(b.maxPixels, ImageDecoder.DEFAULT_MAX_FILE_BYTES, b.background);
    int h = b.height > 0 ? b.height : profile.input().height();
    int w = b.width > 0 ? b.width : profile.input().width();
    this.preprocessor = new Preprocessor(profile.input(), b.preprocessing, b.filter, h, w);
    // The reference filter must see every source pixel to reproduce the published numbers exactly.
    // Block averages down to 3x the input size change pooled features by cosine < 0.001 even on
    // pure
    // noise (2x: 0.0013; taking every k-th pixel instead: 0.2). See docs/PERFORMANCE.md.
    this.decodeMinSide =
        b.reducedDecode && b.filter == ResizeFilter.ANTIALIAS ? 3 * Math.max(h, w) : 0;
    this.maxBatch = b.maxBatch;
    this.intraOpThreads = b.intraOpThreads;
    this.spinning = b.spinning;
    this.env = OrtEnvironment.getEnvironment();
    // Open and verify a graph now, so that a missing or corrupt model fails here, not at the first
    // image.
    String first =
        profile.endpoints().containsKey("pooled")
            ? "pooled"
            : profile.endpoints().keySet().iterator().next();
    session(profile.graphFor(first));
  }

  /** The bundled MobileNetV2 with default settings. */
  public static FeatureExtractor create() {
    return builder().build();
  }

  /** Settings for an extractor; {@link Builder#build()} opens it. */
  public static Builder builder() {
    return new Builder();
  }

  /** The model this extractor runs. */
  public ModelProfile profile() {
    return profile;
  }

  /** The decoder it uses (limits, background). */
  public ImageDecoder decoder() {
    return decoder;
  }

  /** The preprocessing it applies (mode, filter, input size). */
  public Preprocessor preprocessor() {
    return preprocessor;
  }

  /** Endpoint names this model offers, aliases included. */
  public List<String> layers() {
    List<String> all = new ArrayList<>(profile.endpoints().keySet());
    all.addAll(profile.aliases().keySet());
    return all;
  }

  // ---- single image -----------------------------------------------------------------------------

  /** Features of an image file at a layer; see {@link #extractFeatures(ImageSource, String)}. */
  public Features extractFeatures(Path image, String layer) {
    return extractFeatures(ImageSource.of(image), layer);
  }

  /** A decoded image, taken as it is (upright, sRGB; alpha composited over the background). */
  public Features extractFeatures(BufferedImage image, String layer) {
    return extractFeatures(ImageSource.from(image), layer);
  }

  /** Features of encoded image bytes (any supported format). */
  public Features extractFeatures(byte[] encoded, String layer) {
    return extractFeatures(ImageSource.from(encoded), layer);
  }

  /** Features of an encoded image read from a stream (read fully; the caller closes it). */
  public Features extractFeatures(InputStream encoded, String layer) {
    return extractFeatures(ImageSource.from(encoded), layer);
  }

  /**
   * Features of one image at one layer (an endpoint name or alias, see {@link #layers()}).
   *
   * @throws ImageDecodeException when the image cannot be decoded (names the input and the reason)
   * @throws IllegalArgumentException for an unknown layer
   */
  public Features extractFeatures(ImageSource image, String layer) {
    return extractBatch(List.of(image), profile.resolve(layer)).get(0);
  }

  // ---- batches ----------------------------------------------------------------------------------

  /**
   * One result per image, in order. Elements may be Path, File, byte[], InputStream, BufferedImage
   * or ImageSource. Each group of up to {@code maxBatch} images is decoded and preprocessed
   * straight into the input tensor (on several cores when there is decoding or resizing to do),
   * then runs as one inference. The first image (in list order) that fails to decode throws its
   * {@link ImageDecodeException}; use {@link #extractEach} or {@link #prepare}/{@link #run} to
   * handle failures per image.
   */
  public List<Features> extractFeatures(List<?> images, String layer) {
    String endpoint = profile.resolve(layer);
    List<ImageSource> sources = images.stream().map(ImageSource::from).toList();
    List<Features> out = new ArrayList<>(sources.size());
    for (int from = 0; from < sources.size(); from += maxBatch) {
      out.addAll(
          extractBatch(sources.subList(from, Math.min(sources.size(), from + maxBatch)), endpoint));
    }
    return out;
  }

  private List<Features> extractBatch(List<ImageSource> batch, String endpoint) {
    int per = preprocessor.tensorSize();
    FloatBuffer input = borrow(batch.size() * per);
    try {
      RuntimeException[] errors = new RuntimeException[batch.size()];
      // Decoding and big resizes are worth spreading over cores; copying small in-memory images is
      // not
      // (waking pool threads cost more than the copies: measured in docs/PERFORMANCE.md).
      long small = 4L * preprocessor.width() * preprocessor.height();
      boolean heavy =
          batch.stream()
              .anyMatch(
                  s ->
                      !(s instanceof ImageSource.DecodedSource d)
                          || (long) d.image().getWidth() * d.image().getHeight() > small);
      IntStream slots = IntStream.range(0, batch.size());
      (batch.size() > 1 && heavy ? slots.parallel() : slots)
          .forEach(
              i -> {
                try {
                  long[] t0 = StageTimes.Recorder.now();
                  if (batch.get(i) instanceof ImageSource.DecodedSource d
                      && fitsAsIs(d.image())
                      && preprocessor.applyDirect(
                          d.image(), input, i * per)) { // skips the RGB copy
                    times.prepared(
                        t0, t0, StageTimes.Recorder.now()); // already decoded: all preprocessing
                    return;
                  }
                  RgbImage rgb = decoder.decode(batch.get(i), decodeMinSide);
                  long[] t1 = StageTimes.Recorder.now();
                  preprocessor.apply(
                      rgb, input, i * per); // disjoint slices of one buffer: safe in parallel
                  times.prepared(t0, t1, StageTimes.Recorder.now());
                } catch (RuntimeException e) {
                  errors[i] = e;
                }
              });
      for (RuntimeException e : errors) {
        if (e != null) {
          throw e; // the first failing image in input order, whatever finished first
        }
      }
      return infer(input, batch.size(), endpoint, batch.get(0).name());
    } finally {
      buffers.offer(input);
    }
  }

  /**
   * True when the decoder would pass this image through unchanged: within the pixel limit, not
   * reduced.
   */
  private boolean fitsAsIs(BufferedImage image) {
    long pixels = (long) image.getWidth() * image.getHeight();
    return pixels <= decoder.maxPixels()
        && (decodeMinSide == 0
            || Math.min(image.getWidth(), image.getHeight()) < 2 * decodeMinSide);
  }

  /**
   * Streams many images through decode → preprocess → batched inference with bounded memory:
   * decoding runs on {@code decodeThreads} worker threads, at most two batches ahead, while
   * inference runs on the calling thread. {@code sink} gets one result per image, in input order,
   * on the calling thread; a bad image yields a result with its error and never stops the stream.
   *
   * @throws IllegalArgumentException for an unknown layer, before any image is read
   */
  public void extractEach(
      Iterator<? extends ImageSource> images,
      String layer,
      int decodeThreads,
      Consumer<ExtractionResult> sink) {
    String endpoint = profile.resolve(layer);
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, decodeThreads),
            r -> {
              Thread t = new Thread(r, "mobilenet-decode");
              t.setDaemon(true);
              return t;
            });
    try {
      Deque<Map.Entry<ImageSource, Future<PreparedImage>>> window = new ArrayDeque<>();
      int ahead = 2 * maxBatch;
      List<Map.Entry<ImageSource, Object>> pending =
          new ArrayList<>(); // PreparedImage or MobileNetException
      int ready = 0;
      while (images.hasNext() || !window.isEmpty()) {
        while (window.size() < ahead && images.hasNext()) {
          ImageSource src = images.next();
          window.add(Map.entry(src, pool.submit(() -> prepare(src))));
        }
        Map.Entry<ImageSource, Future<PreparedImage>> next = window.poll();
        Object outcome;
        try {
          outcome = next.getValue().get();
          ready++;
        } catch (ExecutionException e) {
          outcome = failure(next.getKey(), e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new MobileNetException("interrupted while extracting features", e);
        }
        pending.add(Map.entry(next.getKey(), outcome));
        if (ready == maxBatch || (window.isEmpty() && !images.hasNext())) {
          flush(pending, endpoint, sink);
          pending.clear();
          ready = 0;
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static MobileNetException failure(ImageSource source, Throwable cause) {
    if (cause instanceof MobileNetException m) {
      return m;
    }
    ImageDecodeException.Reason reason =
        cause instanceof OutOfMemoryError
            ? ImageDecodeException.Reason.TOO_LARGE
            : ImageDecodeException.Reason.CORRUPT;
    return new ImageDecodeException(source.name(), reason, String.valueOf(cause), cause);
  }

  private void flush(
      List<Map.Entry<ImageSource, Object>> pending,
      String endpoint,
      Consumer<ExtractionResult> sink) {
    List<PreparedImage> batch = new ArrayList<>();
    for (Map.Entry<ImageSource, Object> e : pending) {
      if (e.getValue() instanceof PreparedImage p) {
        batch.add(p);
      }
    }
    List<Features> features = batch.isEmpty() ? List.of() : run(batch, endpoint);
    int i = 0;
    for (Map.Entry<ImageSource, Object> e : pending) {
      if (e.getValue() instanceof PreparedImage p) {
        sink.accept(
            new ExtractionResult(e.getKey(), p.width(), p.height(), features.get(i++), null));
      } else {
        sink.accept(
            new ExtractionResult(e.getKey(), 0, 0, null, (MobileNetException) e.getValue()));
      }
    }
  }

  // ---- classification ---------------------------------------------------------------------------

  /**
   * The {@code k} most probable classes, best first. Needs a profile with {@code probs} and labels.
   */
  public List<Classification> classify(ImageSource image, int k) {
    return classify(List.of(image), k).get(0);
  }

  /** Top-k classes of an image file. */
  public List<Classification> classify(Path image, int k) {
    return classify(ImageSource.of(image), k);
  }

  /** Top-k classes per image, in order, in batches (see {@link #extractFeatures(List, String)}). */
  public List<List<Classification>> classify(List<?> images, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    if (!profile.endpoints().containsKey("probs")) {
      throw new IllegalArgumentException(
          "model " + profile.id() + " has no 'probs' endpoint, which classify needs");
    }
    List<Features> probs = extractFeatures(images, "probs");
    List<String> names = labels();
    List<List<Classification>> out = new ArrayList<>(probs.size());
    for (Features f : probs) {
      out.add(Classifications.topK(f.values(), k, names));
    }
    return out;
  }

  /**
   * Labels by class index (0 = background for the bundled model); empty when the profile has none.
   */
  public List<String> labels() {
    List<String> l = labels;
    if (l == null) {
      labels = l = profile.readLabels();
    }
    return l;
  }

  // ---- pipeline pieces --------------------------------------------------------------------------

  /** Decodes and preprocesses one image (no inference); safe to call from many threads. */
  public PreparedImage prepare(ImageSource image) {
    long[] t0 = StageTimes.Recorder.now();
    RgbImage rgb = decoder.decode(image, decodeMinSide);
    long[] t1 = StageTimes.Recorder.now();
    float[] tensor = preprocessor.apply(rgb);
    times.prepared(t0, t1, StageTimes.Recorder.now());
    return new PreparedImage(image.name(), rgb.width(), rgb.height(), tensor);
  }

  /** Decodes and preprocesses an image file. */
  public PreparedImage prepare(Path image) {
    return prepare(ImageSource.of(image));
  }

  /**
   * Runs inference on prepared images, in batches of up to {@code maxBatch}; one result per image.
   */
  public List<Features> run(List<PreparedImage> images, String layer) {
    String endpoint = profile.resolve(layer);
    int per = preprocessor.tensorSize();
    List<Features> out = new ArrayList<>(images.size());
    for (int from = 0; from < images.size(); from += maxBatch) {
      List<PreparedImage> batch = images.subList(from, Math.min(images.size(), from + maxBatch));
      FloatBuffer input = borrow(batch.size() * per);
      try {
        for (int i = 0; i < batch.size(); i++) {
          float[] t = batch.get(i).tensor();
          if (t.length != per) {
            throw new IllegalArgumentException(
                batch.get(i).name()
                    + ": prepared tensor has "
                    + t.length
                    + " floats, this extractor expects "
                    + per);
          }
          input.put(i * per, t);
        }
        out.addAll(infer(input, batch.size(), endpoint, batch.get(0).name()));
      } finally {
        buffers.offer(input);
      }
    }
    return out;
  }

  /** Time spent so far in each stage, summed over all threads (see {@link StageTimes}). */
  public StageTimes stageTimes() {
    return times.snapshot();
  }

  // ---- inference --------------------------------------------------------------------------------

  /**
   * One inference over the first {@code n} images in {@code input}; {@code first} names the batch
   * in errors.
   */
  private List<Features> infer(FloatBuffer input, int n, String endpoint, String first) {
    String output = profile.endpoints().get(endpoint).output();
    long h = preprocessor.height();
    long w = preprocessor.width();
    long[] shape =
        profile.input().layout() == ModelProfile.Layout.NCHW
            ? new long[] {n, 3, h, w}
            : new long[] {n, h, w, 3};
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      OrtSession session = session(profile.graphFor(endpoint));
      long t0 = System.nanoTime();
      try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, shape);
          OrtSession.Result result =
              session.run(Map.of(profile.input().name(), tensor), Set.of(output))) {
        OnnxTensor values = (OnnxTensor) result.get(output).orElseThrow();
        List<Features> out = split(endpoint, values, n);
        times.inferred(n, System.nanoTime() - t0);
        return out;
      }
    } catch (OrtException e) {
      throw new MobileNetException(
          "ONNX Runtime failed on "
              + endpoint
              + " for "
              + n
              + " image(s), first "
              + first
              + ": "
              + e.getMessage(),
          e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** Splits a batch output [n, ...] into one Features per image. */
  private static List<Features> split(String endpoint, OnnxTensor output, int n) {
    long[] os = output.getInfo().getShape();
    int[] itemShape = new int[os.length - 1];
    int itemSize = 1;
    for (int d = 1; d < os.length; d++) {
      itemShape[d - 1] = Math.toIntExact(os[d]);
      itemSize *= itemShape[d - 1];
    }
    FloatBuffer values = output.getFloatBuffer(); // a heap copy of the native output
    if (n == 1
        && values.hasArray()
        && values.arrayOffset() == 0
        && values.array().length == itemSize) {
      return List.of(new Features(endpoint, itemShape, values.array())); // no second copy
    }
    List<Features> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[] v = new float[itemSize];
      values.get(i * itemSize, v);
      out.add(new Features(endpoint, itemShape, v));
    }
    return out;
  }

  /**
   * A direct buffer of exactly {@code floats} floats (ORT reads direct native-order buffers without
   * copying).
   */
  private FloatBuffer borrow(int floats) {
    FloatBuffer b = buffers.poll();
    if (b == null
        || b.capacity() < floats) { // a too-small one is dropped: the pool converges to the largest
      b =
          ByteBuffer.allocateDirect(floats * Float.BYTES)
              .order(ByteOrder.nativeOrder())
              .asFloatBuffer();
    }
    b.clear().limit(floats);
    return b;
  }

  private OrtSession session(ModelProfile.Graph graph) {
    OrtSession s = sessions.get(graph.file());
    return s != null ? s : openSession(graph);
  }

  private synchronized OrtSession openSession(ModelProfile.Graph graph) {
    ensureOpen();
    OrtSession s = sessions.get(graph.file());
    if (s != null) {
      return s;
    }
    byte[] model = profile.readVerified(graph.file(), graph.sha256());
    try (OrtSession.SessionOptions options = sessionOptions(intraOpThreads, spinning)) {
      s = env.createSession(model, options);
    } catch (OrtException e) {
      throw new ModelLoadException(
          "ONNX Runtime cannot load " + graph.file() + ": " + e.getMessage(), e);
    }
    try {
      checkAgainstProfile(s, graph);
    } catch (ModelLoadException e) {
      closeQuietly(s);
      throw e;
    }
    sessions.put(graph.file(), s);
    return s;
  }

  /**
   * The ONNX Runtime options this library runs its sessions with: all graph optimisations,
   * sequential execution, {@code intraOpThreads} threads, and whether idle pool threads spin.
   * Public so that benchmarks and custom runners can compare against exactly the same
   * configuration; the caller closes it.
   */
  public static OrtSession.SessionOptions sessionOptions(int intraOpThreads, boolean spinning)
      throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    try {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setIntraOpNumThreads(intraOpThreads);
      options.setInterOpNumThreads(1);
      options.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
      return options;
    } catch (OrtException | RuntimeException e) {
      options.close();
      throw e;
    }
  }

  /**
   * Catches profile mistakes (input name, layout, size, outputs) at load time, with the graph's
   * real names.
   */
  private void checkAgainstProfile(OrtSession s, ModelProfile.Graph graph) {
    String input = profile.input().name();
    try {
      NodeInfo info = s.getInputInfo().get(input);
      if (info == null) {
        throw new ModelLoadException(
            graph.file()
                + " has no input '"
                + input
                + "' (its inputs: "
                + String.join(", ", s.getInputNames())
                + "); fix input.name in the profile");
      }
      if (info.getInfo() instanceof TensorInfo t && t.getShape().length == 4) {
        long[] actual = t.getShape();
        long h = preprocessor.height();
        long w = preprocessor.width();
        boolean nchw = profile.input().layout() == ModelProfile.Layout.NCHW;
        long[] wanted = nchw ? new long[] {-1, 3, h, w} : new long[] {-1, h, w, 3};
        for (int d = 1; d < 4; d++) {
          if (actual[d] >= 0
              && actual[d] != wanted[d]) { // negative: a symbolic dimension, anything goes
            throw new ModelLoadException(
                graph.file()
                    + ": input '"
                    + input
                    + "' has shape "
                    + Arrays.toString(actual)
                    + " but the profile asks for "
                    + profile.input().layout()
                    + " "
                    + h
                    + "x"
                    + w
                    + " "
                    + Arrays.toString(wanted)
                    + " (-1 = any); fix input.layout or the input size");
          }
        }
      }
      List<String> missing = new ArrayList<>(graph.outputs());
      missing.removeAll(s.getOutputNames());
      if (!missing.isEmpty()) {
        throw new ModelLoadException(
            graph.file()
                + " lacks outputs the profile lists for it: "
                + missing
                + " (its outputs: "
                + String.join(", ", s.getOutputNames())
                + ")");
      }
    } catch (OrtException e) {
      throw new ModelLoadException(
          "ONNX Runtime cannot describe " + graph.file() + ": " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(OrtSession s) {
    try {
      s.close();
    } catch (OrtException e) {
      // already failing; the first error is the one to report
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("FeatureExtractor is closed");
    }
  }

  /** Waits for running inferences, then frees the ONNX Runtime sessions. Idempotent. */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
        sessions.values().forEach(FeatureExtractor::closeQuietly);
        sessions.clear();
        buffers.clear();
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  /** Settings; every one has a sensible default. */
  public static final class Builder {
    private ModelProfile profile;
    private Preprocessing preprocessing = Preprocessing.FULL;
    private ResizeFilter filter = ResizeFilter.ANTIALIAS;
    private int height;
    private int width;
    private long maxPixels = ImageDecoder.DEFAULT_MAX_PIXELS;
    private int background = ImageDecoder.DEFAULT_BACKGROUND;
    private boolean reducedDecode = true;
    private int maxBatch = DEFAULT_MAX_BATCH;
    private int intraOpThreads = Runtime.getRuntime().availableProcessors();
    private boolean spinning = DEFAULT_ALLOW_SPINNING;

    private Builder() {}

    /** A model profile; default: the bundled MobileNetV2. */
    public Builder profile(ModelProfile profile) {
      this.profile = profile;
      return this;
    }

    /** A model on the classpath by id, e.g. {@code "mobilenet_v1_0.5_160"}; see ModelRegistry. */
    public Builder model(String id) {
      return profile(ModelRegistry.profile(id));
    }

    /** Loads a profile JSON whose file names resolve against its folder. */
    public Builder profile(Path profileJson) {
      return profile(ModelProfile.load(profileJson));
    }

    /** Which part of the image reaches the network; default {@link Preprocessing#FULL}. */
    public Builder preprocessing(Preprocessing preprocessing) {
      this.preprocessing = java.util.Objects.requireNonNull(preprocessing);
      return this;
    }

    /**
     * Default {@link ResizeFilter#ANTIALIAS}; {@link ResizeFilter#BILINEAR} reproduces the
     * reference exactly.
     */
    public Builder resizeFilter(ResizeFilter filter) {
      this.filter = java.util.Objects.requireNonNull(filter);
      return this;
    }

    /** Network input size; default the profile's (224×224). The bundled model accepts any size. */
    public Builder inputSize(int height, int width) {
      if (height < 1 || width < 1) {
        throw new IllegalArgumentException("input size must be positive: " + height + "x" + width);
      }
      this.height = height;
      this.width = width;
      return this;
    }

    /** Images declaring more pixels are refused before decoding; default 100 M. */
    public Builder maxPixels(long maxPixels) {
      if (maxPixels < 1) {
        throw new IllegalArgumentException("maxPixels must be >= 1");
      }
      this.maxPixels = maxPixels;
      return this;
    }

    /** RGB (0xRRGGBB) that transparency is composited over; default white. */
    public Builder background(int rgb) {
      this.background = rgb;
      return this;
    }

    /**
     * Whether large images are first reduced by averaging k×k blocks (shorter side kept ≥ 3× the
     * input size) before the resize: an area average, so nothing aliases, and a 12 MP photo resizes
     * in ~5 ms instead of ~45. Default true; only applies with the antialiasing filter (the
     * reference bilinear filter must see every source pixel).
     */
    public Builder reducedDecode(boolean reducedDecode) {
      this.reducedDecode = reducedDecode;
      return this;
    }

    /** Images per inference call; larger lists are split. Default {@link #DEFAULT_MAX_BATCH}. */
    public Builder maxBatch(int maxBatch) {
      if (maxBatch < 1) {
        throw new IllegalArgumentException("maxBatch must be >= 1");
      }
      this.maxBatch = maxBatch;
      return this;
    }

    /** ONNX Runtime intra-op threads; default the number of processors. */
    public Builder intraOpThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be >= 1");
      }
      this.intraOpThreads = threads;
      return this;
    }

    /**
     * Whether ONNX Runtime's idle intra-op threads spin waiting for work (ONNX Runtime's own
     * default) or sleep. Default false here: spinning burns cores that decode threads and other
     * processes need, and on a busy machine halved throughput in our measurements
     * (docs/PERFORMANCE.md).
     */
    public Builder allowSpinning(boolean spinning) {
      this.spinning = spinning;
      return this;
    }

    /**
     * Creates the extractor and opens its first graph.
     *
     * @throws ModelLoadException when a model file is missing, has the wrong sha256, or does not
     *     match the profile
     */
    public FeatureExtractor build() {
      return new FeatureExtractor(this);
    }
  }
}
