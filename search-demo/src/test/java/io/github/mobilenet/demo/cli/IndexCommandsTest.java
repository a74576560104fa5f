package io.github.mobilenet.demo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mobilenet.core.util.Npy;
import io.github.mobilenet.embeddings.index.ContentHash;
import io.github.mobilenet.embeddings.index.ImageIds;
import io.github.mobilenet.embeddings.index.ImageIndex;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** index, search and dups through the CLI: flags, JSON lines, exit codes. */
class IndexCommandsTest {
  @Test
  void indexSearchAndDups(@TempDir Path dir) throws Exception {
    Path photos = Files.createDirectories(dir.resolve("photos"));
    for (String n :
        List.of(
            "darknet_dog.jpg",
            "darknet_horses.jpg",
            "skimage_coffee.jpg",
            "kodak_kodim03.jpg",
            "skimage_chelsea.png")) {
      Files.copy(CliRun.test(n), photos.resolve(n));
    }
    // a half-size copy of the horses: a near-duplicate
    BufferedImage horses = ImageIO.read(CliRun.test("darknet_horses.jpg").toFile());
    BufferedImage small =
        new BufferedImage(
            horses.getWidth() / 2, horses.getHeight() / 2, BufferedImage.TYPE_INT_RGB);
    small.createGraphics().drawImage(horses, 0, 0, small.getWidth(), small.getHeight(), null);
    ImageIO.write(small, "png", photos.resolve("horses_small.png").toFile());
    Files.writeString(photos.resolve("fake.jpg"), "not a jpeg");
    Path tags = dir.resolve("tags.tsv");
    Files.writeString(
        tags,
        "path\tkind\nphotos/darknet_dog.jpg\tanimal\nphotos/darknet_horses.jpg\tanimal\nphotos/skimage_coffee.jpg\tfood\n");
    String idx = dir.resolve("idx").toString();

    CliRun first = indexTagged(idx, tags, "plain", "--threads", "2", photos.toString());
    assertEquals(ExitCode.SOME_FAILED, first.exit(), first.err());
    List<JsonNode> lines = first.lines();
    assertEquals(2, lines.size(), first.out());
    assertEquals(
        photos.resolve("fake.jpg").toAbsolutePath().toString(), lines.get(0).get("file").asText());
    assertEquals("not_an_image", lines.get(0).get("reason").asText());
    JsonNode summary = lines.get(1);
    assertEquals(6, summary.get("indexed").asInt());
    assertEquals(1, summary.get("failed").asInt());
    assertEquals(6, summary.get("embedded").asInt());
    assertEquals(0, summary.get("unchanged").asInt());
    assertEquals(
        6, summary.get("augmented").asInt(), "database-side augmentation is on by default");
    assertTrue(summary.get("augment_seconds").asDouble() >= 0);
    assertTrue(summary.get("seconds").asDouble() > 0);
    assertTrue(first.err().contains("index: augmenting: 6/6 images"), first.err());
    assertTrue(first.err().contains("index: committed, 6 documents"), first.err());

    Files.delete(photos.resolve("fake.jpg"));
    CliRun second = indexTagged(idx, tags, "none", photos.toString());
    assertEquals(ExitCode.OK, second.exit(), second.err());
    assertEquals(0, second.last().get("embedded").asInt());
    assertEquals(6, second.last().get("unchanged").asInt());
    assertEquals(
        0, second.last().get("augmented").asInt(), "nothing changed, nothing to recompute");
    assertEquals("", second.err());

    // search by image: the file itself first, then its half-size copy
    CliRun byImage = searchByImage(idx, CliRun.test("darknet_horses.jpg").toString(), "3");
    assertEquals(ExitCode.OK, byImage.exit(), byImage.err());
    List<JsonNode> hits = byImage.lines();
    assertEquals(3, hits.size());
    assertEquals(1, hits.get(0).get("rank").asInt());
    assertEquals(photos.resolve("darknet_horses.jpg").toString(), hits.get(0).get("path").asText());
    assertEquals( // one id per path: the content hash and the path
        ImageIds.of(
            ContentHash.of(photos.resolve("darknet_horses.jpg")),
            photos.resolve("darknet_horses.jpg").toAbsolutePath().normalize().toString()),
        hits.get(0).get("id").asText());
    assertEquals(1.0, hits.get(0).get("score").asDouble(), 1e-5);
    assertEquals(photos.resolve("horses_small.png").toString(), hits.get(1).get("path").asText());
    assertTrue(hits.get(1).get("score").asDouble() > 0.95);

    // --exclude-self with --image drops the same content; with --id too
    CliRun excluded =
        searchByImage(idx, CliRun.test("darknet_horses.jpg").toString(), "1", "--exclude-self");
    assertEquals(
        photos.resolve("horses_small.png").toString(), excluded.last().get("path").asText());
    String id = hits.get(0).get("id").asText();
    CliRun byId = CliRun.run("search", "--index", idx, "--id", id, "--k", "2", "--exact");
    assertEquals(id, byId.lines().get(0).get("id").asText());
    CliRun byIdExcluded =
        CliRun.run("search", "--index", idx, "--id", id, "--k", "5", "--exclude-self");
    assertEquals(5, byIdExcluded.lines().size());
    assertFalse(byIdExcluded.lines().stream().anyMatch(h -> h.get("id").asText().equals(id)));

    // filters: only tagged animals
    CliRun animals = CliRun.run("search", "--index", idx, "--id", id, "--filter", "kind=animal");
    assertEquals(
        List.of("darknet_horses.jpg", "darknet_dog.jpg"),
        animals.lines().stream()
            .map(h -> Path.of(h.get("path").asText()).getFileName().toString())
            .toList());

    // by vector: the stored vector of the coffee finds the coffee
    Path npy = dir.resolve("q.npy");
    try (ImageIndex index = ImageIndex.open(Path.of(idx))) {
      Npy.write(
          npy,
          List.of(
              index.vectorByPath(photos.resolve("skimage_coffee.jpg").toString()).orElseThrow()));
    }
    CliRun byVector = CliRun.run("search", "--index", idx, "--vector", npy.toString(), "--k", "1");
    assertEquals(
        photos.resolve("skimage_coffee.jpg").toString(), byVector.last().get("path").asText());

    // near-duplicates: the horses and their half-size copy
    CliRun dups = CliRun.run("dups", "--index", idx);
    assertEquals(ExitCode.OK, dups.exit(), dups.err());
    assertEquals(1, dups.lines().size(), dups.out());
    JsonNode group = dups.last().get("group");
    assertEquals(2, group.size());
    assertEquals(
        photos.resolve("darknet_horses.jpg").toString(), group.get(0).get("path").asText());
    assertEquals(1.0, group.get(0).get("score").asDouble(), 0);
    assertEquals(photos.resolve("horses_small.png").toString(), group.get(1).get("path").asText());
    assertTrue(group.get(1).get("score").asDouble() >= 0.92);
    // verified by local features: the copy is the photo at another size
    assertEquals("identity", group.get(0).get("transform").asText());
    assertEquals("scale", group.get(1).get("transform").asText(), group.toString());
    assertTrue(group.get(1).get("inliers").asInt() >= 100, group.toString());
    // --threshold: cosine alone, as before verification (no inliers, no transform)
    CliRun cosine = CliRun.run("dups", "--index", idx, "--threshold", "0.92");
    assertEquals(1, cosine.lines().size(), cosine.out());
    assertEquals(2, cosine.last().get("group").size());
    assertFalse(cosine.last().get("group").get(1).has("inliers"));
    assertEquals(0, CliRun.run("dups", "--index", idx, "--threshold", "0.9999").lines().size());
    assertUsage(
        CliRun.run("dups", "--index", idx, "--threshold", "0.9", "--verify", "true"),
        "--threshold groups by cosine alone");
    assertUsage(CliRun.run("dups", "--index", idx, "--candidates", "0"), "--candidates");

    // usage errors: exit 2 with a message
    assertUsage(CliRun.run("search", "--index", idx), "exactly one of");
    assertUsage(
        CliRun.run("search", "--index", idx, "--id", id, "--image", "x.jpg"), "exactly one of");
    assertUsage(CliRun.run("search", "--index", idx, "--id", id, "--filter", "nokey"), "KEY=VALUE");
    assertUsage(CliRun.run("search", "--index", idx, "--vector", tags.toString()), "not a .npy");
    Npy.write(npy, List.of(new float[12]));
    assertUsage(CliRun.run("search", "--index", idx, "--vector", npy.toString()), "12 dimensions");
    assertUsage(
        CliRun.run("index", "--index", idx, "--format", "int3", photos.toString()),
        "unknown vector format");
    assertUsage(
        CliRun.run("index", "--index", idx, photos.toString(), "--bogus"),
        "unknown option --bogus");
    assertUsage(CliRun.run("index", photos.toString()), "--index is required");
    assertUsage(
        CliRun.run("index", "--index", idx, "--layer", "layer_18", photos.toString()),
        "layer=layer_19 (asked: layer_18)");
    assertUsage(
        CliRun.run("index", "--index", idx, "--format", "bit", photos.toString()),
        "format=float (asked: bit)");
    assertUsage(
        CliRun.run("index", "--index", idx, "--dba", "0", photos.toString()),
        "augment=2 (asked: 0)");
    assertUsage(
        CliRun.run(
            "index", "--index", dir.resolve("other").toString(), "--dba", "101", photos.toString()),
        "--dba");
    assertUsage(CliRun.run("dups", "--index", idx, "--threshold", "2"), "--threshold");
    // failures that are not usage errors: exit 1
    CliRun missingId = CliRun.run("search", "--index", idx, "--id", "0123");
    assertEquals(ExitCode.SOME_FAILED, missingId.exit());
    assertTrue(missingId.err().contains("no image with id 0123"), missingId.err());
    // read commands never create anything: a missing index is a usage error (exit 2)
    CliRun noIndex = CliRun.run("search", "--index", dir.resolve("none").toString(), "--id", id);
    assertEquals(ExitCode.USAGE, noIndex.exit());
    assertTrue(noIndex.err().contains("no image index at"), noIndex.err());
    assertFalse(java.nio.file.Files.exists(dir.resolve("none")), "search created the folder");
    CliRun inside = CliRun.run("dups", "--index", Path.of(idx, "segments_9").toString());
    assertEquals(ExitCode.USAGE, inside.exit());
    assertTrue(inside.err().contains("inside the index at"), inside.err());
    assertFalse(java.nio.file.Files.exists(Path.of(idx, "segments_9")), "dups created a folder");
  }

