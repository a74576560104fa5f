package io.github.mobilenet.demo.cli;

import ai.onnxruntime.OrtException;
import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.extract.StageTimes;
import io.github.mobilenet.core.image.ImageFiles;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.core.model.ModelRegistry;
import io.github.mobilenet.core.model.OnnxGraphs;
import io.github.mobilenet.core.preprocess.Preprocessing;
import io.github.mobilenet.core.preprocess.ResizeFilter;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench}: throughput of (a) raw ONNX Runtime {@code session.run} on a preallocated direct
 * tensor, (b) {@code extractFeatures} on in-memory images already at the input size, (c) the whole
 * pipeline from JPEG files, with the ratios (b)/(a) and (c)/(a) and where (c) spends its time.
 *
 * <p>(a) and (b) run in alternating rounds and report medians ({@link BenchRounds}), so that load
 * from other processes on a shared machine hits both alike.
 */
@Command(
    name = "bench",
    sortOptions = false,
    description = {
      "Speed: raw ONNX Runtime vs extractFeatures vs end to end vs a naive Java pipeline.",
      "Prints img/s and CPU ms per image of (a) raw ONNX Runtime session.run on a preallocated"
          + " tensor, batch 1 and N, (b) extractFeatures on in-memory images at the input size,"
          + " (a') other graphs giving the layer, (c) end to end from the images in DIR, with its"
          + " decode / preprocess / inference split, (n) the naive pipeline (ImageIO, Graphics2D,"
          + " float[][][][], one image per run) on the same files, (l) per-image ms on generated"
          + " 12 MP phone photos, library vs naive, (i) the index job vs its extraction pipeline;"
          + " with --model, (a) (b) (c) again for that model. Ends with one JSON line of the figures (img/s, or ms where named _ms)."
    })
final class BenchCommand extends CliCommand {
  /** The decoder's switch for libjpeg-turbo (docs/PERFORMANCE.md). */
  private static final String TURBOJPEG = "mobilenet.turbojpeg";

