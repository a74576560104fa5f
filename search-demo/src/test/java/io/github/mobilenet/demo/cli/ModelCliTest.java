package io.github.mobilenet.demo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mobilenet.core.model.ModelRegistry;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.index.IndexConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code models} and {@code --model} on the commands that embed. */
class ModelCliTest {
  static final String V1_SMALL = "mobilenet_v1_0.25_128";

  /** id → input side, pooled dimension, classes: what docs/MODELS.md lists. */
  static final Map<String, int[]> PUBLISHED =
      Map.of(
          "mobilenet_v2_1.0_224", new int[] {224, 1280, 1001},
          "mobilenet_v2_1.0_224_int8", new int[] {224, 1280, 1001},
          "mobilenet_v1_1.0_224_features", new int[] {224, 1024, 0},
          "mobilenet_v1_0.75_192", new int[] {192, 768, 1001},
          "mobilenet_v1_0.5_160", new int[] {160, 512, 1001},
          "mobilenet_v1_0.25_128", new int[] {128, 256, 1001},
          "mobilenet_v2_1.0_224_inat_bird", new int[] {224, 1280, 965},
          "mobilenet_v2_1.0_224_inat_insect", new int[] {224, 1280, 1022});

  @Test
  void modelsListsEveryPublishedModelWithInputSizeDimensionAndShapes() {
    CliRun r = CliRun.run("models");
    assertEquals(0, r.exit(), r.err());
    List<String> ids = new ArrayList<>();
    for (JsonNode m : r.lines()) {
      String id = m.get("id").asText();
      ids.add(id);
      int[] expected = PUBLISHED.get(id);
      assertTrue(expected != null, "unexpected model " + id);
      assertEquals(List.of(expected[0], expected[0]), ints(m.get("input")), id);
      assertEquals(expected[1], m.get("embedding_dimension").asInt(), id);
      assertEquals(expected[2], m.get("classes").asInt(), id);
      assertEquals(List.of(expected[1]), ints(m.get("endpoints").get("pooled")), id);
      assertEquals("Apache-2.0", m.get("licence").asText(), id);
      assertTrue(m.get("bytes").asLong() > 1_000_000, id);
      assertTrue(m.get("accuracy").asText().contains("top-1") || expected[2] != 1001, id);
      int side = (expected[0] + 31) / 32; // the last map: stride 32
      if (id.startsWith("mobilenet_v2")) {
        assertEquals(List.of(1280, side, side), ints(m.get("endpoints").get("layer_19")), id);
        assertEquals(List.of(32, 112, 112), ints(m.get("endpoints").get("layer_1")), id);
        assertEquals("layer_19", m.get("aliases").get("layer_20").asText(), id);
        assertEquals(23, m.get("endpoints").size(), id); // layer_1..19, _15_expansion, 3 vectors
      } else {
        assertEquals(
            List.of(expected[1], side, side),
            ints(m.get("endpoints").get("Conv2d_13_pointwise")),
            id);
        assertEquals(expected[2] == 0 ? 28 : 30, m.get("endpoints").size(), id);
        assertTrue(m.get("endpoints").has("Conv2d_0"), id);
      }
    }
    assertEquals(ModelRegistry.DEFAULT_ID, ids.get(0));
    assertEquals(PUBLISHED.size(), ids.size());
    assertEquals(PUBLISHED.keySet(), new java.util.HashSet<>(ids));
    // the registry's own numbers for one row: 128 / 32 = 4
    JsonNode small = CliRun.run("models", "--model", V1_SMALL).last();
    assertEquals(List.of(256, 4, 4), ints(small.get("endpoints").get("Conv2d_13_pointwise")));
    assertEquals(List.of(8, 64, 64), ints(small.get("endpoints").get("Conv2d_0")));
  }

