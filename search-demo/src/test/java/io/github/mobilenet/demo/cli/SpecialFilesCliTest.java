package io.github.mobilenet.demo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A FIFO in a walked folder is an error line naming it, never a hang; a dangling link is an error
 * line like a missing file; the other images still get their answer and the exit code is 1.
 */
class SpecialFilesCliTest {
  @Test
  void classifyGivesErrorLinesForFifoAndDanglingLink(@TempDir Path dir) throws Exception {
    Files.copy(CliRun.samples().resolve("natural/parrot.jpg"), dir.resolve("parrot.jpg"));
    Path fifo = dir.resolve("pipe.jpg");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    Path gone = Files.createSymbolicLink(dir.resolve("gone.jpg"), dir.resolve("deleted.jpg"));
    CliRun r =
        assertTimeoutPreemptively(
            Duration.ofMinutes(5), () -> CliRun.run("classify", "--top", "1", dir.toString()));
    assertEquals(1, r.exit(), r.err());
    assertEquals(3, r.lines().size(), r.out());
    assertEquals(gone.toString(), r.lines().get(0).get("file").asText());
    assertEquals(gone + ": io error (no such file)", r.lines().get(0).get("error").asText());
    assertEquals(89, r.lines().get(1).get("top").get(0).get("index").asInt()); // macaw
    assertEquals(fifo.toString(), r.lines().get(2).get("file").asText());
    assertEquals(fifo + ": not a regular file (a FIFO)", r.lines().get(2).get("error").asText());
  }
}