  /** The reliability issue's case: a re-run without --tags used to delete every stored tag. */
  @Test
  void rerunWithoutTagsKeepsThemAndClearingIsExplicit(@TempDir Path dir) throws Exception {
    Path photos = Files.createDirectories(dir.resolve("photos"));
    for (String n : List.of("darknet_dog.jpg", "darknet_horses.jpg", "skimage_coffee.jpg")) {
      Files.copy(CliRun.test(n), photos.resolve(n));
    }
    Path tags = dir.resolve("tags.csv");
    Files.writeString(
        tags, "path,kind\nphotos/darknet_dog.jpg,animal\nphotos/darknet_horses.jpg,animal\n");
    String idx = dir.resolve("idx").toString();
    CliRun first =
        CliRun.run("index", "--index", idx, "--tags", tags.toString(), photos.toString());
    assertEquals(ExitCode.OK, first.exit(), first.err());
    assertEquals(0, first.last().get("retagged").asInt(), "new images are indexed, not retagged");
    String dog = photos.resolve("darknet_dog.jpg").toString();

    CliRun again = CliRun.run("index", "--index", idx, photos.toString());
    assertEquals(ExitCode.OK, again.exit(), again.err());
    assertEquals(3, again.last().get("unchanged").asInt());
    assertEquals(0, again.last().get("retagged").asInt());
    List<JsonNode> animals =
        CliRun.run("search", "--index", idx, "--id", idOf(idx, dog), "--filter", "kind=animal")
            .lines();
    assertEquals(2, animals.size(), "both tagged images still match their tag");

    CliRun cleared = CliRun.run("index", "--index", idx, "--clear-tags", photos.toString());
    assertEquals(ExitCode.OK, cleared.exit(), cleared.err());
    assertEquals(2, cleared.last().get("retagged").asInt(), "the two tagged images lost theirs");
    assertEquals(
        0,
        CliRun.run("search", "--index", idx, "--id", idOf(idx, dog), "--filter", "kind=animal")
            .lines()
            .size());
  }

  private static String idOf(String idx, String path) throws Exception {
    return ImageIds.of(
        ContentHash.of(Path.of(path)), Path.of(path).toAbsolutePath().normalize().toString());
  }

  private static void assertUsage(CliRun r, String message) {
    assertEquals(ExitCode.USAGE, r.exit(), r.err());
    assertTrue(r.err().contains(message), r.err());
  }

  /** index --index IDX --tags TAGS --progress PROGRESS, then {@code rest} (flags, then PATHs). */
  private static CliRun indexTagged(String idx, Path tags, String progress, String... rest) {
    List<String> args =
        new ArrayList<>(
            List.of("index", "--index", idx, "--tags", tags.toString(), "--progress", progress));
    args.addAll(List.of(rest));
    return CliRun.run(args.toArray(String[]::new));
  }

  /** search --index IDX --image IMAGE --k K, then {@code rest}. */
  private static CliRun searchByImage(String idx, String image, String k, String... rest) {
    List<String> args =
        new ArrayList<>(List.of("search", "--index", idx, "--image", image, "--k", k));
    args.addAll(List.of(rest));
    return CliRun.run(args.toArray(String[]::new));
  }
}
