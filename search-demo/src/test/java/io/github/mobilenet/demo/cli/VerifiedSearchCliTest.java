package io.github.mobilenet.demo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** search --verify, the cosine/inliers fields, and batch queries with --images. */
class VerifiedSearchCliTest {
  @Test
  void verifiedFieldsDepthZeroAndBatch(@TempDir Path dir) throws Exception {
    Path photos = Files.createDirectories(dir.resolve("photos"));
    for (String n :
        List.of(
            "darknet_dog.jpg", "darknet_horses.jpg", "kodak_kodim03.jpg", "kodak_kodim05.jpg")) {
      Files.copy(CliRun.test(n), photos.resolve(n));
    }
    String idx = dir.resolve("idx").toString();
    CliRun indexed = CliRun.run("index", "--index", idx, "--progress", "none", photos.toString());
    assertEquals(ExitCode.OK, indexed.exit(), indexed.err());

    // a copy of kodim05 turned a quarter: verified first, with inliers and its cosine
    BufferedImage src = ImageIO.read(CliRun.test("kodak_kodim05.jpg").toFile());
    BufferedImage rot =
        new BufferedImage(src.getHeight(), src.getWidth(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = rot.createGraphics();
    g.rotate(Math.PI / 2);
    g.drawImage(src, 0, -src.getHeight(), null);
    g.dispose();
    Path query = dir.resolve("rot.png");
    ImageIO.write(rot, "png", query.toFile());
    CliRun verified = CliRun.run("search", "--index", idx, "--image", query.toString(), "--k", "3");
    assertEquals(ExitCode.OK, verified.exit(), verified.err());
    List<JsonNode> hits = verified.lines();
    assertEquals(3, hits.size());
    JsonNode first = hits.get(0);
    assertEquals(photos.resolve("kodak_kodim05.jpg").toString(), first.get("path").asText());
    assertEquals(List.of("rank", "id", "path", "score", "cosine", "inliers"), fieldNames(first));
    assertTrue(first.get("inliers").asInt() >= 60, first.toString());
    assertTrue(first.get("cosine").asDouble() < 0.95, first.toString());
    for (JsonNode h : hits.subList(1, 3)) {
      assertFalse(h.has("inliers"), "other photos are not verified: " + h);
      assertTrue(h.has("cosine"));
    }

    // --verify 0: the embedding's order and scores, no inliers
    CliRun zero =
        CliRun.run(
            "search", "--index", idx, "--image", query.toString(), "--k", "4", "--verify", "0");
    assertEquals(ExitCode.OK, zero.exit(), zero.err());
    double previous = 2;
    for (JsonNode h : zero.lines()) {
      assertFalse(h.has("inliers"));
      assertTrue(h.get("score").asDouble() <= previous);
      previous = h.get("score").asDouble();
    }

    // --images over a folder: one line per hit, each naming its query; equal to single searches
    Path queries = Files.createDirectories(dir.resolve("queries"));
    Files.copy(query, queries.resolve("rot.png"));
    Files.copy(CliRun.test("darknet_dog.jpg"), queries.resolve("dog.jpg"));
    CliRun batch =
        CliRun.run(
            "search", "--index", idx, "--images", queries.toString(), "--k", "2", "--exclude-self");
    assertEquals(ExitCode.OK, batch.exit(), batch.err());
    List<JsonNode> lines = batch.lines();
    assertEquals(4, lines.size(), batch.out());
    for (String q : List.of("dog.jpg", "rot.png")) {
      Path file = queries.resolve(q);
      List<JsonNode> single =
          CliRun.run(
                  "search",
                  "--index",
                  idx,
                  "--image",
                  file.toString(),
                  "--k",
                  "2",
                  "--exclude-self")
              .lines();
      List<JsonNode> mine =
          lines.stream().filter(l -> l.get("query").asText().equals(file.toString())).toList();
      assertEquals(2, mine.size(), batch.out());
      for (int i = 0; i < 2; i++) {
        ObjectNode withoutQuery = ((ObjectNode) mine.get(i).deepCopy());
        assertEquals("query", fieldNames(mine.get(i)).get(0));
        withoutQuery.remove("query");
        assertEquals(single.get(i).get("path"), withoutQuery.get("path"), q);
        assertEquals(single.get(i).get("rank"), withoutQuery.get("rank"));
        assertEquals(single.get(i).has("inliers"), withoutQuery.has("inliers"));
        assertEquals(
            single.get(i).get("score").asDouble(), withoutQuery.get("score").asDouble(), 1e-5);
      }
    }
    // the dog's own document is dropped from the dog's hits by --exclude-self (same content)
    String dogQuery = queries.resolve("dog.jpg").toString();
    assertTrue(
        lines.stream()
            .filter(l -> l.get("query").asText().equals(dogQuery))
            .noneMatch(
                l -> l.get("path").asText().equals(photos.resolve("darknet_dog.jpg").toString())));

    // a query that cannot be read fails alone (exit 1); bad --verify is a usage error
    Files.writeString(queries.resolve("fake.jpg"), "not a jpeg");
    CliRun partly =
        CliRun.run("search", "--index", idx, "--images", queries.toString(), "--k", "1");
    assertEquals(ExitCode.SOME_FAILED, partly.exit(), partly.err());
    assertEquals(3, partly.lines().size(), partly.out());
    assertTrue(partly.out().contains("\"error\""), partly.out());
    CliRun bad =
        CliRun.run("search", "--index", idx, "--image", query.toString(), "--verify", "-1");
    assertEquals(ExitCode.USAGE, bad.exit(), bad.err());
    assertTrue(bad.err().contains("--verify"), bad.err());
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
