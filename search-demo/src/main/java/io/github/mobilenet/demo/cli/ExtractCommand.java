package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.extract.Features;
import io.github.mobilenet.core.extract.Pooling;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.util.Npy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code extract}: features of one or several layers per image, as JSON lines or .npy arrays. */
@Command(
    name = "extract",
    description = {
      "One layer's features per image, as JSON lines or .npy.",
      "jsonl: {\"file\": ..., \"layer\": ..., \"shape\": [...], \"vector\": [...]} per line (spatial"
          + " layers unpooled are flattened channel-major, shape [C, H, W]); npy: one float32 array"
          + " [N, D], rows in the printed file order, and stdout gets {\"file\": ..., \"row\": i,"
          + " ...} per image.",
      "Several layers (--layer layer_5,layer_19,pooled) come from one pass: jsonl gives"
          + " {\"file\": ..., \"layers\": {\"layer_5\": {\"shape\": [...], \"vector\": [...]},"
          + " ...}} per image; npy makes --out a folder with one LAYER.npy per layer, and stdout"
          + " gets {\"file\": ..., \"layers\": {NAME: {\"shape\": [...]}, ...}, \"row\": i}.",
      "Layers of MobileNetV2: layer_1 .. layer_19, layer_20 (= layer_19), layer_15_expansion,"
          + " pooled, logits, probs; of MobileNetV1: Conv2d_0, Conv2d_N_depthwise,"
          + " Conv2d_N_pointwise (N = 1..13), pooled, logits, probs (mobilenet models lists each"
          + " model's)."
    })
final class ExtractCommand extends CliCommand {
  @Option(
      names = "--layer",
      paramLabel = "NAME[,NAME...]",
      required = true,
      description =
          "The layer to read, e.g. layer_19 or pooled; several, comma-separated, come from one"
              + " pass.")
  String layer;

  @Option(
      names = "--pool",
      paramLabel = "avg|max|gem|gem:P",
      description = "Pool a spatial layer to one vector (default: flatten it).")
  Pooling pooling;

  @Option(names = "--normalize", description = "L2-normalise each vector.")
  boolean normalize;

  @Option(
      names = "--format",
      paramLabel = "jsonl|npy",
      defaultValue = "jsonl",
      description = "Output format (default: ${DEFAULT-VALUE}); npy needs --out.")
  String format;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Write the vectors here instead of stdout.")
  Path outFile;

  @Mixin ExtractorOptions extractor;

  @Mixin ImagePaths inputs;

  @Override
  public Integer call() throws UsageException {
    if (!format.equals("jsonl") && !format.equals("npy")) {
      throw new UsageException("--format must be jsonl or npy, got '" + format + "'");
    }
    if (format.equals("npy") && outFile == null) {
      throw new UsageException("--format npy needs --out FILE");
    }
    List<String> layers = layers(layer);
    if (layers.size() > 1) {
      return new SeveralLayers(this, layers).run();
    }
    layer = layers.get(0);
    int[] failures = {0};
    List<ImageSource> sources = inputs.sources(in(), out(), failures);
    List<float[]> rows = new ArrayList<>();
    PrintStream out = out();
    PrintStream lines = out;
    PrintStream fileOut = null;
    try (FeatureExtractor fx = extractor.open()) {
      fx.profile().resolve(layer); // unknown layer → usage error before any work
      checkRowsAlign(fx, List.of(layer));
      if (outFile != null && format.equals("jsonl")) {
        fileOut =
            new PrintStream(
                new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(outFile)),
                false,
                java.nio.charset.StandardCharsets.UTF_8);
        lines = fileOut;
      }
      PrintStream target = lines;
      ExtractorOptions.extractEach(
          fx,
          sources,
          layer,
          out,
          failures,
          r -> {
            Features f = r.features();
            float[] v = vector(f);
            int[] shape = shape(f, v);
            if (format.equals("npy")) {
              Json.line(
                  out,
                  Json.obj(
                      "file",
                      r.source().name(),
                      "layer",
                      layer,
                      "shape",
                      shape,
                      "row",
                      rows.size()));
              rows.add(v);
            } else {
              Json.line(
                  target,
                  Json.obj("file", r.source().name(), "layer", layer, "shape", shape, "vector", v));
            }
          });
      if (format.equals("npy")) {
        Npy.write(outFile, rows);
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    } catch (IOException e) {
      err().println("mobilenet extract: cannot write " + outFile + ": " + e.getMessage());
      return ExitCode.SOME_FAILED;
    } finally {
      if (fileOut != null) {
        fileOut.close();
      }
    }
    return failures[0] == 0 ? ExitCode.OK : ExitCode.SOME_FAILED;
  }

  /** The names of --layer, split at commas; empty or repeated names are usage errors. */
  static List<String> layers(String option) throws UsageException {
    List<String> out = new ArrayList<>();
    for (String name : option.split(",", -1)) {
      String n = name.strip();
      if (n.isEmpty()) {
        throw new UsageException("--layer has an empty name in '" + option + "'");
      }
      if (out.contains(n)) {
        throw new UsageException("--layer names " + n + " twice");
      }
      out.add(n);
    }
    return out;
  }

  /**
   * An .npy array needs rows of one length: an unpooled map's length varies per image when the
   * shorter side is given (aspect kept).
   */
  void checkRowsAlign(FeatureExtractor fx, List<String> names) throws UsageException {
    if (!format.equals("npy") || pooling != null || fx.inputSize().isExact()) {
      return;
    }
    for (String name : names) {
      if (fx.profile().endpoints().get(fx.profile().resolve(name)).spatial()) {
        throw new UsageException(
            "--format npy with --size "
                + fx.inputSize().spec()
                + " (aspect kept) gives "
                + name
                + " a different shape per image; add --pool or give --size HxW");
      }
    }
  }

  /** One layer's vector as extract writes it: pooled or flattened, optionally normalised. */
  float[] vector(Features f) {
    float[] v = pooling != null ? f.pooled(pooling) : f.flatten();
    return normalize ? Features.l2Normalize(v) : v;
  }

  /** The shape of {@link #vector}: [C, H, W] for an unpooled map, else [D]. */
  int[] shape(Features f, float[] v) {
    return pooling != null || !f.isSpatial() ? new int[] {v.length} : f.shape();
  }
}
