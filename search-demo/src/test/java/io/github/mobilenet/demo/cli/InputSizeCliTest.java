package io.github.mobilenet.demo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.extract.Features;
import io.github.mobilenet.core.preprocess.InputSize;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.index.IndexConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --size S|HxW} on extract, index and search: what it computes and what an index records.
 */
class InputSizeCliTest {
  static final Path WIDE = CliRun.samples().resolve("natural/cat_720p.jpg"); // 1280 x 720

  @Test
  void extractAtAShorterSideKeepsTheAspectAndEqualsTheLibrary() {
    CliRun r = CliRun.run("extract", "--layer", "layer_19", "--size", "320", WIDE.toString());
    assertEquals(0, r.exit(), r.err());
    // 720 → 320, 1280 → round(568.9) = 569; stride 32: ceil(320/32) x ceil(569/32)
    assertEquals(List.of(1280, 10, 18), ModelCliTest.ints(r.last().get("shape")));
    try (FeatureExtractor fx = FeatureExtractor.builder().shorterSide(320).build()) {
      Features f = fx.extractFeatures(WIDE, "layer_19");
      assertVector(f.flatten(), r.last().get("vector"));
    }
    CliRun exact =
        CliRun.run("extract", "--layer", "layer_19,pooled", "--size", "160x192", WIDE.toString());
    assertEquals(0, exact.exit(), exact.err());
    JsonNode layers = exact.last().get("layers");
    assertEquals(List.of(1280, 5, 6), ModelCliTest.ints(layers.get("layer_19").get("shape")));
    assertEquals(List.of(1280), ModelCliTest.ints(layers.get("pooled").get("shape")));
    try (FeatureExtractor fx = FeatureExtractor.builder().inputSize(160, 192).build()) {
      assertVector(fx.extractFeatures(WIDE, "pooled").vector(), layers.get("pooled").get("vector"));
    }
    // the model's own size is the default
    CliRun own = CliRun.run("extract", "--layer", "pooled", "--size", "224x224", WIDE.toString());
    CliRun none = CliRun.run("extract", "--layer", "pooled", WIDE.toString());
    assertEquals(none.out(), own.out());
  }

  @Test
  void badSizesAreUsageErrors(@TempDir Path dir) {
    String img = WIDE.toString();
    CliRun bad = CliRun.run("extract", "--layer", "pooled", "--size", "big", img);
    assertEquals(2, bad.exit());
    assertTrue(bad.err().contains("--size: invalid input size 'big'"), bad.err());
    assertEquals(2, CliRun.run("extract", "--layer", "pooled", "--size", "0x224", img).exit());
    CliRun huge = CliRun.run("extract", "--layer", "pooled", "--size", "5000", img);
    assertEquals(2, huge.exit());
    assertTrue(huge.err().contains("sides up to 4096"), huge.err());
    CliRun ragged =
        CliRun.run(
            "extract",
            "--layer",
            "layer_19",
            "--size",
            "320",
            "--format",
            "npy",
            "--out",
            dir.resolve("x.npy").toString(),
            img);
    assertEquals(2, ragged.exit());
    assertTrue(ragged.err().contains("add --pool or give --size HxW"), ragged.err());
    assertTrue(Files.notExists(dir.resolve("x.npy")));
  }

  @Test
  void indexRecordsTheSizeAndRefusesOtherQueries(@TempDir Path dir) throws Exception {
    Path photos = dir.resolve("photos");
    Files.createDirectories(photos);
    for (String s : List.of("cat_720p.jpg", "owl.jpg", "parrot.jpg", "bird.bmp")) {
      Files.copy(CliRun.samples().resolve("natural").resolve(s), photos.resolve(s));
    }
    Path idx = dir.resolve("s320.idx");
    CliRun r = index(idx, photos, "--size", "320");
    assertEquals(0, r.exit(), r.err());
    assertEquals(4, r.last().get("indexed").asInt());
    IndexConfig config = ImageIndex.readConfig(idx).orElseThrow();
    assertEquals(InputSize.shorterSide(320), config.inputSize());
    assertEquals("320", config.toUserData().get("mobilenet.input_size"));

    // the stored vector is the library's at that size
    try (FeatureExtractor fx = FeatureExtractor.builder().shorterSide(320).build();
        ImageIndex index = ImageIndex.open(idx)) {
      String id = index.getByPath(photos.resolve("cat_720p.jpg").toString()).orElseThrow().id();
      float[] stored = index.vector(id).orElseThrow();
      float[] expected =
          Features.l2Normalize(
              fx.extractFeatures(photos.resolve("cat_720p.jpg"), "layer_19")
                  .pooled(IndexConfig.DEFAULT_POOLING));
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], stored[i], 1e-6f, "dimension " + i);
      }
    }

    // re-runs keep the size; another size is refused like any other setting
    CliRun again = index(idx, photos);
    assertEquals(0, again.exit(), again.err());
    assertEquals(4, again.last().get("unchanged").asInt());
    CliRun other = index(idx, photos, "--size", "256");
    assertEquals(2, other.exit());
    assertTrue(
        other
            .err()
            .contains(
                "index "
                    + idx
                    + " was built with a different configuration: input_size=320 (asked: 256)"),
        other.err());

    // search embeds the query at the index's size; another size is refused
    String owl = photos.resolve("owl.jpg").toString();
    CliRun s = CliRun.run("search", "--index", idx.toString(), "--k", "1", "--image", owl);
    assertEquals(0, s.exit(), s.err());
    assertEquals(owl, s.last().get("path").asText());
    assertTrue(s.last().get("score").asDouble() > 0.9999, s.out());
    assertEquals(
        s.out(),
        CliRun.run("search", "--index", idx.toString(), "--k", "1", "--size", "320", "--image", owl)
            .out());
    CliRun native224 =
        CliRun.run("search", "--index", idx.toString(), "--size", "224x224", "--image", owl);
    assertEquals(2, native224.exit());
    assertTrue(native224.err().contains("input_size=320 (asked: native)"), native224.err());
  }

  @Test
  void anIndexWithoutASizeAcceptsTheModelsOwnSize(@TempDir Path dir) throws Exception {
    Path photos = dir.resolve("photos");
    Files.createDirectories(photos);
    Files.copy(CliRun.samples().resolve("natural/owl.jpg"), photos.resolve("owl.jpg"));
    Path idx = dir.resolve("plain.idx");
    assertEquals(0, index(idx, photos).exit());
    IndexConfig config = ImageIndex.readConfig(idx).orElseThrow();
    assertNull(config.inputSize());
    assertTrue(!config.toUserData().containsKey("mobilenet.input_size"));
    CliRun same = index(idx, photos, "--size", "224x224");
    assertEquals(0, same.exit(), same.err());
    assertEquals(1, same.last().get("unchanged").asInt());
    CliRun other = index(idx, photos, "--size", "300");
    assertEquals(2, other.exit());
    assertTrue(other.err().contains("input_size=native (asked: 300)"), other.err());
  }

  private static CliRun index(Path idx, Path photos, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("index", "--index", idx.toString(), "--progress", "none"));
    args.addAll(List.of(more));
    args.add(photos.toString());
    return CliRun.run(args.toArray(String[]::new));
  }

  private static void assertVector(float[] expected, JsonNode actual) {
    assertEquals(expected.length, actual.size());
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], (float) actual.get(i).asDouble(), 0f, "value " + i);
    }
  }
}
