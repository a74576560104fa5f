package io.github.mobilenet.demo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check} passes a fresh index and fails a damaged one, which searches refuse too. */
class CheckCommandTest {
  @Test
  void checkPassesAFreshIndexAndFailsADamagedOne(@TempDir Path dir) throws IOException {
    Path photos = Files.createDirectories(dir.resolve("photos"));
    for (String n :
        new String[] {
          "darknet_dog.jpg", "darknet_horses.jpg", "skimage_coffee.jpg", "darknet_kite.jpg"
        }) {
      Files.copy(CliRun.test(n), photos.resolve(n));
    }
    String idx = dir.resolve("idx").toString();
    CliRun indexed =
        CliRun.run(
            "index", "--index", idx, "--progress", "none", "--threads", "2", photos.toString());
    assertEquals(ExitCode.OK, indexed.exit(), indexed.err());
    assertEquals(0, indexed.lines().get(0).get("retagged").asInt());

    CliRun clean = CliRun.run("check", "--index", idx);
    assertEquals(ExitCode.OK, clean.exit(), clean.err());
    JsonNode report = clean.lines().get(0);
    assertTrue(report.get("ok").asBoolean());
    assertEquals(4, report.get("documents").asInt());

    CliRun found =
        CliRun.run(
            "search",
            "--index",
            idx,
            "--image",
            photos.resolve("darknet_dog.jpg").toString(),
            "--k",
            "1");
    assertEquals(ExitCode.OK, found.exit(), found.err());
    String id = found.lines().get(0).get("id").asText();

    Path dvd;
    try (var files = Files.list(Path.of(idx))) {
      dvd =
          files
              .filter(f -> f.getFileName().toString().endsWith(".dvd"))
              .max(Comparator.comparingLong(f -> f.toFile().length()))
              .orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(dvd);
    for (int i = bytes.length / 2; i < bytes.length / 2 + 32; i++) {
      bytes[i] = (byte) ~bytes[i];
    }
    Files.write(dvd, bytes);

    CliRun damaged = CliRun.run("check", "--index", idx);
    assertEquals(ExitCode.SOME_FAILED, damaged.exit(), damaged.err());
    assertTrue(!damaged.lines().get(0).get("ok").asBoolean());
    assertTrue(damaged.err().contains("Lucene's check failed"), damaged.err());

    // a search meets the damaged vectors: a clear error naming the index and the check, no ranking
    CliRun search = CliRun.run("search", "--index", idx, "--id", id, "--k", "4", "--exact");
    assertEquals(ExitCode.SOME_FAILED, search.exit(), search.out());
    assertEquals("", search.out());
    assertTrue(search.err().contains("index " + idx + " is corrupt"), search.err());
    assertTrue(
        search.err().contains("check it with: mobilenet check --index " + idx), search.err());
  }
}
