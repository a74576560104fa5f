package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.extract.Features;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.util.Npy;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * {@code extract --layer A,B,...}: every layer of an image from one forward pass, as one JSON
 * object per image ({@code {"file", "layers": {A: {"shape", "vector"}, ...}}}), or with {@code
 * --format npy} one {@code LAYER.npy} per layer in the {@code --out} folder (rows in the printed
 * file order). Images are run one at a time so that a bad one gives its error line and the rest
 * continue.
 */
final class SeveralLayers {
  private final ExtractCommand cmd;
  private final List<String> layers;

  SeveralLayers(ExtractCommand cmd, List<String> layers) {
    this.cmd = cmd;
    this.layers = layers;
  }

  int run() throws UsageException {
    boolean npy = cmd.format.equals("npy");
    if (npy && Files.exists(cmd.outFile) && !Files.isDirectory(cmd.outFile)) {
      throw new UsageException(
          "--out "
              + cmd.outFile
              + " is a file; with several layers and --format npy it names a folder (one"
              + " LAYER.npy each)");
    }
    int[] failures = {0};
    PrintStream out = cmd.out();
    List<ImageSource> sources = cmd.inputs.sources(cmd.in(), out, failures);
    Map<String, List<float[]>> rows = new LinkedHashMap<>();
    layers.forEach(l -> rows.put(l, new ArrayList<>()));
    PrintStream fileOut = null;
    try (FeatureExtractor fx = cmd.extractor.open()) {
      LinkedHashSet<String> asked = new LinkedHashSet<>(layers);
      try {
        // an unknown layer is a usage error before any output file is opened
        fx.extractFeatures(List.of(), asked);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      cmd.checkRowsAlign(fx, layers);
      PrintStream lines = out;
      if (cmd.outFile != null && !npy) {
        fileOut =
            new PrintStream(
                new BufferedOutputStream(Files.newOutputStream(cmd.outFile)),
                false,
                StandardCharsets.UTF_8);
        lines = fileOut;
      }
      PrintStream target = lines;
      int[] row = {0};
      ExtractorOptions.extractEach(
          fx,
          sources,
          asked,
          out,
          failures,
          r -> {
            Map<String, Object> byLayer = new LinkedHashMap<>();
            for (String l : layers) {
              Features f = r.features().get(l);
              float[] v = cmd.vector(f);
              int[] shape = cmd.shape(f, v);
              if (npy) {
                rows.get(l).add(v);
                byLayer.put(l, Json.obj("shape", shape));
              } else {
                byLayer.put(l, Json.obj("shape", shape, "vector", v));
              }
            }
            if (npy) {
              Json.line(
                  out, Json.obj("file", r.source().name(), "layers", byLayer, "row", row[0]++));
            } else {
              Json.line(target, Json.obj("file", r.source().name(), "layers", byLayer));
            }
          });
      if (npy) {
        Files.createDirectories(cmd.outFile);
        for (String l : layers) {
          Npy.write(file(cmd.outFile, l), rows.get(l));
        }
      }
    } catch (IOException e) {
      cmd.err().println("mobilenet extract: cannot write " + cmd.outFile + ": " + e.getMessage());
      return ExitCode.SOME_FAILED;
    } finally {
      if (fileOut != null) {
        fileOut.close();
      }
    }
    return failures[0] == 0 ? ExitCode.OK : ExitCode.SOME_FAILED;
  }

  /** {@code DIR/LAYER.npy}. */
  static Path file(Path dir, String layer) {
    return dir.resolve(layer + ".npy");
  }
}
