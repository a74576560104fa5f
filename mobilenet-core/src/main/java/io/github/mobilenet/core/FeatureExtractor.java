package io.github.mobilenet.core;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.InputStream;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

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
 * <p>Layers are TF-Slim endpoint names: {@code layer_1} … {@code layer_19} (spatial maps [C, H, W]),
 * {@code layer_20} (alias of {@code layer_19}: slim's docstring counts one past its last endpoint),
 * {@code pooled} (1280-d global average of layer_19), {@code logits} and {@code probs} (1001 classes).
 *
 * <p>Thread-safe: share one instance. ONNX Runtime sessions are created lazily, one per graph file,
 * and input tensors live in pooled direct buffers. Close it to free native memory.
 */
public final class FeatureExtractor implements AutoCloseable {
  /** Images per inference call when a batch is larger. */
  public static final int DEFAULT_MAX_BATCH = 32;

  private final ModelProfile profile;
  private final ImageDecoder decoder;
  private final Preprocessor preprocessor;
  private final int decodeMinSide;
  private final int maxBatch;
  private final int intraOpThreads;
  private final OrtEnvironment env;
  private final Map<String, OrtSession> sessions = new HashMap<>();
  private final ConcurrentLinkedQueue<FloatBuffer> buffers = new ConcurrentLinkedQueue<>();
  private volatile List<String> labels;
  private volatile boolean closed;

  private FeatureExtractor(Builder b) {
    this.profile = b.profile != null ? b.profile : ModelProfile.mobileNetV2();
    this.decoder = new ImageDecoder(b.maxPixels, ImageDecoder.DEFAULT_MAX_FILE_BYTES, b.background);
    int h = b.height > 0 ? b.height : profile.input().height();
    int w = b.width > 0 ? b.width : profile.input().width();
    this.preprocessor = new Preprocessor(profile.input(), b.preprocessing, b.filter, h, w);
    // The reference filter must see every source pixel to reproduce the published numbers exactly.
    this.decodeMinSide = b.reducedDecode && b.filter == ResizeFilter.ANTIALIAS ? 2 * Math.max(h, w) : 0;
    this.maxBatch = b.maxBatch;
    this.intraOpThreads = b.intraOpThreads;
    this.env = OrtEnvironment.getEnvironment();
    // Open (and verify) the graph that serves the default endpoint now, so a missing or corrupt model
    // fails at construction, not at the first image.
    session(profile.graphFor(profile.endpoints().containsKey("pooled") ? "pooled" : profile.endpoints().keySet().iterator().next()));
  }

  /** The bundled MobileNetV2 with default settings. */
  public static FeatureExtractor create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public ModelProfile profile() {
    return profile;
  }

  public ImageDecoder decoder() {
    return decoder;
  }

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

  public Features extractFeatures(Path image, String layer) {
    return extractFeatures(ImageSource.of(image), layer);
  }

  public Features extractFeatures(BufferedImage image, String layer) {
    return extractFeatures(ImageSource.from(image), layer);
  }

  public Features extractFeatures(byte[] encoded, String layer) {
    return extractFeatures(ImageSource.from(encoded), layer);
  }

  /** Reads the stream fully; the caller closes it. */
  public Features extractFeatures(InputStream encoded, String layer) {
    return extractFeatures(ImageSource.from(encoded), layer);
  }

  public Features extractFeatures(ImageSource image, String layer) {
    return run(List.of(prepare(image)), layer).get(0);
  }

  // ---- batches ----------------------------------------------------------------------------------

  /**
   * One result per image, in order. Elements may be Path, File, byte[], InputStream, BufferedImage or
   * ImageSource. Images are decoded in parallel, then run in batches of up to {@code maxBatch}. The
   * first image that fails to decode throws its {@link ImageDecodeException}; use {@link #prepare} and
   * {@link #run} to handle failures per image.
   */
  public List<Features> extractFeatures(List<?> images, String layer) {
    List<ImageSource> sources = images.stream().map(ImageSource::from).toList();
    List<PreparedImage> prepared = (sources.size() > 1 ? sources.parallelStream() : sources.stream())
        .map(this::prepare).toList();
    return run(prepared, layer);
  }

  /**
   * Streams many images through decode → preprocess → batched inference with bounded memory: decoding
   * runs on {@code decodeThreads} worker threads, at most a few batches ahead, while inference runs on the
   * calling thread. {@code sink} gets one result per image, in input order, on the calling thread; a bad
   * image yields a result with its error and never stops the stream.
   */
  public void extractEach(Iterator<? extends ImageSource> images, String layer, int decodeThreads,
      Consumer<ExtractionResult> sink) {
    String endpoint = profile.resolve(layer);
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, decodeThreads), r -> {
      Thread t = new Thread(r, "mobilenet-decode");
      t.setDaemon(true);
      return t;
    });
    try {
      Deque<Map.Entry<ImageSource, Future<PreparedImage>>> window = new ArrayDeque<>();
      int ahead = 2 * maxBatch;
      List<Map.Entry<ImageSource, Object>> pending = new ArrayList<>(); // PreparedImage or MobileNetException
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
          outcome = e.getCause() instanceof MobileNetException m ? m
              : new ImageDecodeException(next.getKey().name(), ImageDecodeException.Reason.CORRUPT, String.valueOf(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new MobileNetException("interrupted", e);
        }
        pending.add(Map.entry(next.getKey(), outcome));
        if (ready == maxBatch || (!images.hasNext() && window.isEmpty())) {
          flush(pending, endpoint, sink);
          pending.clear();
          ready = 0;
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private void flush(List<Map.Entry<ImageSource, Object>> pending, String endpoint, Consumer<ExtractionResult> sink) {
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
        sink.accept(new ExtractionResult(e.getKey(), p.width(), p.height(), features.get(i++), null));
      } else {
        sink.accept(new ExtractionResult(e.getKey(), 0, 0, null, (MobileNetException) e.getValue()));
      }
    }
  }

  // ---- classification ---------------------------------------------------------------------------

  /** The {@code k} most probable classes, best first. Needs a profile with {@code probs} and labels. */
  public List<Classification> classify(ImageSource image, int k) {
    return classify(List.of(image), k).get(0);
  }

  public List<Classification> classify(Path image, int k) {
    return classify(ImageSource.of(image), k);
  }

  public List<List<Classification>> classify(List<?> images, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    if (!profile.endpoints().containsKey("probs")) {
      throw new IllegalArgumentException("model " + profile.id() + " has no 'probs' endpoint, which classify needs");
    }
    List<Features> probs = extractFeatures(images, "probs");
    List<String> names = labels();
    List<List<Classification>> out = new ArrayList<>(probs.size());
    for (Features f : probs) {
      out.add(Classifications.topK(f.values(), k, names));
    }
    return out;
  }

  /** Labels by class index (0 = background for the bundled model). */
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
    RgbImage rgb = decoder.decode(image, decodeMinSide);
    return new PreparedImage(image.name(), rgb.width(), rgb.height(), preprocessor.apply(rgb));
  }

  public PreparedImage prepare(Path image) {
    return prepare(ImageSource.of(image));
  }

  /** Runs inference on prepared images, in batches of up to {@code maxBatch}; one result per image. */
  public List<Features> run(List<PreparedImage> images, String layer) {
    String endpoint = profile.resolve(layer);
    List<Features> out = new ArrayList<>(images.size());
    for (int from = 0; from < images.size(); from += maxBatch) {
      out.addAll(runBatch(images.subList(from, Math.min(images.size(), from + maxBatch)), endpoint));
    }
    return out;
  }

  private List<Features> runBatch(List<PreparedImage> batch, String endpoint) {
    ensureOpen();
    ModelProfile.Endpoint ep = profile.endpoints().get(endpoint);
    OrtSession session = session(profile.graphFor(endpoint));
    int n = batch.size();
    int per = preprocessor.tensorSize();
    FloatBuffer input = borrow(n * per);
    try {
      for (int i = 0; i < n; i++) {
        float[] t = batch.get(i).tensor();
        if (t.length != per) {
          throw new IllegalArgumentException(batch.get(i).name() + ": prepared tensor has " + t.length
              + " floats, this extractor expects " + per);
        }
        input.put(i * per, t);
      }
      long h = preprocessor.height();
      long w = preprocessor.width();
      long[] shape = profile.input().layout() == ModelProfile.Layout.NCHW
          ? new long[] {n, 3, h, w} : new long[] {n, h, w, 3};
      try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, shape);
           OrtSession.Result result = session.run(Map.of(profile.input().name(), tensor), Set.of(ep.output()))) {
        OnnxTensor output = (OnnxTensor) result.get(ep.output()).orElseThrow();
        long[] os = output.getInfo().getShape();
        FloatBuffer values = output.getFloatBuffer();
        int[] itemShape = new int[os.length - 1];
        int itemSize = 1;
        for (int d = 1; d < os.length; d++) {
          itemShape[d - 1] = Math.toIntExact(os[d]);
          itemSize *= itemShape[d - 1];
        }
        List<Features> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          float[] v = new float[itemSize];
          values.get(i * itemSize, v);
          out.add(new Features(endpoint, itemShape, v));
        }
        return out;
      }
    } catch (OrtException e) {
      throw new MobileNetException("ONNX Runtime failed on " + endpoint + " for " + n + " image(s), first "
          + batch.get(0).name() + ": " + e.getMessage(), e);
    } finally {
      buffers.offer(input);
    }
  }

  /** A direct buffer of exactly {@code floats} floats (ORT reads direct native-order buffers without copying). */
  private FloatBuffer borrow(int floats) {
    FloatBuffer b = buffers.poll();
    if (b == null || b.capacity() < floats) {
      b = ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
    b.clear().limit(floats);
    return b;
  }

  private synchronized OrtSession session(ModelProfile.Graph graph) {
    ensureOpen();
    OrtSession s = sessions.get(graph.file());
    if (s == null) {
      byte[] model = profile.readVerified(graph.file(), graph.sha256());
      try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setIntraOpNumThreads(intraOpThreads);
        options.setInterOpNumThreads(1);
        s = env.createSession(model, options);
      } catch (OrtException e) {
        throw new ModelLoadException("ONNX Runtime cannot load " + graph.file() + ": " + e.getMessage(), e);
      }
      try {
        checkAgainstProfile(s, graph);
      } catch (ModelLoadException e) {
        closeQuietly(s);
        throw e;
      }
      sessions.put(graph.file(), s);
    }
    return s;
  }

  /** Catches profile mistakes (input name, layout, size, outputs) at load time, with the graph's real names. */
  private void checkAgainstProfile(OrtSession s, ModelProfile.Graph graph) {
    String input = profile.input().name();
    try {
      NodeInfo info = s.getInputInfo().get(input);
      if (info == null) {
        throw new ModelLoadException(graph.file() + " has no input '" + input + "' (its inputs: "
            + String.join(", ", s.getInputNames()) + "); fix input.name in the profile");
      }
      if (info.getInfo() instanceof TensorInfo t && t.getShape().length == 4) {
        long[] actual = t.getShape();
        long h = preprocessor.height();
        long w = preprocessor.width();
        boolean nchw = profile.input().layout() == ModelProfile.Layout.NCHW;
        long[] wanted = nchw ? new long[] {-1, 3, h, w} : new long[] {-1, h, w, 3};
        for (int d = 1; d < 4; d++) {
          if (actual[d] >= 0 && actual[d] != wanted[d]) { // negative: a symbolic dimension, anything goes
            throw new ModelLoadException(graph.file() + ": input '" + input + "' has shape " + Arrays.toString(actual)
                + " but the profile asks for " + profile.input().layout() + " " + h + "x" + w + " "
                + Arrays.toString(wanted) + " (-1 = any); fix input.layout or the input size");
          }
        }
      }
      List<String> missing = new ArrayList<>(graph.outputs());
      missing.removeAll(s.getOutputNames());
      if (!missing.isEmpty()) {
        throw new ModelLoadException(graph.file() + " lacks outputs the profile lists for it: " + missing
            + " (its outputs: " + String.join(", ", s.getOutputNames()) + ")");
      }
    } catch (OrtException e) {
      throw new ModelLoadException("ONNX Runtime cannot describe " + graph.file() + ": " + e.getMessage(), e);
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

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (OrtSession s : sessions.values()) {
      try {
        s.close();
      } catch (OrtException e) {
        // nothing useful to do while closing
      }
    }
    sessions.clear();
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

    private Builder() {}

    /** A model profile; default: the bundled MobileNetV2. */
    public Builder profile(ModelProfile profile) {
      this.profile = profile;
      return this;
    }

    /** Loads a profile JSON whose file names resolve against its folder. */
    public Builder profile(Path profileJson) {
      return profile(ModelProfile.load(profileJson));
    }

    /** Default {@link Preprocessing#FULL} (see docs/QUALITY.md for why). */
    public Builder preprocessing(Preprocessing preprocessing) {
      this.preprocessing = preprocessing;
      return this;
    }

    /** Default {@link ResizeFilter#ANTIALIAS}; {@link ResizeFilter#BILINEAR} reproduces the reference exactly. */
    public Builder resizeFilter(ResizeFilter filter) {
      this.filter = filter;
      return this;
    }

    /** Network input size; default the profile's (224×224). The bundled model accepts any size. */
    public Builder inputSize(int height, int width) {
      this.height = height;
      this.width = width;
      return this;
    }

    /** Images declaring more pixels are refused before decoding; default 100 M. */
    public Builder maxPixels(long maxPixels) {
      this.maxPixels = maxPixels;
      return this;
    }

    /** RGB (0xRRGGBB) that transparency is composited over; default white. */
    public Builder background(int rgb) {
      this.background = rgb;
      return this;
    }

    /**
     * Whether large images are subsampled while decoding (shorter side kept ≥ 2× the input size).
     * Default true; only applies with the antialiasing filter.
     */
    public Builder reducedDecode(boolean reducedDecode) {
      this.reducedDecode = reducedDecode;
      return this;
    }

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

    public FeatureExtractor build() {
      return new FeatureExtractor(this);
    }
  }
}
