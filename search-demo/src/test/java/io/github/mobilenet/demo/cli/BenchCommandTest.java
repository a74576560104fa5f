package io.github.mobilenet.demo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code bench}'s contract: its sections, and the JSON line it ends with that scripts read (not its
 * speed: the figures are only checked to be measured).
 */
class BenchCommandTest {
  private static JsonNode lastLine(CliRun r) throws IOException {
    List<String> lines = r.out().lines().toList();
    return Json.MAPPER.readTree(lines.get(lines.size() - 1));
  }

  @Test
  void onlySkipsSectionsAndTheJsonLineHasWhatRan() throws IOException {
    CliRun r =
        CliRun.run(
            "bench",
            "--images",
            CliRun.samples().resolve("test").toString(),
            "--limit",
            "4",
            "--seconds",
            "0.2",
            "--only",
            "cn");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("(c) end to end"), r.out());
    assertTrue(r.out().contains("(n) naive Java"), r.out());
    assertFalse(r.out().contains("(a) raw"), r.out());
    JsonNode j = lastLine(r);
    assertTrue(j.get("end_to_end").asDouble() > 0, j.toString());
    assertTrue(j.get("naive").asDouble() > 0, j.toString());
    assertFalse(j.has("raw_batch8"), j.toString());
    assertFalse(j.has("large_photo_ms"), j.toString());
    List<String> keys = toList(j.fieldNames());
    assertEquals(List.of("end_to_end", "naive", "load_start", "load_end"), keys);
  }

  @Test
  void indexJobSectionMeasuresTheJobAgainstItsPipeline() throws IOException {
    CliRun r =
        CliRun.run(
            "bench",
            "--images",
            CliRun.samples().resolve("test").toString(),
            "--limit",
            "6",
            "--only",
            "i");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("(i) index job vs its extraction pipeline: 6 files"), r.out());
    assertTrue(r.out().contains("(6 embedded, 0 failed per pass"), r.out());
    JsonNode j = lastLine(r);
    assertEquals(
        List.of(
            "index_job",
            "index_pipeline",
            "index_job_ratio",
            "index_job_local",
            "load_start",
            "load_end"),
        toList(j.fieldNames()));
    assertTrue(j.get("index_job").asDouble() > 0, j.toString());
    assertTrue(j.get("index_job_local").asDouble() > 0, j.toString());
    assertTrue(r.out().contains("index job with local features:"), r.out());
    assertEquals(
        j.get("index_job").asDouble() / j.get("index_pipeline").asDouble(),
        j.get("index_job_ratio").asDouble(),
        0.02,
        j.toString());
  }

  @Test
  void largePhotosAreGeneratedMeasuredAndDeleted() throws IOException {
    long before = benchFolders();
    CliRun r =
        CliRun.run(
            "bench",
            "--images",
            CliRun.samples().resolve("test").toString(),
            "--seconds",
            "0.1",
            "--only",
            "l",
            "--large-photos",
            "1");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("1 JPEGs of 4000×3000"), r.out());
    JsonNode j = lastLine(r);
    assertTrue(j.get("large_photo_ms").asDouble() > 0, j.toString());
    assertTrue(j.get("large_photo_naive_ms").asDouble() > 0, j.toString());
    assertTrue(j.get("large_photo_p3_ms").asDouble() > 0, j.toString());
    assertTrue(j.get("large_photo_p3_imageio_ms").asDouble() > 0, j.toString());
    assertEquals(before, benchFolders(), "the 12 MP photos' folder is left behind");
  }

  @Test
  void badOptionsAreUsageErrors() {
    CliRun model = CliRun.run("bench", "--model", "no_such_model", "--only", "c");
    assertEquals(2, model.exit());
    assertTrue(model.err().contains("no model 'no_such_model'"), model.err());
    assertTrue(model.err().contains("mobilenet_v2_1.0_224"), model.err());
    CliRun only = CliRun.run("bench", "--only", "x");
    assertEquals(2, only.exit());
    assertTrue(only.err().contains("abcnli"), only.err());
  }

  private static long benchFolders() throws IOException {
    try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return s.filter(p -> p.getFileName().toString().startsWith("mobilenet-bench-12mp-")).count();
    }
  }

  private static <T> List<T> toList(java.util.Iterator<T> it) {
    List<T> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
