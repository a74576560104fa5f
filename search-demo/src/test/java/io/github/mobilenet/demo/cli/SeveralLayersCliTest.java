package io.github.mobilenet.demo.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mobilenet.core.util.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code extract --layer A,B,...}: one object per image, equal to separate single-layer runs. */
class SeveralLayersCliTest {
  static final List<String> LAYERS = List.of("layer_5", "layer_19", "pooled");

  private static List<String> photos() {
    return List.of(
        CliRun.samples().resolve("natural/parrot.jpg").toString(),
        CliRun.samples().resolve("natural/cat.bmp").toString());
  }

  private static CliRun extract(String layers, String... more) {
    List<String> args = new ArrayList<>(List.of("extract", "--layer", layers));
    args.addAll(List.of(more));
    args.addAll(photos());
    return CliRun.run(args.toArray(String[]::new));
  }

  @Test
  void severalLayersEqualSeparateSingleLayerRuns() {
    CliRun all = extract(String.join(",", LAYERS));
    assertEquals(0, all.exit(), all.err());
    assertEquals(2, all.lines().size());
    for (String layer : LAYERS) {
      CliRun one = extract(layer);
      assertEquals(0, one.exit(), one.err());
      for (int i = 0; i < 2; i++) {
        JsonNode single = one.lines().get(i);
        JsonNode multi = all.lines().get(i);
        assertEquals(List.of("file", "layer", "shape", "vector"), fields(single)); // as before
        assertEquals(List.of("file", "layers"), fields(multi));
        assertEquals(single.get("file"), multi.get("file"));
        assertEquals(LAYERS, fields(multi.get("layers")));
        JsonNode entry = multi.get("layers").get(layer);
        assertEquals(List.of("shape", "vector"), fields(entry));
        assertEquals(single.get("shape"), entry.get("shape"), layer);
        assertEquals(single.get("vector"), entry.get("vector"), layer); // exactly equal
      }
    }
    assertEquals(
        List.of(32, 28, 28),
        ModelCliTest.ints(all.last().get("layers").get("layer_5").get("shape")));
    // pooling and normalisation apply to every layer as they do to one
    CliRun pooled = extract("layer_5,pooled", "--pool", "max", "--normalize");
    CliRun single = extract("layer_5", "--pool", "max", "--normalize");
    assertEquals(
        single.last().get("vector"), pooled.last().get("layers").get("layer_5").get("vector"));
    assertEquals(List.of(32), ModelCliTest.ints(single.last().get("shape")));
  }

  @Test
  void npyWritesOneFilePerLayerInAFolder(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("features");
    CliRun r =
        extract("layer_19,pooled", "--pool", "gem", "--format", "npy", "--out", out.toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals(2, r.lines().size());
    assertEquals(1, r.last().get("row").asInt());
    assertEquals(
        List.of(1280), ModelCliTest.ints(r.last().get("layers").get("layer_19").get("shape")));
    for (String layer : List.of("layer_19", "pooled")) {
      Path alone = dir.resolve(layer + "-alone.npy");
      CliRun one = extract(layer, "--pool", "gem", "--format", "npy", "--out", alone.toString());
      assertEquals(0, one.exit(), one.err());
      List<float[]> expected = Npy.read(alone);
      List<float[]> actual = Npy.read(out.resolve(layer + ".npy"));
      assertEquals(2, actual.size());
      for (int i = 0; i < 2; i++) {
        assertArrayEquals(expected.get(i), actual.get(i), 0f, layer);
      }
    }
    // a file where the folder should be is a usage error
    Path file = Files.writeString(dir.resolve("taken.npy"), "x");
    CliRun taken = extract("layer_19,pooled", "--format", "npy", "--out", file.toString());
    assertEquals(2, taken.exit());
    assertTrue(taken.err().contains("names a folder"), taken.err());
  }

  @Test
  void badLayersAndBadFiles(@TempDir Path dir) throws Exception {
    CliRun unknown = extract("layer_5,layer_99");
    assertEquals(2, unknown.exit());
    assertTrue(unknown.err().contains("layer_99"), unknown.err());
    assertEquals("", unknown.out());
    assertEquals(2, extract("layer_5,,pooled").exit());
    CliRun twice = extract("pooled,pooled");
    assertEquals(2, twice.exit());
    assertTrue(twice.err().contains("--layer names pooled twice"), twice.err());

    Path bad = Files.writeString(dir.resolve("bad.jpg"), "not an image");
    String parrot = CliRun.samples().resolve("natural/parrot.jpg").toString();
    CliRun r = CliRun.run("extract", "--layer", "layer_5,pooled", bad.toString(), parrot);
    assertEquals(1, r.exit());
    assertEquals(bad.toString(), r.lines().get(0).get("file").asText());
    assertTrue(r.lines().get(0).has("error"));
    assertEquals(parrot, r.lines().get(1).get("file").asText());
    assertEquals(1280, r.lines().get(1).get("layers").get("pooled").get("vector").size());
  }

  private static List<String> fields(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