  @Test
  void aUsersOwnProfileIsShownAndUsedTheSameWay(@TempDir Path dir) throws IOException {
    Path profile = ownModel(dir);
    CliRun r = CliRun.run("models", "--profile", profile.toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals(1, r.lines().size());
    JsonNode m = r.last();
    assertEquals("my_small_v1", m.get("id").asText());
    assertEquals(List.of(128, 128), ints(m.get("input")));
    assertEquals(256, m.get("embedding_dimension").asInt());
    assertTrue(m.get("licence").isNull(), m.toString()); // no card.json beside it
    assertEquals(dir.toString(), m.get("location").asText());

    CliRun c =
        CliRun.run(
            "classify",
            "--top",
            "1",
            "--profile",
            profile.toString(),
            CliRun.samples().resolve("natural/bird.bmp").toString());
    assertEquals(0, c.exit(), c.err());
    assertEquals(20, c.last().get("top").get(0).get("index").asInt()); // chickadee
  }

  @Test
  void usageErrors() {
    String img = CliRun.samples().resolve("natural/bird.bmp").toString();
    CliRun both = CliRun.run("classify", "--model", V1_SMALL, "--profile", "p.json", img);
    assertEquals(2, both.exit());
    assertTrue(both.err().contains("--model and --profile exclude each other"), both.err());
    for (String cmd : List.of("classify", "extract", "models")) {
      List<String> args = new ArrayList<>(List.of(cmd, "--model", "mobilenet_v9"));
      if (!cmd.equals("models")) {
        args.addAll(cmd.equals("extract") ? List.of("--layer", "pooled", img) : List.of(img));
      }
      CliRun r = CliRun.run(args.toArray(String[]::new));
      assertEquals(2, r.exit(), cmd + ": " + r.err());
      assertTrue(
          r.err()
              .contains(
                  "mobilenet "
                      + cmd
                      + ": unknown model 'mobilenet_v9'; models on the classpath: "
                      + ModelRegistry.DEFAULT_ID
                      + ", "),
          r.err());
    }
    CliRun features = CliRun.run("classify", "--model", "mobilenet_v1_1.0_224_features", img);
    assertEquals(2, features.exit());
    assertTrue(
        features.err().contains("model mobilenet_v1_1.0_224_features has no classifier head"),
        features.err());
    assertEquals("", features.out());
  }

  @Test
  void classifyAndExtractRunTheChosenModel() {
    String hopper = CliRun.samples().resolve("natural/grace_hopper.bmp").toString();
    String parrot = CliRun.samples().resolve("natural/parrot.jpg").toString();
    CliRun c = CliRun.run("classify", "--top", "1", "--model", "mobilenet_v1_0.75_192", hopper);
    assertEquals(0, c.exit(), c.err());
    assertEquals(653, c.last().get("top").get(0).get("index").asInt()); // military uniform
    CliRun bird =
        CliRun.run("classify", "--top", "1", "--model", "mobilenet_v2_1.0_224_inat_bird", parrot);
    assertEquals(0, bird.exit(), bird.err());
    assertEquals("Ara macao (Scarlet Macaw)", bird.last().get("top").get(0).get("label").asText());

    CliRun e = CliRun.run("extract", "--model", V1_SMALL, "--layer", "Conv2d_13_pointwise", parrot);
    assertEquals(0, e.exit(), e.err());
    assertEquals(List.of(256, 4, 4), ints(e.last().get("shape")));
    assertEquals(256 * 16, e.last().get("vector").size());
    CliRun wrongFamily = CliRun.run("extract", "--model", V1_SMALL, "--layer", "layer_19", parrot);
    assertEquals(2, wrongFamily.exit());
    assertTrue(wrongFamily.err().contains("layer_19"), wrongFamily.err());
  }

  @Test
  void indexRecordsTheModelAndSearchUsesIt(@TempDir Path dir) throws IOException {
    CliRun r = indexV1Photos(dir, "bird.bmp", "parrot.jpg", "owl.jpg", "cat.bmp", "hot_dog.jpg");
    Path photos = dir.resolve("photos");
    Path idx = dir.resolve("v1.idx");
    assertEquals(0, r.exit(), r.err());
    assertEquals(5, r.last().get("indexed").asInt());
    IndexConfig config = ImageIndex.readConfig(idx).orElseThrow();
    assertEquals(V1_SMALL, config.modelId());
    assertEquals("Conv2d_13_pointwise", config.layer()); // the map pooled averages
    assertEquals(IndexConfig.DEFAULT_POOLING, config.pooling());
    assertEquals(256, config.dimension());

    // a re-run without --model keeps the index's model
    CliRun again =
        CliRun.run("index", "--index", idx.toString(), "--progress", "none", photos.toString());
    assertEquals(0, again.exit(), again.err());
    assertEquals(5, again.last().get("unchanged").asInt());
    // another model is refused by the configuration check
    CliRun other =
        CliRun.run(
            "index",
            "--index",
            idx.toString(),
            "--model",
            ModelRegistry.DEFAULT_ID,
            "--progress",
            "none",
            photos.toString());
    assertEquals(2, other.exit());
    assertTrue(
        other.err().contains("model=" + V1_SMALL + " (asked: " + ModelRegistry.DEFAULT_ID + ")"),
        other.err());

    // search embeds the query with the index's model unless told otherwise
    String query = photos.resolve("owl.jpg").toString();
    CliRun s = CliRun.run("search", "--index", idx.toString(), "--k", "2", "--image", query);
    assertEquals(0, s.exit(), s.err());
    assertEquals(
        "owl.jpg", Path.of(s.lines().get(0).get("path").asText()).getFileName().toString());
    assertTrue(s.lines().get(0).get("score").asDouble() > 0.999, s.out());
    CliRun same =
        CliRun.run(
            "search", "--index", idx.toString(), "--k", "2", "--model", V1_SMALL, "--image", query);
    assertEquals(s.out(), same.out());
    for (String[] by :
        List.of(new String[] {"--image", query}, new String[] {"--id", "whatever"})) {
      CliRun mismatch =
          CliRun.run(
              "search", "--index", idx.toString(), "--model", "mobilenet_v1_0.5_160", by[0], by[1]);
      assertEquals(2, mismatch.exit(), mismatch.err());
      assertTrue(
          mismatch
              .err()
              .contains(
                  "the index holds vectors of model "
                      + V1_SMALL
                      + ", the model given is mobilenet_v1_0.5_160"),
          mismatch.err());
    }
  }

  @Test
  void serveEmbedsUploadsWithTheIndexsModel(@TempDir Path dir) throws Exception {
    CliRun r = indexV1Photos(dir, "owl.jpg", "parrot.jpg", "cat.bmp");
    Path photos = dir.resolve("photos");
    Path idx = dir.resolve("v1.idx");
    assertEquals(0, r.exit(), r.err());
    ServeCommand serve = new ServeCommand();
    serve.indexDir.path = idx;
    try (io.github.mobilenet.demo.web.IndexBackend backend = serve.open()) {
      assertEquals(V1_SMALL, backend.facts().model());
      var hits =
          backend.searchByImage(Files.readAllBytes(photos.resolve("parrot.jpg")), 1, List.of());
      assertEquals(photos.resolve("parrot.jpg").toString(), hits.get(0).path());
      assertTrue(hits.get(0).score() > 0.999, String.valueOf(hits.get(0).score()));
    }
    serve.profile = ownModel(Files.createDirectories(dir.resolve("own")));
    UsageException e =
        org.junit.jupiter.api.Assertions.assertThrows(UsageException.class, serve::open);
    assertTrue(
        e.getMessage()
            .contains(
                "the index holds vectors of model " + V1_SMALL + ", --profile is my_small_v1"),
        e.getMessage());
  }

  @Test
  void defaultLayerIsTheMapPooledAverages() throws Exception {
    for (String id : PUBLISHED.keySet()) {
      String expected = id.startsWith("mobilenet_v2") ? "layer_19" : "Conv2d_13_pointwise";
      assertEquals(expected, ModelOptions.defaultLayer(ModelRegistry.profile(id)), id);
    }
    assertEquals(
        IndexConfig.DEFAULT_LAYER,
        ModelOptions.defaultLayer(ModelRegistry.profile(ModelRegistry.DEFAULT_ID)));
  }

  /** A copy of the small V1 model under another id, without its card. */
  static Path ownModel(Path dir) throws IOException {
    String folder = "/io/github/mobilenet/models/" + V1_SMALL + "/";
    for (String f : List.of("mobilenet_v1_0.25_128.onnx", "imagenet_labels.txt")) {
      try (InputStream in = ModelCliTest.class.getResourceAsStream(folder + f)) {
        Files.copy(in, dir.resolve(f));
      }
    }
    ObjectNode p;
    try (InputStream in = ModelCliTest.class.getResourceAsStream(folder + "profile.json")) {
      p = (ObjectNode) Json.MAPPER.readTree(in);
    }
    p.put("id", "my_small_v1");
    Path profile = dir.resolve("profile.json");
    Files.writeString(profile, Json.write(p));
    return profile;
  }

  static List<Integer> ints(JsonNode array) {
    List<Integer> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asInt()));
    return out;
  }

  /** Copies these natural samples into dir/photos and indexes them with V1_SMALL in dir/v1.idx. */
  private static CliRun indexV1Photos(Path dir, String... samples) throws IOException {
    Path photos = Files.createDirectories(dir.resolve("photos"));
    for (String s : samples) {
      Files.copy(CliRun.samples().resolve("natural").resolve(s), photos.resolve(s));
    }
    return CliRun.run(
        "index",
        "--index",
        dir.resolve("v1.idx").toString(),
        "--model",
        V1_SMALL,
        "--progress",
        "none",
        photos.toString());
  }
}
