package io.github.mobilenet.core.extract;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.mobilenet.core.image.ImageDecodeException;
import io.github.mobilenet.core.image.ImageDecoder;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.image.RgbImage;
import io.github.mobilenet.core.model.ModelLoadException;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.core.model.ModelRegistry;
import io.github.mobilenet.core.preprocess.InputSize;
import io.github.mobilenet.core.preprocess.PreparedImage;
import io.github.mobilenet.core.preprocess.Preprocessing;
import io.github.mobilenet.core.preprocess.Preprocessor;
import io.github.mobilenet.core.preprocess.ResizeFilter;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

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
 * <p>Several layers come from one pass with {@link #extractFeatures(ImageSource, Set)} (a map layer
 * → features, equal to one-layer calls exactly). The input size is the profile's unless the builder
 * sets an exact {@link Builder#inputSize(int, int) height × width} or a {@link
 * Builder#shorterSide(int) shorter side} with the aspect ratio kept; {@link #inputSize()} says
 * which, for recording beside the features. {@link EndpointDump} writes every endpoint of one
 * image.
 *
 * <p>Thread-safe: share one instance. ONNX Runtime sessions open lazily, one per graph file (the
 * graph serving {@code pooled} opens, and is verified, at construction). Images are preprocessed
 * straight into pooled direct buffers that ONNX Runtime reads without copying. {@link #close()}
 * waits for running inferences, then frees native memory.
 *
 * <p>Failures are {@link io.github.mobilenet.core.MobileNetException}s with a typed code: a bad
 * image is an {@link ImageDecodeException}, a bad model a {@link ModelLoadException}.
 *
 * <p>This class is a facade; package-private parts with one job each do the work: {@code
 * BatchPreparer} (decode and preprocess into a batch tensor), {@code BatchRunner} (one inference
 * per batch and input size), {@code LayerRequest} (the layers a call asks for), {@code
 * TensorBuffers} (pooled input buffers), {@code Inference} over {@code GraphSessions} (verified
 * ONNX Runtime sessions), {@code StreamingExtraction} ({@link #extractEach}) and {@code
 * Classifier}.
 */
public final class FeatureExtractor implements AutoCloseable {
  /**
   * Images per inference call when a batch is larger. 8 rather than more: on MobileNetV2 larger
   * batches ran slower (raw batch 8 / 16 / 32: 362 / 344 / 327 img/s on 2 cores, one run) and each
   * concurrent call holds its batch's activations (the index job on 10 000 photos: 46 s and 1.18
   * GiB peak RSS at 8, 53 s and 1.91 GiB at 32; docs/PERFORMANCE.md).
   */
  public static final int DEFAULT_MAX_BATCH = 8;

  /** Whether ONNX Runtime's idle threads spin by default (see {@link Builder#allowSpinning}). */
  public static final boolean DEFAULT_ALLOW_SPINNING = false;

  private final ModelProfile profile;
  private final ImageDecoder decoder;
  private final Preprocessors preprocessors;
  private final Preprocessor preprocessor;
  private final int maxBatch;
  private final StageTimes.Recorder times = new StageTimes.Recorder();
  private final BatchPreparer preparer;
  private final TensorBuffers buffers = new TensorBuffers();
  private final Inference inference;
  private final BatchRunner runner;
  private final Classifier classifier;
  private final InputSize size;
  private final int intraOpThreads;
  private final boolean spinning;
  // Sessions for streaming lanes, by intra-op threads per lane; see laneRunner.
  private final Map<Integer, Inference> laneInference = new HashMap<>(); // guarded by this
  private boolean closed; // guarded by this

  private FeatureExtractor(Builder b) {
    this.profile = b.profile != null ? b.profile : ModelProfile.mobileNetV2();
    this.decoder = new ImageDecoder(b.maxPixels, ImageDecoder.DEFAULT_MAX_FILE_BYTES, b.background);
    InputSize size =
        b.size != null
            ? b.size
            : InputSize.exact(profile.input().height(), profile.input().width());
    this.preprocessors = new Preprocessors(profile.input(), b.preprocessing, b.filter, size);
    this.preprocessor = preprocessors.reference();
    // The reference filter must see every source pixel to reproduce the published numbers exactly.
    // Block averages down to 3x the input size change pooled features by cosine < 0.001 even on
    // pure noise (2x: 0.0013; taking every k-th pixel instead: 0.2). See docs/PERFORMANCE.md.
    // For a shorter side S the reduction keeps the shorter side >= 3S, so the longer one stays 3x
    // its own target too.
    int decodeMinSide =
        b.reducedDecode && b.filter == ResizeFilter.ANTIALIAS
            ? 3 * (size.isExact() ? Math.max(size.height(), size.width()) : size.shorterSide())
            : 0;
    this.maxBatch = b.maxBatch;
    this.size = size;
    this.intraOpThreads = b.intraOpThreads;
    this.spinning = b.spinning;
    this.preparer = new BatchPreparer(decoder, preprocessors, decodeMinSide, times);
    this.inference = new Inference(profile, sessions(intraOpThreads), times);
    this.runner = new BatchRunner(preparer, buffers, inference, maxBatch, size.isExact());
    this.classifier = new Classifier(profile);
    // Open and verify a graph now, so that a missing or corrupt model fails here, not at the first
    // image.
    inference.open(
        profile.endpoints().containsKey("pooled")
            ? "pooled"
            : profile.endpoints().keySet().iterator().next());
  }

  private GraphSessions sessions(int threads) {
    return size.isExact()
        ? new GraphSessions(profile, size.height(), size.width(), threads, spinning)
        : new GraphSessions(profile, -1, -1, threads, spinning);
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

  /**
   * The preprocessing it applies (mode, filter, input size). With a shorter side S (see {@link
   * #inputSize()}) its size is S × S; images of another aspect get a preprocessor of their size.
   */
  public Preprocessor preprocessor() {
    return preprocessor;
  }

  /**
   * How big the network input is: the profile's size unless the builder set another. Record its
   * {@link InputSize#spec()} beside features so that they are compared only with features made at
   * the same size.
   */
  public InputSize inputSize() {
    return preprocessors.size();
  }

  /** The network input {@code {height, width}} this extractor uses for an image of that size. */
  public int[] inputSizeFor(int imageWidth, int imageHeight) {
    Preprocessor p = preprocessors.forImage(imageWidth, imageHeight);
    return new int[] {p.height(), p.width()};
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
    String endpoint = profile.resolve(layer);
    return extractBatch(List.of(image), List.of(endpoint)).get(0).get(endpoint);
  }

  // ---- several layers in one pass ---------------------------------------------------------------

  /**
   * Several layers of an image file in one pass; see {@link #extractFeatures(ImageSource, Set)}.
   */
  public Map<String, Features> extractFeatures(Path image, Set<String> layers) {
    return extractFeatures(ImageSource.of(image), layers);
  }

  /** Several layers of a decoded image in one pass (taken as it is, like the one-layer form). */
  public Map<String, Features> extractFeatures(BufferedImage image, Set<String> layers) {
    return extractFeatures(ImageSource.from(image), layers);
  }

  /** Several layers of encoded image bytes in one pass. */
  public Map<String, Features> extractFeatures(byte[] encoded, Set<String> layers) {
    return extractFeatures(ImageSource.from(encoded), layers);
  }

  /** Several layers of an encoded image read from a stream (read fully; the caller closes it). */
  public Map<String, Features> extractFeatures(InputStream encoded, Set<String> layers) {
    return extractFeatures(ImageSource.from(encoded), layers);
  }

  /**
   * Features of one image at several layers, computed by one run of one graph with all of them as
   * outputs. Keys are the caller's names in the caller's set order (an alias stays the key; its
   * {@link Features#layer()} is the endpoint). Each value equals what {@link
   * #extractFeatures(ImageSource, String)} returns for that layer, exactly.
   *
   * @throws ImageDecodeException when the image cannot be decoded (names the input and the reason)
   * @throws IllegalArgumentException for an empty set or an unknown layer (the message lists the
   *     model's endpoints)
   */
  public Map<String, Features> extractFeatures(ImageSource image, Set<String> layers) {
    LayerRequest request = LayerRequest.of(profile, layers);
    return request.keyed(extractBatch(List.of(image), request.endpoints()).get(0));
  }

  /**
   * Several layers per image, in order, in batches as {@link #extractFeatures(List, String)}: one
   * graph run per batch computes every requested layer.
   *
   * @throws IllegalArgumentException for an empty set or an unknown layer, before any image is read
   */
  public List<Map<String, Features>> extractFeatures(List<?> images, Set<String> layers) {
    LayerRequest request = LayerRequest.of(profile, layers);
    List<ImageSource> sources = images.stream().map(ImageSource::from).toList();
    List<Map<String, Features>> out = new ArrayList<>(sources.size());
    for (int from = 0; from < sources.size(); from += maxBatch) {
      List<ImageSource> batch = sources.subList(from, Math.min(sources.size(), from + maxBatch));
      extractBatch(batch, request.endpoints()).forEach(m -> out.add(request.keyed(m)));
    }
    return out;
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
    return only(endpoint, extractFeatures(images, Set.of(endpoint)));
  }

  /** Each image's features at one endpoint, from results keyed by that endpoint (mutable list). */
  private static List<Features> only(String endpoint, List<Map<String, Features>> results) {
    List<Features> out = new ArrayList<>(results.size());
    results.forEach(m -> out.add(m.get(endpoint)));
    return out;
  }

  /** One inference per input size over a batch; per image, endpoint → features. */
  private List<Map<String, Features>> extractBatch(
      List<ImageSource> batch, List<String> endpoints) {
    return runner.extract(batch, endpoints);
  }

  /**
   * The runner for one of {@code lanes} batches that run at once: its sessions get an equal share
   * of the intra-op threads (at least one), so that the lanes together use the cores without
   * oversubscribing them. One lane gets this extractor's own sessions. Lane sessions open on first
   * use and close with the extractor.
   */
  BatchRunner laneRunner(int lanes) {
    int threads = Math.max(1, intraOpThreads / Math.max(1, lanes));
    if (threads == intraOpThreads) {
      return runner;
    }
    Inference lane;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("FeatureExtractor is closed");
      }
      lane =
          laneInference.computeIfAbsent(threads, t -> new Inference(profile, sessions(t), times));
    }
    return new BatchRunner(preparer, buffers, lane, maxBatch, size.isExact());
  }

  /** Prepared images grouped by input size, in batches; results in input order. */
  List<Map<String, Features>> runPrepared(List<PreparedImage> images, List<String> endpoints) {
    return runner.runPrepared(images, endpoints);
  }

  /**
   * Streams many images through decode → preprocess → batched inference with bounded memory. With
   * {@code decodeThreads} above 1 (and more than one core) each thread, up to one per core and 8
   * ({@link #streamingLanes}), is a lane: it decodes and preprocesses a batch, then runs it on a
   * session with its share of the intra-op threads, while the other lanes do the same; at most two
   * batches per lane are in flight. That keeps every core on one task at a time, which measured
   * 7-25 % faster in fp32 and 17-42 % in int8 than overlapping decode threads with an inference
   * spread over all cores (docs/PERFORMANCE.md). With one thread, or a stream of a single batch,
   * decoding runs ahead on the worker threads and inference on the calling thread with all the
   * intra-op threads. Features are the same either way, float for float (ONNX Runtime's threads
   * split outputs between them, not sums; tested). {@code sink} gets one result per image, in input
   * order, on the calling thread; a bad image yields a result with its error and never stops the
   * stream.
   *
   * @throws IllegalArgumentException for an unknown layer, before any image is read
   */
  public void extractEach(
      Iterator<? extends ImageSource> images,
      String layer,
      int decodeThreads,
      Consumer<ExtractionResult> sink) {
    String endpoint = profile.resolve(layer);
    extractEach(images, Set.of(endpoint), decodeThreads, r -> sink.accept(r.only(endpoint)));
  }

  /**
   * How many lanes {@link #extractEach(Iterator, String, int, Consumer)} runs with {@code
   * decodeThreads} threads on this machine: one per thread, at most one per core and 8 (each
   * running lane holds a batch's activations). 1 means decoding overlapped with one inference on
   * all the intra-op threads.
   */
  public static int streamingLanes(int decodeThreads) {
    return StreamingExtraction.lanes(decodeThreads);
  }

  /**
   * {@link #extractEach(Iterator, String, int, Consumer)} for several layers: one graph run per
   * batch computes them all; each result maps the caller's layer names, in their order, to
   * features.
   *
   * @throws IllegalArgumentException for an empty set or an unknown layer, before any image is read
   */
  public void extractEach(
      Iterator<? extends ImageSource> images,
      Set<String> layers,
      int decodeThreads,
      Consumer<MultiLayerResult> sink) {
    LayerRequest request = LayerRequest.of(profile, layers);
    new StreamingExtraction(this, request, maxBatch, sink).run(images, decodeThreads);
  }

  /**
   * {@link #extractEach(Iterator, String, int, Consumer)} with per-image work on the same decoded
   * pixels: {@code alongside} runs on the worker threads right after each decode (so it adds no
   * second decode and runs in parallel like decoding), and {@code sink} gets each result with its
   * value (null when the image failed). An exception from {@code alongside} fails that image.
   *
   * @param <T> what {@code alongside} makes of an image
   * @throws IllegalArgumentException for an unknown layer, before any image is read
   */
  public <T> void extractEach(
      Iterator<? extends ImageSource> images,
      String layer,
      int decodeThreads,
      Function<RgbImage, T> alongside,
      BiConsumer<ExtractionResult, T> sink) {
    String endpoint = profile.resolve(layer);
    LayerRequest request = LayerRequest.of(profile, Set.of(endpoint));
    @SuppressWarnings("unchecked")
    BiConsumer<MultiLayerResult, Object> typed =
        (r, extra) -> sink.accept(r.only(endpoint), (T) extra);
    new StreamingExtraction(this, request, maxBatch, alongside, typed).run(images, decodeThreads);
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
    classifier.check(k);
    return classifier.topK(extractFeatures(images, "probs"), k);
  }

  /**
   * Labels by class index (0 = background for the bundled model); empty when the profile has none.
   */
  public List<String> labels() {
    return classifier.labels();
  }

  // ---- pipeline pieces --------------------------------------------------------------------------

  /** Decodes and preprocesses one image (no inference); safe to call from many threads. */
  public PreparedImage prepare(ImageSource image) {
    return preparer.prepare(image);
  }

  /** {@link #prepare(ImageSource)}, handing the decoded pixels to {@code decoded} first. */
  PreparedImage prepare(ImageSource image, Consumer<RgbImage> decoded) {
    return preparer.prepare(image, decoded);
  }

  /** Decodes and preprocesses an image file. */
  public PreparedImage prepare(Path image) {
    return prepare(ImageSource.of(image));
  }

  /**
   * Runs inference on prepared images, in batches of up to {@code maxBatch} (grouped by input size
   * when the shorter side is given); one result per image, in order.
   *
   * @throws IllegalArgumentException for an unknown layer, or a tensor prepared for other settings
   */
  public List<Features> run(List<PreparedImage> images, String layer) {
    String endpoint = profile.resolve(layer);
    return only(endpoint, runPrepared(images, List.of(endpoint)));
  }

  /**
   * Several layers per prepared image in one pass per batch; see {@link
   * #extractFeatures(ImageSource, Set)}.
   */
  public List<Map<String, Features>> run(List<PreparedImage> images, Set<String> layers) {
    LayerRequest request = LayerRequest.of(profile, layers);
    List<Map<String, Features>> out = new ArrayList<>(images.size());
    runPrepared(images, request.endpoints()).forEach(m -> out.add(request.keyed(m)));
    return out;
  }

  /** Time spent so far in each stage, summed over all threads (see {@link StageTimes}). */
  public StageTimes stageTimes() {
    return times.snapshot();
  }

  /**
   * The ONNX Runtime options this library runs its sessions with: all graph optimisations,
   * sequential execution, {@code intraOpThreads} threads, and whether idle pool threads spin.
   * Public so that benchmarks and custom runners can compare against exactly the same
   * configuration; the caller closes it.
   */
  public static OrtSession.SessionOptions sessionOptions(int intraOpThreads, boolean spinning)
      throws OrtException {
    return GraphSessions.options(intraOpThreads, spinning);
  }

  /** Waits for running inferences, then frees the ONNX Runtime sessions. Idempotent. */
  @Override
  public void close() {
    inference.close();
    synchronized (this) {
      closed = true;
      laneInference.values().forEach(Inference::close);
      laneInference.clear();
    }
    buffers.clear();
  }

  /** Settings; every one has a sensible default. */
  public static final class Builder {
    private ModelProfile profile;
    private Preprocessing preprocessing = Preprocessing.FULL;
    private ResizeFilter filter = ResizeFilter.ANTIALIAS;
    private InputSize size;
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

    /**
     * Network input size for every image; default the profile's (224×224). The bundled model
     * accepts any size; a model whose graph fixes its input size refuses any other at {@link
     * #build()} ({@link ModelLoadException.Reason#FIXED_INPUT_SIZE}).
     */
    public Builder inputSize(int height, int width) {
      if (height < 1 || width < 1) {
        throw new IllegalArgumentException("input size must be positive: " + height + "x" + width);
      }
      return inputSize(InputSize.exact(height, width));
    }

    /**
     * Each image's shorter side scaled to {@code side}, the other side by the image's aspect ratio
     * (rounded): a size per image, so batches run grouped by size. With {@link
     * Preprocessing#CENTER_CROP} (a square crop) that is {@code side × side}. Replaces {@link
     * #inputSize(int, int)}; needs a model that accepts any input size.
     */
    public Builder shorterSide(int side) {
      if (side < 1) {
        throw new IllegalArgumentException("shorter side must be positive: " + side);
      }
      return inputSize(InputSize.shorterSide(side));
    }

    /** Either form of input size; null restores the profile's. */
    public Builder inputSize(InputSize size) {
      this.size = size;
      return this;
    }

    /** Images declaring more pixels are refused before decoding; default 100 M. */
    public Builder maxPixels(long maxPixels) {
      this.maxPixels = atLeastOne(maxPixels, "maxPixels");
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
      this.maxBatch = (int) atLeastOne(maxBatch, "maxBatch");
      return this;
    }

    /** ONNX Runtime intra-op threads; default the number of processors. */
    public Builder intraOpThreads(int threads) {
      this.intraOpThreads = (int) atLeastOne(threads, "threads");
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

    private static long atLeastOne(long value, String name) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be >= 1");
      }
      return value;
    }
  }
}
