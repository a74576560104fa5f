package io.github.mobilenet.demo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spark-embed} runs the real Spark job in a child JVM on the class path mobilenet-spark's
 * build wrote (Spark is not on this module's class path), and refuses bad command lines before
 * starting it.
 */
class SparkEmbedCliTest {
  @Test
  void embedsAFolderOnLocalSparkAndReportsTheBadFile(@TempDir Path dir) throws Exception {
    Path photos = Files.createDirectories(dir.resolve("photos"));
    for (String name : List.of("darknet_dog.jpg", "skimage_coffee.jpg", "skimage_coins.png")) {
      Files.copy(CliRun.test(name), photos.resolve(name));
    }
    byte[] eagle = Files.readAllBytes(CliRun.test("darknet_eagle.jpg"));
    Files.write(photos.resolve("cut.jpg"), Arrays.copyOf(eagle, 3000));
    Path out = dir.resolve("out");
    CliRun r =
        CliRun.run(
            "spark-embed",
            "--master",
            "local[2]",
            "--input",
            photos.toString(),
            "--output",
            out.toString());
    assertEquals(ExitCode.SOME_FAILED, r.exit(), r.err());
    List<JsonNode> lines = r.lines();
    assertEquals(2, lines.size(), r.out());
    assertEquals(photos.resolve("cut.jpg").toString(), lines.get(0).get("file").asText());
    assertEquals("truncated", lines.get(0).get("reason").asText());
    JsonNode summary = lines.get(1);
    assertEquals(4, summary.get("rows").asInt());
    assertEquals(1, summary.get("failed").asInt());
    assertTrue(summary.get("seconds").asDouble() > 0, summary.toString());
    assertTrue(Files.exists(out.resolve("_SUCCESS")), "no Parquet output in " + out);
    try (var parts = Files.list(out)) {
      assertTrue(parts.anyMatch(p -> p.toString().endsWith(".parquet")), "no Parquet file");
    }
  }

  @Test
  void badCommandLinesExitTwoWithoutStartingSpark() {
    CliRun noOutput = CliRun.run("spark-embed", "--input", "photos");
    assertEquals(ExitCode.USAGE, noOutput.exit());
    assertTrue(noOutput.err().contains("--output"), noOutput.err());
    CliRun solrAlone =
        CliRun.run("spark-embed", "--input", "p", "--output", "o", "--solr", "http://h:8983/solr");
    assertEquals(ExitCode.USAGE, solrAlone.exit());
    assertTrue(solrAlone.err().contains("--solr and --collection go together"), solrAlone.err());
    CliRun layer =
        CliRun.run("spark-embed", "--input", "p", "--output", "o", "--layer", "layer_99");
    assertEquals(ExitCode.USAGE, layer.exit());
    assertTrue(layer.err().contains("layer_99"), layer.err());
  }
}
