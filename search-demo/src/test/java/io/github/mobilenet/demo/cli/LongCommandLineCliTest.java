package io.github.mobilenet.demo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mobilenet.core.ChildJvm;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mobilenet classify} with 10 000 paths on the JVM's own command line (the shell glob case,
 * {@code classify *.jpg}): ONNX Runtime 1.29.0 killed such a JVM with SIGSEGV and no output. The
 * CLI runs in a child JVM started like the launcher starts it, but without an argument file.
 */
class LongCommandLineCliTest {
  @Test
  void classifyTakesTenThousandPathsOnTheCommandLine(@TempDir Path dir) throws Exception {
    Path natural = CliRun.samples().resolve("natural");
    // Position in the argument list -> the photo there and its known top-1 class.
    Map<Integer, Path> photos =
        Map.of(
            0, natural.resolve("grace_hopper.bmp"),
            4_321, natural.resolve("cat.bmp"),
            9_999, natural.resolve("parrot.jpg"));
    Map<Integer, Integer> classes = Map.of(0, 653, 4_321, 286, 9_999, 89);
    Path notImages = Files.createDirectories(dir.resolve("not images"));
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      if (photos.containsKey(i)) {
        paths.add(photos.get(i).toString());
      } else if (i % 100 == 1) { // a file that exists but is no image: a decode error line
        paths.add(Files.writeString(notImages.resolve("note_" + i + ".jpg"), "text").toString());
      } else { // a missing file: an io error line
        paths.add(dir.resolve("missing/IMG_" + (100_000 + i) + ".jpg").toString());
      }
    }
    List<String> command = CliRun.childJvm();
    command.add("classify");
    command.add("--top");
    command.add("1");
    command.addAll(paths);
    int commandBytes =
        command.stream().mapToInt(s -> s.getBytes(StandardCharsets.UTF_8).length + 1).sum();
    assertTrue(commandBytes > 100_000, "command line only " + commandBytes + " bytes");

    ProcessBuilder pb = ChildJvm.withTelemetry(command);
    File out = dir.resolve("out.jsonl").toFile();
    File err = dir.resolve("err.txt").toFile();
    Process child = pb.redirectOutput(out).redirectError(err).start();
    assertTrue(child.waitFor(300, TimeUnit.SECONDS), "child JVM did not finish in 300 s");
    String stderr = Files.readString(err.toPath(), StandardCharsets.UTF_8);
    assertEquals(
        1, child.exitValue(), "exit code (1 = some inputs failed, 139 = SIGSEGV): " + stderr);

    List<String> lines = Files.readAllLines(out.toPath(), StandardCharsets.UTF_8);
    assertEquals(10_000, lines.size(), "one output line per path; stderr: " + stderr);
    int errors = 0;
    for (int i = 0; i < lines.size(); i++) {
      JsonNode line = Json.MAPPER.readTree(lines.get(i));
      assertEquals(paths.get(i), line.get("file").asText(), "line " + i + " is out of order");
      if (classes.containsKey(i)) {
        assertEquals(classes.get(i), line.get("top").get(0).get("index").asInt(), line.toString());
      } else {
        assertTrue(line.has("error"), line.toString());
        errors++;
      }
    }
    assertEquals(10_000 - photos.size(), errors);
    assertTrue(
        Json.MAPPER.readTree(lines.get(1)).get("error").asText().contains("not an image"),
        lines.get(1));
  }
}
