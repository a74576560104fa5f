package io.github.mobilenet.demo.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mobilenet.core.util.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classify/extract CLI contract: JSON fields, error lines, exit codes, directory walking, npy.
 */
class ClassifyExtractCliTest {
  @Test
  void classifyPrintsTopKWithIndexLabelScore() throws Exception {
    CliRun r =
        CliRun.run(
            "classify",
            "--top",
            "3",
            CliRun.samples().resolve("natural/grace_hopper.bmp").toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals(1, r.lines().size());
    JsonNode top = r.lines().get(0).get("top");
    assertEquals(3, top.size());
    assertEquals(653, top.get(0).get("index").asInt());
    assertEquals("military uniform", top.get(0).get("label").asText());
    assertTrue(top.get(0).get("score").asDouble() > 0.5);
    assertTrue(top.get(1).get("score").asDouble() <= top.get(0).get("score").asDouble());
  }

  @Test
  void badFileGivesErrorLineAndExitOneWhileOthersContinue(@TempDir Path dir) throws Exception {
    Path bad = Files.writeString(dir.resolve("notes.jpg"), "not an image");
    CliRun r =
        CliRun.run(
            "classify",
            "--top",
            "1",
            bad.toString(),
            CliRun.samples().resolve("natural/parrot.jpg").toString());
    assertEquals(1, r.exit());
    assertEquals(2, r.lines().size());
    assertEquals(bad.toString(), r.lines().get(0).get("file").asText());
    assertTrue(
        r.lines().get(0).get("error").asText().contains("not an image"),
        r.lines().get(0).toString());
    assertEquals(89, r.lines().get(1).get("top").get(0).get("index").asInt()); // macaw
  }

  @Test
  void usageErrorsExitTwo() throws Exception {
    assertEquals(2, CliRun.run("classify").exit());
    assertEquals(2, CliRun.run("classify", "--top", "zero", "x.jpg").exit());
    assertEquals(2, CliRun.run("extract", "--layer", "layer_99", "x.jpg").exit());
    assertEquals(2, CliRun.run("extract", "x.jpg").exit());
    assertEquals(2, CliRun.run("extract", "--layer", "pooled", "--format", "npy", "x.jpg").exit());
    assertEquals(2, CliRun.run("nosuchcommand").exit());
  }

  @Test
  void directoryIsWalkedSortedAndExtractGivesShapes(@TempDir Path dir) throws Exception {
    Files.copy(CliRun.samples().resolve("natural/cat.bmp"), dir.resolve("b.bmp"));
    Files.createDirectories(dir.resolve("sub"));
    Files.copy(CliRun.samples().resolve("natural/owl.jpg"), dir.resolve("sub/a.jpg"));
    Files.copy(CliRun.samples().resolve("natural/owl.jpg"), dir.resolve("a.jpg"));
    Files.writeString(dir.resolve("README.txt"), "not an image, skipped in directories");
    Files.createSymbolicLink(dir.resolve("sub/loop"), dir); // must not loop forever
    CliRun r = CliRun.run("extract", "--layer", "layer_20", "--pool", "max", dir.toString());
    assertEquals(0, r.exit(), r.err());
    List<String> files =
        r.lines().stream()
            .map(n -> Path.of(n.get("file").asText()).getFileName().toString())
            .toList();
    assertEquals(List.of("a.jpg", "b.bmp", "a.jpg"), files);
    JsonNode first = r.lines().get(0);
    assertEquals("layer_20", first.get("layer").asText());
    assertEquals("[1280]", first.get("shape").toString());
    assertEquals(1280, first.get("vector").size());

    CliRun spatial = CliRun.run("extract", "--layer", "layer_18", dir.resolve("a.jpg").toString());
    assertEquals("[320,7,7]", spatial.lines().get(0).get("shape").toString());
    assertEquals(320 * 49, spatial.lines().get(0).get("vector").size());
  }

  @Test
  void npyRowsMatchJsonVectors(@TempDir Path dir) throws Exception {
    Path npy = dir.resolve("f.npy");
    String a = CliRun.samples().resolve("natural/cat.bmp").toString();
    String b = CliRun.samples().resolve("natural/bird.bmp").toString();
    CliRun json = CliRun.run("extract", "--layer", "pooled", a, b);
    CliRun rows =
        CliRun.run(
            "extract", "--layer", "pooled", "--format", "npy", "--out", npy.toString(), a, b);
    assertEquals(0, rows.exit(), rows.err());
    List<float[]> read = Npy.read(npy);
    assertEquals(2, read.size());
    for (int i = 0; i < 2; i++) {
      assertEquals(i, rows.lines().get(i).get("row").asInt());
      JsonNode v = json.lines().get(i).get("vector");
      float[] expected = new float[v.size()];
      for (int j = 0; j < expected.length; j++) {
        expected[j] = (float) v.get(j).asDouble();
      }
      assertArrayEquals(expected, read.get(i));
    }
  }
}
