package io.github.mobilenet.demo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation commands end to end, on sample photos and the real model, through {@link Cli#run}.
 */
class EvalCommandsTest {
  @TempDir static Path work;
  static Path variants;
  static Path cache;
  static final List<String> SOURCES =
      List.of(
          "natural/bird.bmp",
          "natural/dragonfly.bmp",
          "natural/hot_dog.jpg",
          "natural/parrot.jpg",
          "test/skimage_coffee.jpg",
          "test/darknet_giraffe.jpg");

  @BeforeAll
  static void makeVariants() throws IOException {
    variants = work.resolve("variants");
    cache = work.resolve("cache");
    CliRun r = onSources("eval", "variants", "--out", variants.toString(), "--copies", "3");
    assertEquals(0, r.exit(), r.err());
    assertEquals(18, r.last().get("images").asInt());
    assertEquals(18, Files.readAllLines(variants.resolve("LABELS")).size());
  }

  @Test
  void retrievalPrintsMetricsAndUsesTheCache() throws IOException {
    CliRun first = onVariants(cache, "eval", "retrieval");
    assertEquals(0, first.exit(), first.err());
    JsonNode m = first.last();
    assertEquals(18, m.get("images").asInt());
    assertEquals(6, m.get("classes").asInt());
    assertEquals("layer_19/gem/full/antialias/l2", m.get("config").asText());
    assertEquals(1280, m.get("dims").asInt());
    assertTrue(m.get("map").asDouble() > 0.9, m.toString());
    assertTrue(m.get("p@1").asDouble() > 0.9, m.toString());
    // 2 relevant per query: recall@10 is at least P@10 · 10 / 2 when both are found
    assertTrue(m.get("recall@10").asDouble() > 0.9, m.toString());
    assertTrue(m.has("seconds") && m.has("images_per_second"));
    assertTrue(!m.get("cached").asBoolean());
    CliRun again = onVariants(cache, "eval", "retrieval", "--dba", "1");
    assertEquals(0, again.exit(), again.err());
    assertTrue(again.last().get("cached").asBoolean(), "second run reads the cache");
    assertTrue(again.last().get("map").asDouble() > 0.9, again.last().toString());
    CliRun indexed = onVariants(cache, "eval", "retrieval", "--format", "int7", "--depth", "17");
    assertEquals(0, indexed.exit(), indexed.err());
    assertEquals(
        indexed.last().get("map_exact").asDouble(), indexed.last().get("map").asDouble(), 1e-4);
    assertEquals("int7", indexed.last().get("format").asText());
  }

  @Test
  void probeTrainHeadAndPredict() throws IOException {
    CliRun probe = onVariants(cache, "eval", "probe", "--folds", "3", "--neighbours", "1");
    assertEquals(0, probe.exit(), probe.err());
    assertEquals(3, probe.last().get("knn_folds").size());
    assertTrue(probe.last().get("knn").asDouble() > 0.8, probe.last().toString());
    assertTrue(probe.last().get("logistic").asDouble() > 0.8, probe.last().toString());
    Path head = work.resolve("head.json");
    CliRun train = onVariants(cache, "train-head", "--out", head.toString());
    assertEquals(0, train.exit(), train.err());
    assertEquals(1.0, train.last().get("train_accuracy").asDouble(), 0);
    assertTrue(train.last().get("converged").asBoolean());
    CliRun predict = onSources("predict", "--head", head.toString(), "--top", "2");
    assertEquals(0, predict.exit(), predict.err());
    assertEquals(SOURCES.size(), predict.lines().size());
    for (int i = 0; i < SOURCES.size(); i++) {
      JsonNode line = predict.lines().get(i);
      String expected = Path.of(SOURCES.get(i)).getFileName().toString();
      assertEquals(expected, line.get("top").get(0).get("class").asText(), line.toString());
      assertEquals(2, line.get("top").size());
    }
  }

  @Test
  void evalTrainHeadAndPredictRunTheChosenModel() throws IOException {
    String labels = variants.resolve("LABELS").toString();
    String model = "mobilenet_v1_0.5_160";
    CliRun r = onVariants(cache, "eval", "retrieval", "--model", model);
    assertEquals(0, r.exit(), r.err());
    JsonNode m = r.last();
    // the model's default layer: the map its pooled vector averages
    assertEquals("Conv2d_13_pointwise/gem/full/antialias/l2", m.get("config").asText());
    assertEquals(512, m.get("dims").asInt());
    assertTrue(m.get("map").asDouble() > 0.9, m.toString());
    Path head = work.resolve("head_v1.json");
    CliRun train =
        onVariants(
            cache, "train-head", "--model", model, "--layer", "pooled", "--out", head.toString());
    assertEquals(0, train.exit(), train.err());
    assertEquals(512, train.last().get("dims").asInt());
    assertTrue(Files.readString(head).contains(model), "the head records its model");
    // predict takes the head's model without being told
    String photo = CliRun.samples().resolve(SOURCES.get(3)).toString();
    CliRun predict = CliRun.run("predict", "--head", head.toString(), "--top", "1", photo);
    assertEquals(0, predict.exit(), predict.err());
    assertEquals("parrot.jpg", predict.last().get("top").get(0).get("class").asText());
    CliRun other =
        CliRun.run("predict", "--head", head.toString(), "--model", "mobilenet_v1_0.25_128", photo);
    assertEquals(2, other.exit());
    assertTrue(
        other
            .err()
            .contains(
                "the head was trained on model "
                    + model
                    + ", the profile is mobilenet_v1_0.25_128"),
        other.err());
    CliRun noHead =
        CliRun.run(
            "eval",
            "classify",
            "--labels",
            labels,
            "--model",
            "mobilenet_v1_1.0_224_features",
            "--no-cache",
            variants.toString());
    assertEquals(2, noHead.exit());
    assertTrue(noHead.err().contains("has no classifier head"), noHead.err());
  }

  @Test
  void retrievalAtAnotherInputSize() throws IOException {
    String labels = variants.resolve("LABELS").toString();
    Path sized = work.resolve("cache-sized");
    CliRun plain = onVariants(sized, "eval", "retrieval");
    CliRun own = onVariants(sized, "eval", "retrieval", "--size", "224x224");
    CliRun small = onVariants(sized, "eval", "retrieval", "--size", "160");
    assertEquals(0, plain.exit(), plain.err());
    assertEquals(0, own.exit(), own.err());
    assertEquals(0, small.exit(), small.err());
    // the model's own size is the default: same numbers, from the cache
    assertEquals(plain.last().get("map"), own.last().get("map"));
    assertTrue(own.last().get("cached").asBoolean());
    assertTrue(!own.last().has("input_size"));
    // another size is another extraction, never the cached default
    assertEquals("160", small.last().get("input_size").asText());
    assertTrue(!small.last().get("cached").asBoolean());
    assertEquals(1280, small.last().get("dims").asInt());
    assertTrue(small.last().get("map").asDouble() > 0.9, small.last().toString());
    CliRun head =
        CliRun.run(
            "train-head",
            "--labels",
            labels,
            "--out",
            work.resolve("h.json").toString(),
            "--size",
            "160",
            "--no-cache",
            variants.toString());
    assertEquals(2, head.exit());
    assertTrue(head.err().contains("train-head does not take --size"), head.err());
  }

  @Test
  void classifyMeasuresTheImageNetHead() throws IOException {
    Path labels =
        CliRun.samples()
            .resolveSibling(
                "embeddings/src/test/resources/io/github/mobilenet/embeddings/eval/natural.labels");
    CliRun r =
        CliRun.run(
            "eval",
            "classify",
            "--labels",
            labels.toString(),
            "--cache",
            cache.toString(),
            "--quiet",
            CliRun.samples().resolve("natural").toString());
    assertEquals(0, r.exit(), r.err());
    // 10 of 11 right at top-1 (the burrowing owl is called a ruffed grouse); the owl class is 5th.
    assertEquals(11, r.last().get("images").asInt());
    assertEquals(0.9091, r.last().get("top1").asDouble(), 0);
    assertEquals(1.0, r.last().get("top5").asDouble(), 0);
  }

  @Test
  void badInvocationsAreUsageErrors() throws IOException {
    assertEquals(2, CliRun.run("eval").exit());
    assertEquals(2, CliRun.run("eval", "nonsense").exit());
    assertEquals(2, CliRun.run("eval", "retrieval", variants.toString()).exit()); // no --labels
    Path bad = work.resolve("bad.labels");
    Files.writeString(bad, "no-tab-here\n");
    CliRun r =
        CliRun.run(
            "eval", "retrieval", "--labels", bad.toString(), "--no-cache", variants.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("bad.labels:1"), r.err());
    assertEquals(
        2,
        CliRun.run(
                "eval",
                "retrieval",
                "--labels",
                variants.resolve("LABELS").toString(),
                "--layer",
                "layer_99",
                variants.toString())
            .exit());
    assertEquals(
        2,
        CliRun.run(
                "predict", "--head", work.resolve("missing.json").toString(), variants.toString())
            .exit());
    assertEquals(
        2,
        CliRun.run(
                "eval",
                "classify",
                "--labels",
                variants.resolve("LABELS").toString(),
                "--no-cache",
                variants.toString())
            .exit()); // classes are file names, not ImageNet indices
  }

  /**
   * {@code args} on the variants: then --labels (their LABELS), --cache {@code cacheDir}, --quiet
   * and the variants folder.
   */
  /**
   * eval edits writes two photos with their nine edits; indexed, eval dups finds every copy and no
   * pair across the photos, and scores recall per edit.
   */
  @Test
  void editsAreFoundByVerifiedDuplicates() throws IOException {
    Path edits = work.resolve("edits");
    CliRun made =
        CliRun.run(
            "eval",
            "edits",
            "--out",
            edits.toString(),
            CliRun.samples().resolve("natural/parrot.jpg").toString(),
            CliRun.samples().resolve("test/skimage_coffee.jpg").toString());
    assertEquals(0, made.exit(), made.err());
    assertEquals(20, made.last().get("images").asInt());
    String idx = work.resolve("edits.idx").toString();
    CliRun indexed = CliRun.run("index", "--index", idx, "--progress", "none", edits.toString());
    assertEquals(0, indexed.exit(), indexed.err());
    CliRun r =
        CliRun.run("eval", "dups", "--index", idx, "--labels", edits.resolve("LABELS").toString());
    assertEquals(0, r.exit(), r.err());
    JsonNode m = r.last();
    assertEquals(20, m.get("images").asInt());
    assertEquals(2 * 45, m.get("positives").asInt(), "10 copies of each photo: 45 pairs each");
    assertEquals(0, m.get("falsePairs").asInt(), r.out());
    assertEquals(1.0, m.get("recall").asDouble(), 0, r.out());
    assertEquals(2, m.get("groups").asInt());
    assertEquals(10, m.get("recallByEdit").size(), "nine edits and all");
    m.get("recallByEdit").forEach(v -> assertEquals(1.0, v.asDouble(), 0, m.toString()));
  }

  private static CliRun onVariants(Path cacheDir, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--labels",
            variants.resolve("LABELS").toString(),
            "--cache",
            cacheDir.toString(),
            "--quiet",
            variants.toString()));
    return CliRun.run(all.toArray(String[]::new));
  }

  /** {@code args} followed by every one of {@link #SOURCES}. */
  private static CliRun onSources(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    for (String s : SOURCES) {
      all.add(CliRun.samples().resolve(s).toString());
    }
    return CliRun.run(all.toArray(String[]::new));
  }
}
