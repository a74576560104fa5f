package io.github.mobilenet.demo.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.extract.StageTimes;
import io.github.mobilenet.core.image.ImageFiles;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.core.preprocess.Preprocessing;
import io.github.mobilenet.core.preprocess.ResizeFilter;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * {@code bench}: throughput of (a) raw ONNX Runtime {@code session.run} on a preallocated direct
 * tensor, (b) {@code extractFeatures} on in-memory images already at the input size, (c) the whole
 * pipeline from JPEG files, with the ratios (b)/(a) and (c)/(a) and where (c) spends its time.
 *
 * <p>(a) and (b) run in alternating rounds and report medians, so that load from other processes on
 * a shared machine hits both alike.
 */
final class BenchCommand implements Command {
  private static final int ROUNDS = 5;

  @Override
  public String name() {
    return "bench";
  }

  @Override
  public String usage() {
    return "bench [--images DIR] [--seconds S] [--batch N] [--threads N] [--decode-threads N] [--spin on|off]\n"
        + "      [--layer NAME] [--preprocess full|center-crop] [--resize antialias|bilinear] [--limit N] [--only abc]\n"
        + "  prints img/s and CPU ms per image of (a) raw ONNX Runtime session.run on a preallocated tensor, batch 1\n"
        + "  and N, (b) extractFeatures on in-memory images at the input size, (a') other graphs giving the layer,\n"
        + "  (c) end to end from the images in DIR (default ../shared/datasets/flowers17), with its decode /\n"
        + "  preprocess / inference split. --seconds: time per measurement (default 5); --batch: N (default 8);\n"
        + "  --threads: ONNX Runtime intra-op threads (default: cores); --spin: let idle ONNX Runtime threads spin\n"
        + "  (default off); --limit: use the first N files; --only: run some of the sections a, b, c";
  }

