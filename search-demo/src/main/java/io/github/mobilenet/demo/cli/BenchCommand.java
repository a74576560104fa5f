package io.github.mobilenet.demo.cli;

import ai.onnxruntime.OrtException;
import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.extract.StageTimes;
import io.github.mobilenet.core.image.ImageFiles;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.core.model.OnnxGraphs;
import io.github.mobilenet.core.preprocess.Preprocessing;
import io.github.mobilenet.core.preprocess.ResizeFilter;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
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
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Speed: raw ONNX Runtime vs extractFeatures vs end to end.",
      "Prints img/s and CPU ms per image of (a) raw ONNX Runtime session.run on a preallocated"
          + " tensor, batch 1 and N, (b) extractFeatures on in-memory images at the input size,"
          + " (a') other graphs giving the layer, (c) end to end from the images in DIR, with its"
          + " decode / preprocess / inference split."
    })
final class BenchCommand extends CliCommand {
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

  @Option(
      names = "--preprocess",
      paramLabel = "full|center-crop",
      defaultValue = "full",
      description = "Whole image or centre crop (default: ${DEFAULT-VALUE}).")
  Preprocessing preprocess;

  @Option(
      names = "--resize",
      paramLabel = "antialias|bilinear",
      defaultValue = "antialias",
      description = "Downscaling filter (default: ${DEFAULT-VALUE}).")
  ResizeFilter resize;

  @Option(names = "--limit", paramLabel = "N", description = "Use the first N files only.")
  Integer limit;

  @Option(
      names = "--only",
      paramLabel = "abc",
      defaultValue = "abc",
      description = "Run some of the sections a, b, c (default: all).")
  String only;

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
    if (!only.matches("[abc]+")) {
      throw new UsageException("--only takes letters of abc, e.g. --only c");
    }
    if (!Files.isDirectory(dir)) {
      throw new UsageException("--images: no such folder " + dir.toAbsolutePath().normalize());
    }
    List<Path> files =
        ImageFiles.expand(List.of(dir), problem -> err().println("bench: " + problem));
    files = files.subList(0, Math.min(files.size(), limit));
    if (files.isEmpty()) {
      throw new UsageException("--images: no images in " + dir);
    }

    FeatureExtractor.Builder builder =
        FeatureExtractor.builder()
            .preprocessing(preprocess)
            .resizeFilter(resize)
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
          BenchRounds.loadAverage(),
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
      out.printf("  load average at end: %s%n", BenchRounds.loadAverage());
      return ExitCode.OK;
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    } catch (OrtException e) {
      err().println("mobilenet bench: ONNX Runtime failed: " + e.getMessage());
      return ExitCode.SOME_FAILED;
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
      rawBatch = new double[] {BenchRounds.median(ab[0]), BenchRounds.median(ab[3])};
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

    // Is the profile's graph the cheapest way to this endpoint? Compare it with every other graph
    // that
    // outputs it, and with itself pruned to this one output (the cheapest possible graph).
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

  private static String fmt(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }
}
