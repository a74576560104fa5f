package io.github.mobilenet.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mobilenet.core.Npy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The classify/extract CLI contract: JSON fields, error lines, exit codes, directory walking, npy. */
class ClassifyExtractCliTest {
  static Path samples() {
    Path p = Path.of("").toAbsolutePath();
    while (!Files.isDirectory(p.resolve("samples/natural"))) {
      p = p.getParent();
    }
    return p.resolve("samples");
  }

  record Run(int code, List<JsonNode> lines, String err) {}

  static Run cli(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    List<JsonNode> lines = new ArrayList<>();
    for (String l : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!l.isBlank()) {
        lines.add(Json.MAPPER.readTree(l));
      }
    }
    return new Run(code, lines, err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void classifyPrintsTopKWithIndexLabelScore() throws Exception {
    Run r = cli("classify", "--top", "3", samples().resolve("natural/grace_hopper.bmp").toString());
    assertEquals(0, r.code(), r.err());
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
    Run r = cli("classify", "--top", "1", bad.toString(), samples().resolve("natural/parrot.jpg").toString());
    assertEquals(1, r.code());
    assertEquals(2, r.lines().size());
    assertEquals(bad.toString(), r.lines().get(0).get("file").asText());
    assertTrue(r.lines().get(0).get("error").asText().contains("not an image"), r.lines().get(0).toString());
    assertEquals(89, r.lines().get(1).get("top").get(0).get("index").asInt()); // macaw
  }

  @Test
  void usageErrorsExitTwo() throws Exception {
    assertEquals(2, cli("classify").code());
    assertEquals(2, cli("classify", "--top", "zero", "x.jpg").code());
    assertEquals(2, cli("extract", "--layer", "layer_99", "x.jpg").code());
    assertEquals(2, cli("extract", "x.jpg").code());
    assertEquals(2, cli("extract", "--layer", "pooled", "--format", "npy", "x.jpg").code());
    assertEquals(2, cli("nosuchcommand").code());
  }

  @Test
  void directoryIsWalkedSortedAndExtractGivesShapes(@TempDir Path dir) throws Exception {
    Files.copy(samples().resolve("natural/cat.bmp"), dir.resolve("b.bmp"));
    Files.createDirectories(dir.resolve("sub"));
    Files.copy(samples().resolve("natural/owl.jpg"), dir.resolve("sub/a.jpg"));
    Files.copy(samples().resolve("natural/owl.jpg"), dir.resolve("a.jpg"));
    Files.writeString(dir.resolve("README.txt"), "not an image, skipped in directories");
    Files.createSymbolicLink(dir.resolve("sub/loop"), dir); // must not loop forever
    Run r = cli("extract", "--layer", "layer_20", "--pool", "max", dir.toString());
    assertEquals(0, r.code(), r.err());
    List<String> files = r.lines().stream().map(n -> Path.of(n.get("file").asText()).getFileName().toString()).toList();
    assertEquals(List.of("a.jpg", "b.bmp", "a.jpg"), files);
    JsonNode first = r.lines().get(0);
    assertEquals("layer_20", first.get("layer").asText());
    assertEquals("[1280]", first.get("shape").toString());
    assertEquals(1280, first.get("vector").size());

    Run spatial = cli("extract", "--layer", "layer_18", dir.resolve("a.jpg").toString());
    assertEquals("[320,7,7]", spatial.lines().get(0).get("shape").toString());
    assertEquals(320 * 49, spatial.lines().get(0).get("vector").size());
  }

  @Test
  void npyRowsMatchJsonVectors(@TempDir Path dir) throws Exception {
    Path npy = dir.resolve("f.npy");
    String a = samples().resolve("natural/cat.bmp").toString();
    String b = samples().resolve("natural/bird.bmp").toString();
    Run json = cli("extract", "--layer", "pooled", a, b);
    Run rows = cli("extract", "--layer", "pooled", "--format", "npy", "--out", npy.toString(), a, b);
    assertEquals(0, rows.code(), rows.err());
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