  @Override
  public int run(String[] argv, PrintStream out, PrintStream err) throws UsageException {
    Args a =
        Args.parse(
            argv,
            Set.of(
                "images",
                "seconds",
                "batch",
                "threads",
                "decode-threads",
                "spin",
                "layer",
                "preprocess",
                "resize",
                "limit",
                "only"),
            Set.of());
    int cores = Runtime.getRuntime().availableProcessors();
    Path dir = Path.of(a.get("images", "../shared/datasets/flowers17"));
    double seconds = a.getDouble("seconds", 5);
    if (!(seconds > 0)) {
      throw new UsageException("--seconds must be > 0");
    }
    int batch = a.getInt("batch", 8, 1, 1024);
    int threads = a.getInt("threads", cores, 1, 256);
    int decodeThreads = a.getInt("decode-threads", cores, 1, 256);
    Boolean spin =
        a.get(
            "spin",
            null,
            s ->
                switch (s) {
                  case "on", "true" -> Boolean.TRUE;
                  case "off", "false" -> Boolean.FALSE;
                  default ->
                      throw new IllegalArgumentException("expected on or off, got '" + s + "'");
                });
    String layer = a.get("layer", "pooled");
    int limit = a.getInt("limit", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
    String only = a.get("only", "abc");
    if (!only.matches("[abc]+")) {
      throw new UsageException("--only takes letters of abc, e.g. --only c");
    }
    if (!Files.isDirectory(dir)) {
      throw new UsageException("--images: no such folder " + dir.toAbsolutePath().normalize());
    }
    List<Path> files = ImageFiles.expand(List.of(dir), problem -> err.println("bench: " + problem));
    files = files.subList(0, Math.min(files.size(), limit));
    if (files.isEmpty()) {
      throw new UsageException("--images: no images in " + dir);
    }

    FeatureExtractor.Builder builder =
        FeatureExtractor.builder()
            .preprocessing(a.get("preprocess", Preprocessing.FULL, Preprocessing::parse))
            .resizeFilter(a.get("resize", ResizeFilter.ANTIALIAS, ResizeFilter::parse))
            .intraOpThreads(threads)
            .maxBatch(batch);
    if (spin != null) {
      builder.allowSpinning(spin);
    }
    try (FeatureExtractor fx = builder.build()) {
      String endpoint = fx.profile().resolve(layer);
      boolean spinning = spin != null ? spin : FeatureExtractor.DEFAULT_ALLOW_SPINNING;
      out.printf(
          "mobilenet bench: %d cores (load average %s at start), Java %s, ONNX Runtime intra-op threads %d, spinning %s,%n"
              + "  layer %s, batch %d, %s s per measurement%n",
          cores,
          loadAverage(),
          Runtime.version(),
          threads,
          spinning ? "on" : "off",
          layer,
          batch,
          fmt(seconds));
      double[] raw = {Double.NaN, Double.NaN};
      if (only.contains("a") || only.contains("b")) {
        raw = rawVersusExtract(fx, endpoint, files, batch, threads, spinning, seconds, out);
      }
      if (only.contains("c")) {
        endToEnd(fx, layer, dir, files, batch, decodeThreads, seconds, raw, out);
      }
      out.printf("  load average at end: %s%n", loadAverage());
      return OK;
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    } catch (OrtException e) {
      err.println("mobilenet bench: ONNX Runtime failed: " + e.getMessage());
      return SOME_FAILED;
    }
  }

  /**
   * (a) vs (b) at batch 1 and N, then (a) on every other graph that outputs the endpoint. Returns
   * (a)'s img/s and CPU ms per image at batch N.
   */
  private static double[] rawVersusExtract(
      FeatureExtractor fx,
      String endpoint,
      List<Path> files,
      int batch,
      int threads,
      boolean spinning,
      double seconds,
      PrintStream out)
      throws OrtException {
    int h = fx.preprocessor().height();
    int w = fx.preprocessor().width();
    List<BufferedImage> images =
        atInputSize(files.subList(0, Math.min(files.size(), Math.max(batch, 16))), w, h);
    float[] tensorData = tensors(fx, images, batch);
    ModelProfile profile = fx.profile();
    String output = profile.endpoints().get(endpoint).output();
    int[] sizes = batch == 1 ? new int[] {1} : new int[] {1, batch};

    out.printf(
        "%n(a) raw session.run, preallocated direct tensor [N, 3, %d, %d] -> %s   vs   (b) extractFeatures on %d×%d BufferedImages (TYPE_3BYTE_BGR)%n",
        h, w, output, w, h);
    out.println(
        "    graph                                 batch   (a) img/s   (b) img/s   (b)/(a)   CPU ms/img (a)   CPU ms/img (b)   CPU (a)/(b)");
    ModelProfile.Graph chosen = profile.graphFor(endpoint);
    double[] rawBatch = {Double.NaN, Double.NaN};
    for (int n : sizes) {
      double[][] ab;
      try (RawRunner raw =
          new RawRunner(
              profile,
              profile.readVerified(chosen.file(), chosen.sha256()),
              output,
              tensorData,
              n,
              h,
              w,
              threads,
              spinning)) {
        ab =
            alternate(
                seconds,
                raw,
                () -> {
                  if (n == 1) {
                    fx.extractFeatures(images.get(0), endpoint);
                  } else {
                    fx.extractFeatures(images.subList(0, n), endpoint);
                  }
                  return n;
                });
      }
      rawBatch = new double[] {median(ab[0]), median(ab[3])};
      out.printf(
          "    %-37s %5d   %9.1f   %9.1f   %7.3f   %14.2f   %14.2f   %11.3f%n",
          chosen.file(),
          n,
          median(ab[0]),
          median(ab[1]),
          median(ab[2]),
          median(ab[3]),
          median(ab[4]),
          median(ab[5]));
    }

    // Is the profile's graph the cheapest way to this endpoint? Compare it with every other graph
    // that
    // outputs it, and with itself pruned to this one output (the cheapest possible graph).
    Map<String, byte[]> rivals = new java.util.LinkedHashMap<>();
    for (ModelProfile.Graph g : profile.graphs()) {
      if (g != chosen && g.outputs().contains(output)) {
        rivals.put(
            g.file() + " (" + g.outputs().size() + " outputs)",
            profile.readVerified(g.file(), g.sha256()));
      }
    }
    byte[] chosenModel = profile.readVerified(chosen.file(), chosen.sha256());
    rivals.put(
        chosen.file().replace(".onnx", "") + " pruned to " + output,
        withOnlyOutput(chosenModel, output));
    out.printf(
        "%n(a') the profile's graph (%s, %d outputs) vs other graphs that give %s: raw session.run, alternating rounds%n",
        chosen.file(), chosen.outputs().size(), output);
    out.println(
        "    graph                                                   batch   img/s   vs chosen   CPU ms/img   CPU vs chosen");
    for (Map.Entry<String, byte[]> rival : rivals.entrySet()) {
      for (int n : sizes) {
        double[][] r;
        try (RawRunner x =
                new RawRunner(
                    profile, chosenModel, output, tensorData, n, h, w, threads, spinning);
            RawRunner y =
                new RawRunner(
                    profile, rival.getValue(), output, tensorData, n, h, w, threads, spinning)) {
          r = alternate(seconds, x, y);
        }
        out.printf(
            "    %-55s %5d   %5.1f   %9.3f   %10.2f   %13.3f%n",
            rival.getKey(), n, median(r[1]), median(r[2]), median(r[4]), median(r[5]));
      }
    }
    return rawBatch;
  }

  /**
   * (c): extractEach over the files for {@code seconds} (cycling if they run out), with the stage
   * split.
   */
  private static void endToEnd(
      FeatureExtractor fx,
      String layer,
      Path dir,
      List<Path> files,
      int batch,
      int decodeThreads,
      double seconds,
      double[] raw,
      PrintStream out) {
    out.printf(
        "%n(c) end to end: extractEach over the image files of %s (%d files), %d decode threads, batch %d, %s%n",
        dir,
        files.size(),
        decodeThreads,
        batch,
        fx.preprocessor().mode().cliName() + "/" + fx.preprocessor().filter().cliName());
    streamFor(fx, files, layer, decodeThreads, Math.min(2, seconds)); // warm-up
    StageTimes before = fx.stageTimes();
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    int[] counts = streamFor(fx, files, layer, decodeThreads, seconds);
    double wall = (System.nanoTime() - t0) / 1e9;
    StageTimes d = fx.stageTimes().minus(before);
    double cpuMs = (processCpuNanos() - cpu0) / 1e6 / Math.max(1, counts[0]);
    double rate = counts[0] / wall;
    out.printf(
        "    %d images in %.2f s: %.1f img/s, (c)/(a batch %d) = %s; CPU %.2f ms/img, CPU (a)/(c) = %s%s%n",
        counts[0],
        wall,
        rate,
        batch,
        Double.isNaN(raw[0]) ? "n/a" : String.format("%.3f", rate / raw[0]),
        cpuMs,
        Double.isNaN(raw[1]) ? "n/a" : String.format("%.3f", raw[1] / cpuMs),
        counts[1] > 0 ? " (" + counts[1] + " failed)" : "");
    double perImage = 1e6 * Math.max(1, d.prepared());
    out.printf(
        "    per image: decode %.2f ms CPU (%.2f ms elapsed), preprocess %.2f ms CPU (%.2f ms elapsed), inference %.2f ms"
            + " elapsed (batches of %.1f)%n",
        d.decodeCpuNanos() / perImage,
        d.decodeNanos() / perImage,
        d.preprocessCpuNanos() / perImage,
        d.preprocessNanos() / perImage,
        d.inferenceNanos() / (1e6 * Math.max(1, d.inferred())),
        (double) d.inferred() / Math.max(1, d.batches()));
    out.printf(
        "    share of wall time: inference %.0f %% (calling thread); decode + preprocess use %.2f cores on average%n",
        100 * d.inferenceNanos() / 1e9 / wall,
        (d.decodeNanos() + d.preprocessNanos()) / 1e9 / wall);
  }

  /**
   * Decodes the first files and scales them to exactly w×h, as a caller with ready images would
   * have them.
   */
  private static List<BufferedImage> atInputSize(List<Path> files, int w, int h) {
    List<BufferedImage> out = new ArrayList<>();
    for (Path f : files) {
      try {
        BufferedImage src = ImageIO.read(f.toFile());
        if (src == null) {
          continue;
        }
        BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = dst.createGraphics();
        g.setRenderingHint(
            RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        out.add(dst);
      } catch (IOException e) {
        // skip unreadable files; the end-to-end run reports them
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("none of the first images could be read");
    }
    while (out.size() < files.size()) {
      out.add(out.get(out.size() % out.size()));
    }
    return out;
  }

  /**
   * Real preprocessed data for the raw runs (the numbers do not change the speed, but stay
   * realistic).
   */
  private static float[] tensors(FeatureExtractor fx, List<BufferedImage> images, int n) {
    int per = fx.preprocessor().tensorSize();
    float[] all = new float[n * per];
    for (int i = 0; i < n; i++) {
      float[] t = fx.prepare(ImageSource.from(images.get(i % images.size()))).tensor();
      System.arraycopy(t, 0, all, i * per, per);
    }
    return all;
  }

  /** One unit of work that returns how many images it processed. */
  private interface Work {
    int run() throws Exception;
  }

  /**
   * A raw session on one graph with a preallocated direct input tensor of batch n: the baseline.
   */
  private static final class RawRunner implements Work, AutoCloseable {
    private final OrtSession session;
    private final OnnxTensor tensor;
    private final Map<String, OnnxTensor> inputs;
    private final Set<String> outputs;
    private final int n;

    RawRunner(
        ModelProfile profile,
        byte[] model,
        String output,
        float[] data,
        int n,
        int h,
        int w,
        int threads,
        boolean spinning)
        throws OrtException {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession.SessionOptions options = FeatureExtractor.sessionOptions(threads, spinning)) {
        session = env.createSession(model, options);
      }
      int per = 3 * h * w;
      FloatBuffer buf =
          ByteBuffer.allocateDirect(n * per * Float.BYTES)
              .order(ByteOrder.nativeOrder())
              .asFloatBuffer();
      buf.put(data, 0, n * per).rewind();
      long[] shape =
          profile.input().layout() == ModelProfile.Layout.NCHW
              ? new long[] {n, 3, h, w}
              : new long[] {n, h, w, 3};
      tensor = OnnxTensor.createTensor(env, buf, shape);
      inputs = Map.of(profile.input().name(), tensor);
      outputs = Set.of(output);
      this.n = n;
    }

    @Override
    public int run() throws OrtException {
      try (OrtSession.Result r = session.run(inputs, outputs)) {
        return n;
      }
    }

    @Override
    public void close() throws OrtException {
      tensor.close();
      session.close();
    }
  }

  /**
   * The ONNX model with every graph output but {@code keep} removed (protobuf wire format:
   * ModelProto field 7 is the graph, GraphProto field 12 its outputs, ValueInfoProto field 1 a
   * name). ONNX Runtime then drops the nodes that only fed the removed outputs.
   */
  static byte[] withOnlyOutput(byte[] model, String keep) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(model.length);
    forEachField(
        model,
        0,
        model.length,
        (field, start, valueStart, end) -> {
          if (field == 7) {
            java.io.ByteArrayOutputStream graph =
                new java.io.ByteArrayOutputStream(end - valueStart);
            forEachField(
                model,
                valueStart,
                end,
                (f, s, vs, e) -> {
                  if (f != 12 || keep.equals(valueInfoName(model, vs, e))) {
                    graph.write(model, s, e - s);
                  }
                });
            out.write(7 << 3 | 2);
            writeVarint(out, graph.size());
            out.writeBytes(graph.toByteArray());
          } else {
            out.write(model, start, end - start);
          }
        });
    return out.toByteArray();
  }

  private interface FieldVisitor {
    void visit(int field, int start, int valueStart, int end);
  }

  /** Calls {@code visitor} for each top-level field in [from, to): its number and byte ranges. */
  private static void forEachField(byte[] b, int from, int to, FieldVisitor visitor) {
    int[] p = {from};
    while (p[0] < to) {
      int start = p[0];
      long key = readVarint(b, p);
      int type = (int) (key & 7);
      int valueStart = p[0];
      switch (type) {
        case 0 -> readVarint(b, p);
        case 1 -> p[0] += 8;
        case 2 -> {
          int len = (int) readVarint(b, p);
          valueStart = p[0];
          p[0] += len;
        }
        case 5 -> p[0] += 4;
        default ->
            throw new IllegalArgumentException(
                "unsupported protobuf wire type " + type + " at " + start);
      }
      visitor.visit((int) (key >>> 3), start, valueStart, p[0]);
    }
  }

  private static String valueInfoName(byte[] b, int from, int to) {
    String[] name = {null};
    forEachField(
        b,
        from,
        to,
        (f, s, vs, e) -> {
          if (f == 1) {
            name[0] = new String(b, vs, e - vs, java.nio.charset.StandardCharsets.UTF_8);
          }
        });
    return name[0];
  }

  private static long readVarint(byte[] b, int[] p) {
    long v = 0;
    for (int shift = 0; ; shift += 7) {
      byte x = b[p[0]++];
      v |= (long) (x & 0x7F) << shift;
      if (x >= 0) {
        return v;
      }
    }
  }

  private static void writeVarint(java.io.ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) (v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.write((int) v);
  }

  /**
   * Runs x and y in alternating rounds of about a quarter second each (at least {@link #ROUNDS}
   * rounds; x first in even rounds, y first in odd ones), after a warm-up of each. Returns per
   * round: rate of x, rate of y, y/x, CPU ms per image of x and of y (process CPU time, all
   * threads), and CPU x/y. Medians over rounds resist bursts of load from other processes; CPU per
   * image barely moves with such load.
   */
  private static double[][] alternate(double seconds, Work x, Work y) {
    int rounds =
        Math.max(
            ROUNDS, (int) Math.round(4 * seconds)); // ~0.25 s slices: load bursts hit both sides
    double slice = seconds / rounds;
    measure(x, Math.min(1, slice));
    measure(y, Math.min(1, slice));
    double[][] r = new double[6][rounds];
    for (int i = 0; i < rounds; i++) {
      double[] mx;
      double[] my;
      if (i % 2 == 0) {
        mx = measure(x, slice);
        my = measure(y, slice);
      } else {
        my = measure(y, slice);
        mx = measure(x, slice);
      }
      r[0][i] = mx[0];
      r[1][i] = my[0];
      r[2][i] = my[0] / mx[0];
      r[3][i] = mx[1];
      r[4][i] = my[1];
      r[5][i] = mx[1] / my[1];
    }
    return r;
  }

  /**
   * {images per second, process CPU ms per image} of {@code work} repeated for about {@code
   * seconds}.
   */
  private static double[] measure(Work work, double seconds) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    long images = 0;
    try {
      do {
        images += work.run();
      } while (System.nanoTime() < end);
    } catch (Exception e) {
      throw new IllegalStateException("benchmark step failed: " + e, e);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    return new double[] {images / wall, (processCpuNanos() - cpu0) / 1e6 / images};
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return String.format(
          "%.2f",
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  /**
   * extractEach over the files (cycling) until {@code seconds} pass; returns {images, failures}.
   */
  private static int[] streamFor(
      FeatureExtractor fx, List<Path> files, String layer, int decodeThreads, double seconds) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    Iterator<ImageSource> sources =
        new Iterator<>() {
          int i;

          @Override
          public boolean hasNext() {
            return System.nanoTime() < end;
          }

          @Override
          public ImageSource next() { // may be asked once more right after the deadline passes
            return ImageSource.of(files.get(i++ % files.size()));
          }
        };
    int[] counts = new int[2];
    fx.extractEach(
        sources,
        layer,
        decodeThreads,
        r -> {
          counts[0]++;
          if (!r.ok()) {
            counts[1]++;
          }
        });
    return counts;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }
}
