package io.github.mobilenet.demo.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.util.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dump}: every endpoint as .npy plus manifest.json; NHWC is NCHW transposed. */
class DumpCliTest {
  static final Path OWL = CliRun.samples().resolve("natural/owl.jpg");

  @Test
  void nhwcFilesAreTheNchwFilesTransposed(@TempDir Path dir) throws Exception {
    Path nchw = dir.resolve("nchw");
    Path nhwc = dir.resolve("nhwc");
    CliRun a = CliRun.run("dump", "--out", nchw.toString(), OWL.toString());
    CliRun b = CliRun.run("dump", "--out", nhwc.toString(), "--layout", "nhwc", OWL.toString());
    assertEquals(0, a.exit(), a.err());
    assertEquals(0, b.exit(), b.err());
    JsonNode line = a.last();
    assertEquals("mobilenet_v2_1.0_224", line.get("model").asText());
    assertEquals("nchw", line.get("layout").asText());
    assertEquals(List.of(224, 224), ModelCliTest.ints(line.get("input")));
    assertEquals(23, line.get("tensors").asInt());
    assertEquals("nhwc", b.last().get("layout").asText());

    JsonNode manifest = Json.MAPPER.readTree(nchw.resolve("manifest.json").toFile());
    assertEquals("mobilenet_v2_1.0_224", manifest.get("model").asText());
    assertEquals(23, manifest.get("tensors").size());
    int maps = 0;
    for (JsonNode t : manifest.get("tensors")) {
      String file = t.get("file").asText();
      Npy.Array x = Npy.readArray(nchw.resolve(file));
      Npy.Array y = Npy.readArray(nhwc.resolve(file));
      assertArrayEquals(
          ModelCliTest.ints(t.get("shape")).stream().mapToInt(i -> i).toArray(), x.shape());
      if (x.shape().length == 2) {
        assertArrayEquals(x.values(), y.values(), 0f, file); // vectors: the same in both
        continue;
      }
      maps++;
      int c = x.shape()[1];
      int h = x.shape()[2];
      int w = x.shape()[3];
      assertArrayEquals(new int[] {1, h, w, c}, y.shape(), file);
      for (int ch = 0; ch < c; ch++) {
        for (int yy = 0; yy < h; yy++) {
          for (int xx = 0; xx < w; xx++) {
            assertEquals(
                x.values()[(ch * h + yy) * w + xx], y.values()[(yy * w + xx) * c + ch], 0f, file);
          }
        }
      }
    }
    assertEquals(20, maps); // layer_1 .. layer_19 and layer_15_expansion

    // the dumped tensors are what extract computes
    try (FeatureExtractor fx = FeatureExtractor.create()) {
      assertArrayEquals(
          fx.extractFeatures(OWL, "layer_5").values(),
          Npy.readArray(nchw.resolve("layer_5.npy")).values(),
          0f);
    }
  }

  @Test
  void otherModelsAndSizes(@TempDir Path dir) throws Exception {
    CliRun r =
        CliRun.run(
            "dump",
            "--out",
            dir.toString(),
            "--model",
            ModelCliTest.V1_SMALL,
            "--size",
            "128x160",
            OWL.toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals(30, r.last().get("tensors").asInt());
    assertEquals(List.of(128, 160), ModelCliTest.ints(r.last().get("input")));
    assertArrayEquals(
        new int[] {1, 256, 4, 5}, Npy.readArray(dir.resolve("Conv2d_13_pointwise.npy")).shape());
  }

  @Test
  void exitCodes(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("missing.jpg");
    CliRun m = CliRun.run("dump", "--out", dir.resolve("d").toString(), missing.toString());
    assertEquals(1, m.exit());
    assertEquals(missing.toString(), m.last().get("file").asText());
    assertTrue(m.last().get("error").asText().contains(missing.toString()), m.out());
    assertTrue(Files.notExists(dir.resolve("d").resolve("manifest.json")));

    CliRun layout = CliRun.run("dump", "--out", dir.toString(), "--layout", "chw", OWL.toString());
    assertEquals(2, layout.exit());
    assertTrue(layout.err().contains("--layout: unknown tensor layout 'chw'"), layout.err());
    assertEquals(2, CliRun.run("dump", OWL.toString()).exit()); // no --out
    assertEquals(2, CliRun.run("dump", "--out", dir.toString()).exit()); // no IMAGE
    assertEquals(
        2, CliRun.run("dump", "--out", dir.toString(), CliRun.samples().toString()).exit());
  }
}
