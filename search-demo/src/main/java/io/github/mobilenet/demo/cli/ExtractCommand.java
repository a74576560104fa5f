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
import java.util.Set;

/** {@code extract}: features of one layer per image, as JSON lines or one .npy array. */
final class ExtractCommand implements Command {
  @Override
  public String name() {
    return "extract";
  }

  @Override
  public String usage() {
    return "extract --layer NAME [--pool avg|max|gem|gem:P] [--normalize] [--format jsonl|npy] [--out FILE] "
        + ExtractorOptions.usage()
        + " PATH...\n"
        + "  jsonl: {\"file\": ..., \"layer\": ..., \"shape\": [...], \"vector\": [...]} per line (spatial layers\n"
        + "  unpooled are flattened channel-major, shape [C, H, W]); npy: one float32 array [N, D], rows in the\n"
        + "  printed file order, and stdout gets {\"file\": ..., \"row\": i, ...} per image.\n"
        + "  layers: layer_1 .. layer_19, layer_20 (= layer_19), layer_15_expansion, pooled, logits, probs";
  }

  @Override
  public int run(String[] argv, PrintStream out, PrintStream err) throws UsageException {
    Args a =
        Args.parse(
            argv,
            ExtractorOptions.with(Set.of("layer", "pool", "format", "out")),
            Set.of("normalize"));
    String layer = a.require("layer");
    Pooling pooling = a.get("pool", null, Pooling::parse);
    String format = a.get("format", "jsonl");
    if (!format.equals("jsonl") && !format.equals("npy")) {
      throw new UsageException("--format must be jsonl or npy, got '" + format + "'");
    }
    Path outFile = a.has("out") ? Path.of(a.get("out", null)) : null;
    if (format.equals("npy") && outFile == null) {
      throw new UsageException("--format npy needs --out FILE");
    }
    boolean normalize = a.has("normalize");
    int[] failures = {0};
    List<ImageSource> sources = ExtractorOptions.sources(a, out, failures);
    List<float[]> rows = new ArrayList<>();
    PrintStream lines = out;
    PrintStream fileOut = null;
    try (FeatureExtractor fx = ExtractorOptions.open(a)) {
      fx.profile().resolve(layer); // unknown layer → usage error before any work
      if (outFile != null && format.equals("jsonl")) {
        fileOut =
            new PrintStream(
                new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(outFile)),
                false,
                java.nio.charset.StandardCharsets.UTF_8);
        lines = fileOut;
      }
      PrintStream target = lines;
      fx.extractEach(
          sources.iterator(),
          layer,
          Runtime.getRuntime().availableProcessors(),
          r -> {
            if (!r.ok()) {
              failures[0]++;
              Json.line(out, Json.obj("file", r.source().name(), "error", r.error().getMessage()));
              return;
            }
            Features f = r.features();
            float[] v = pooling != null ? f.pooled(pooling) : f.flatten();
            int[] shape = pooling != null || !f.isSpatial() ? new int[] {v.length} : f.shape();
            if (normalize) {
              v = Features.l2Normalize(v);
            }
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
      err.println("mobilenet extract: cannot write " + outFile + ": " + e.getMessage());
      return SOME_FAILED;
    } finally {
      if (fileOut != null) {
        fileOut.close();
      }
    }
    return failures[0] == 0 ? OK : SOME_FAILED;
  }
}