  @Option(
      names = "--images",
      paramLabel = "DIR",
      defaultValue = "../shared/datasets/flowers17",
      description = "Images to read (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(
      names = "--seconds",
      paramLabel = "S",
      defaultValue = "5",
      description = "Time per measurement (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--batch",
      paramLabel = "N",
      defaultValue = "8",
      description = "Batch N, 1..1024 (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "ONNX Runtime intra-op threads, 1..256 (default: the number of cores).")
  Integer threads;

  @Option(
      names = "--decode-threads",
      paramLabel = "N",
      description = "Decode threads of (c), 1..256 (default: the number of cores).")
  Integer decodeThreads;

  @Option(
      names = "--spin",
      paramLabel = "on|off",
      converter = BenchCommand.OnOff.class,
      description = "Let idle ONNX Runtime threads spin (default: off).")
  Boolean spin;

  @Option(
      names = "--layer",
      paramLabel = "NAME",
      defaultValue = "pooled",
      description = "Layer to extract (default: ${DEFAULT-VALUE}).")
  String layer;

  @Mixin PreprocessOptions imagePrep = new PreprocessOptions();

  @Option(names = "--limit", paramLabel = "N", description = "Use the first N files only.")
  Integer limit;

  @Option(
      names = "--only",
      paramLabel = "abcnli",
      defaultValue = "abcnli",
      description =
          "Run some of the sections a, b, c, n (naive), l (large photos), i (index job)"
              + " (default: all).")
  String only;

  @Option(
      names = "--model",
      paramLabel = "ID",
      description =
          "Also measure (a) (b) (c) with this model next to the default one, e.g."
              + " mobilenet_v2_1.0_224_int8.")
  String model;

  @Option(
      names = "--large-photos",
      paramLabel = "N",
      defaultValue = "6",
      description = "12 MP JPEGs to generate for (l), 1..100 (default: ${DEFAULT-VALUE}).")
  int largePhotos;

  /** on/true or off/false. */
  static final class OnOff implements picocli.CommandLine.ITypeConverter<Boolean> {
    @Override
    public Boolean convert(String s) {
      return switch (s) {
        case "on", "true" -> Boolean.TRUE;
        case "off", "false" -> Boolean.FALSE;
        default -> throw new IllegalArgumentException("expected on or off, got '" + s + "'");
      };
    }
  }

  @Override
  public Integer call() throws UsageException {
    PrintStream out = out();
    int cores = Runtime.getRuntime().availableProcessors();
    if (!(seconds > 0)) {
      throw new UsageException("--seconds must be > 0");
    }
    int batch = Check.range("--batch", this.batch, 8, 1, 1024);
    int threads = Check.range("--threads", this.threads, cores, 1, 256);
    int decodeThreads = Check.range("--decode-threads", this.decodeThreads, cores, 1, 256);
    int limit = Check.range("--limit", this.limit, Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
    if (!only.matches("[abcnli]+")) {
      throw new UsageException("--only takes letters of abcnli, e.g. --only c");
    }
    int largeCount = Check.range("--large-photos", this.largePhotos, 6, 1, 100);
    if (model != null && !ModelRegistry.contains(model)) {
      throw new UsageException(
          "--model: no model '" + model + "'; on the classpath: " + ModelRegistry.ids());
    }
    boolean second = model != null && !model.equals(ModelRegistry.DEFAULT_ID);
    if (!Files.isDirectory(dir)) {
      throw new UsageException("--images: no such folder " + dir.toAbsolutePath().normalize());
    }
    List<Path> files =
        ImageFiles.expand(List.of(dir), problem -> err().println("bench: " + problem));
    files = files.subList(0, Math.min(files.size(), limit));
    if (files.isEmpty()) {
      throw new UsageException("--images: no images in " + dir);
    }

    Map<String, Object> figures = new LinkedHashMap<>();
    try (FeatureExtractor fx = builder(null, threads, batch).build()) {
      String endpoint = fx.profile().resolve(layer);
      boolean spinning = spin != null ? spin : FeatureExtractor.DEFAULT_ALLOW_SPINNING;
      String loadAtStart = BenchRounds.loadAverage();
      out.printf(
          "mobilenet bench: %d cores (load average %s at start), Java %s, ONNX Runtime intra-op threads %d, spinning %s,%n"
              + "  layer %s, batch %d, %s s per measurement, model %s%s%n  JPEG decoding: %s%n",
          cores,
          loadAtStart,
          Runtime.version(),
          threads,
          spinning ? "on" : "off",
          layer,
          batch,
          fmt(seconds),
          fx.profile().id(),
          second ? " and " + model : "",
          fx.decoder().jpegDecoder());
      String tag = "batch" + batch;
      RawFigures raw = RawFigures.NONE;
      if (only.contains("a") || only.contains("b")) {
        raw =
            rawVersusExtract(
                fx, endpoint, files, batch, threads, decodeThreads, spinning, seconds, true, out);
        BenchFigures.putIf(figures, only.contains("a"), "raw_" + tag, raw.rate());
        BenchFigures.putIf(figures, only.contains("b"), "extract_" + tag, raw.extractRate());
        BenchFigures.putIf(
            figures,
            only.contains("a") && raw.hasLanes(),
            "raw_" + tag + "_lanes",
            raw.lanesRate());
      }
      if (only.contains("c")) {
        figures.put(
            "end_to_end", endToEnd(fx, layer, dir, files, batch, decodeThreads, seconds, raw, out));
      }
      if (only.contains("n")) {
        figures.put(
            "naive",
            BenchBaselines.naive(fx, endpoint, files, threads, spinning, seconds, figures, out));
      }
      if (second) {
        String suffix = model.endsWith("_int8") ? "int8" : model.replaceAll("[^A-Za-z0-9]", "_");
        try (FeatureExtractor other = builder(model, threads, batch).build()) {
          String otherEndpoint = other.profile().resolve(layer);
          out.printf("%n=== model %s ===%n", model);
          RawFigures otherRaw = RawFigures.NONE;
          if (only.contains("a") || only.contains("b")) {
            otherRaw =
                rawVersusExtract(
                    other,
                    otherEndpoint,
                    files,
                    batch,
                    threads,
                    decodeThreads,
                    spinning,
                    seconds,
                    false,
                    out);
          }
          if (only.contains("c")) {
            double rate =
                endToEnd(other, layer, dir, files, batch, decodeThreads, seconds, otherRaw, out);
            figures.put("end_to_end_" + suffix, rate);
            if (figures.get("end_to_end") instanceof Double fp32) {
              out.printf("    (c) %s / (c) %s = %.3f%n", model, fx.profile().id(), rate / fp32);
            }
          }
          BenchFigures.putIf(
              figures, only.contains("a"), "raw_" + tag + "_" + suffix, otherRaw.rate());
          BenchFigures.putIf(
              figures,
              only.contains("a") && otherRaw.hasLanes(),
              "raw_" + tag + "_lanes_" + suffix,
              otherRaw.lanesRate());
          BenchFigures.putIf(
              figures, only.contains("b"), "extract_" + tag + "_" + suffix, otherRaw.extractRate());
        }
      }
      if (only.contains("l")) {
        try (FeatureExtractor imageIo = withoutTurboJpeg(threads, batch)) {
          BenchBaselines.LargePhotoFigures ms =
              BenchBaselines.largePhotos(
                  fx, imageIo, endpoint, layer, files, largeCount, threads, spinning, seconds, out);
          figures.put("large_photo_ms", ms.library());
          figures.put("large_photo_naive_ms", ms.naive());
          figures.put("large_photo_imageio_ms", ms.imageIo());
          figures.put("large_photo_p3_ms", ms.displayP3());
          figures.put("large_photo_p3_imageio_ms", ms.displayP3ImageIo());
        }
      }
      if (only.contains("i")) {
        double[] job = BenchIndexJob.measure(files, threads, decodeThreads, batch, out);
        figures.put("index_job", job[1]);
        figures.put("index_pipeline", job[0]);
        figures.put("index_job_ratio", job[1] / job[0]);
        figures.put("index_job_local", job[2]);
      }
      String loadAtEnd = BenchRounds.loadAverage();
      out.printf("%n  load average at end: %s%n", loadAtEnd);
      figures.put("load_start", Double.parseDouble(loadAtStart));
      figures.put("load_end", Double.parseDouble(loadAtEnd));
      Json.line(out, BenchFigures.ordered(figures));
      return ExitCode.OK;
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    } catch (OrtException e) {
      err().println("mobilenet bench: ONNX Runtime failed: " + e.getMessage());
      return ExitCode.SOME_FAILED;
    } catch (java.io.IOException e) {
      err().println("mobilenet bench: cannot write temporary files: " + e.getMessage());
      return ExitCode.SOME_FAILED;
    }
  }

  private FeatureExtractor.Builder builder(String id, int threads, int batch) {
    FeatureExtractor.Builder b =
        FeatureExtractor.builder()
            .preprocessing(imagePrep.preprocessOr(Preprocessing.FULL))
            .resizeFilter(imagePrep.resizeOr(ResizeFilter.ANTIALIAS))
            .intraOpThreads(threads)
            .maxBatch(batch);
    if (id != null) {
      b.model(id);
    }
    if (spin != null) {
      b.allowSpinning(spin);
    }
    return b;
  }

  /** The same extractor with JPEGs decoded by ImageIO, as before libjpeg-turbo. */
  private FeatureExtractor withoutTurboJpeg(int threads, int batch) {
    String before = System.getProperty(TURBOJPEG);
    System.setProperty(TURBOJPEG, "off"); // read when the extractor's decoder is made
    try {
      return builder(null, threads, batch).build();
    } finally {
      if (before == null) {
        System.clearProperty(TURBOJPEG);
      } else {
        System.setProperty(TURBOJPEG, before);
      }
    }
  }

  /**
   * (a) vs (b) at batch 1 and N, then (a) on every other graph that outputs the endpoint. Returns
   * the figures at batch N.
   */
  private static RawFigures rawVersusExtract(
      FeatureExtractor fx,
      String endpoint,
      List<Path> files,
      int batch,
      int threads,
      int decodeThreads,
      boolean spinning,
      double seconds,
      boolean compareGraphs,
      PrintStream out)
      throws OrtException {
    int h = fx.preprocessor().height();
    int w = fx.preprocessor().width();
    List<BufferedImage> images =
        BenchInputs.atInputSize(
            files.subList(0, Math.min(files.size(), Math.max(batch, 16))), w, h);
    float[] tensorData = BenchInputs.tensors(fx, images, batch);
    ModelProfile profile = fx.profile();
    String output = profile.endpoints().get(endpoint).output();
    int[] sizes = batch == 1 ? new int[] {1} : new int[] {1, batch};

    out.printf(
        "%n(a) raw session.run, preallocated direct tensor [N, 3, %d, %d] -> %s   vs   (b) extractFeatures on %d×%d BufferedImages (TYPE_3BYTE_BGR)%n",
        h, w, output, w, h);
    out.println(
        "    graph                                 batch   (a) img/s   (b) img/s   (b)/(a)   CPU ms/img (a)   CPU ms/img (b)   CPU (a)/(b)");
    ModelProfile.Graph chosen = profile.graphFor(endpoint);
    RawFigures rawBatch = RawFigures.NONE;
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
            BenchRounds.alternate(
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
      rawBatch =
          new RawFigures(
              BenchRounds.median(ab[0]), BenchRounds.median(ab[3]), BenchRounds.median(ab[1]));
      out.printf(
          "    %-37s %5d   %9.1f   %9.1f   %7.3f   %14.2f   %14.2f   %11.3f%n",
          chosen.file(),
          n,
          BenchRounds.median(ab[0]),
          BenchRounds.median(ab[1]),
          BenchRounds.median(ab[2]),
          BenchRounds.median(ab[3]),
          BenchRounds.median(ab[4]),
          BenchRounds.median(ab[5]));
    }

    rawBatch =
        lanes(
            fx,
            chosen,
            output,
            tensorData,
            batch,
            h,
            w,
            threads,
            decodeThreads,
            spinning,
            seconds,
            rawBatch,
            out);
    if (!compareGraphs) {
      return rawBatch;
    }
    // Is the profile's graph the cheapest way to this endpoint? Compare it with every other graph
    // that outputs it, and with itself pruned to this one output (the cheapest possible graph).
    Map<String, byte[]> rivals = new LinkedHashMap<>();
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
        OnnxGraphs.withOnlyOutputs(chosenModel, Set.of(output)));
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
          r = BenchRounds.alternate(seconds, x, y);
        }
        out.printf(
            "    %-55s %5d   %5.1f   %9.3f   %10.2f   %13.3f%n",
            rival.getKey(),
            n,
            BenchRounds.median(r[1]),
            BenchRounds.median(r[2]),
            BenchRounds.median(r[4]),
            BenchRounds.median(r[5]));
      }
    }
    return rawBatch;
  }

  /**
   * (a) the way {@code extractEach} runs it: as many raw sessions as there are lanes, each on its
   * share of the intra-op threads, running at once. The ceiling of (c) in its own configuration,
   * printed next to the (a) and added to {@code raw}.
   */
  private static RawFigures lanes(
      FeatureExtractor fx,
      ModelProfile.Graph graph,
      String output,
      float[] tensorData,
      int batch,
      int h,
      int w,
      int threads,
      int decodeThreads,
      boolean spinning,
      double seconds,
      RawFigures raw,
      PrintStream out)
      throws OrtException {
    int lanes = FeatureExtractor.streamingLanes(decodeThreads);
    int each = Math.max(1, threads / Math.max(1, lanes));
    if (lanes < 2) {
      return raw;
    }
    ModelProfile profile = fx.profile();
    byte[] model = profile.readVerified(graph.file(), graph.sha256());
    List<RawRunner> runners = new ArrayList<>();
    try {
      for (int i = 0; i < lanes; i++) {
        runners.add(new RawRunner(profile, model, output, tensorData, batch, h, w, each, spinning));
      }
      BenchRounds.measureConcurrently(runners, Math.min(1, seconds)); // warm-up
      double[] m = BenchRounds.measureConcurrently(runners, seconds);
      out.printf(
          "    %-37s %5d   %9.1f   (%d sessions of %d intra-op thread(s) at once, as (c) runs them;"
              + " CPU %.2f ms/img)%n",
          "same, as lanes", batch, m[0], lanes, each, m[1]);
      return raw.withLanes(m[0], m[1], lanes);
    } finally {
      for (RawRunner r : runners) {
        r.close();
      }
    }
  }

  /**
   * (c): extractEach over the files for {@code seconds} (cycling if they run out), with the stage
   * split.
   */
  private static double endToEnd(
      FeatureExtractor fx,
      String layer,
      Path dir,
      List<Path> files,
      int batch,
      int decodeThreads,
      double seconds,
      RawFigures raw,
      PrintStream out) {
    out.printf(
        "%n(c) end to end: extractEach over the image files of %s (%d files), %d decode threads, batch %d, %s%n",
        dir,
        files.size(),
        decodeThreads,
        batch,
        fx.preprocessor().mode().cliName() + "/" + fx.preprocessor().filter().cliName());
    BenchInputs.streamFor(fx, files, layer, decodeThreads, Math.min(2, seconds)); // warm-up
    StageTimes before = fx.stageTimes();
    long cpu0 = BenchRounds.processCpuNanos();
    long t0 = System.nanoTime();
    int[] counts = BenchInputs.streamFor(fx, files, layer, decodeThreads, seconds);
    double wall = (System.nanoTime() - t0) / 1e9;
    StageTimes d = fx.stageTimes().minus(before);
    double cpuMs = (BenchRounds.processCpuNanos() - cpu0) / 1e6 / Math.max(1, counts[0]);
    double rate = counts[0] / wall;
    out.printf(
        "    %d images in %.2f s: %.1f img/s, (c)/(a batch %d) = %s; CPU %.2f ms/img, CPU (a)/(c) = %s%s%n",
        counts[0],
        wall,
        rate,
        batch,
        Double.isNaN(raw.rate()) ? "n/a" : String.format("%.3f", rate / raw.rate()),
        cpuMs,
        Double.isNaN(raw.cpuMs()) ? "n/a" : String.format("%.3f", raw.cpuMs() / cpuMs),
        counts[1] > 0 ? " (" + counts[1] + " failed)" : "");
    if (raw.hasLanes()) {
      out.printf(
          "    (c)/(a as %d lanes) = %.3f; CPU (a as lanes)/(c) = %.3f%n",
          raw.lanes(), rate / raw.lanesRate(), raw.lanesCpuMs() / cpuMs);
    }
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
        "    cores busy on average: inference %.2f, decode + preprocess %.2f%n",
        d.inferenceNanos() / 1e9 / wall, (d.decodeNanos() + d.preprocessNanos()) / 1e9 / wall);
    return rate;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }
}
