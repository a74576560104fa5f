package io.github.mobilenet.core.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.ChildJvm;
import io.github.mobilenet.core.TestFiles;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM started with a long command line must still create the ONNX Runtime environment.
 *
 * <p>ONNX Runtime 1.29.0's Linux telemetry runs a backtracking {@code std::regex} over {@code
 * /proc/self/cmdline} on the thread that creates the first environment; past about 4 KB it
 * overflows a JVM thread's stack and the JVM dies with SIGSEGV (exit 139) and no message. This test
 * runs a child JVM ({@link ChildJvm}: ORT telemetry on) whose command line is over 8 KB and needs a
 * real classification back.
 */
class LongCommandLineTest {
  @Test
  void featureExtractorWorksInJvmWithCommandLineOverEightKilobytes(@TempDir Path dir)
      throws Exception {
    Path photo = TestFiles.natural("grace_hopper.bmp");
    List<String> command =
        ChildJvm.command(LongCommandLineMain.class, "--enable-native-access=ALL-UNNAMED");
    command.add(photo.toString());
    int padding = 0;
    for (int i = 0; padding < 12_000; i++) {
      String arg = "/data/photos/2024/holiday/IMG_" + (10_000 + i) + ".jpg";
      command.add(arg);
      padding += arg.length() + 1;
    }
    ProcessBuilder pb = ChildJvm.withTelemetry(command);
    File log = dir.resolve("child.log").toFile();
    pb.redirectErrorStream(true).redirectOutput(log);
    Process child = pb.start();
    assertTrue(child.waitFor(180, TimeUnit.SECONDS), "child JVM did not finish in 180 s");
    String output = Files.readString(log.toPath(), StandardCharsets.UTF_8);
    assertEquals(0, child.exitValue(), "child JVM exit code (139 = SIGSEGV); output:\n" + output);
    assertTrue(output.contains("top1 653 military uniform"), output);
    String bytesLine =
        output.lines().filter(l -> l.startsWith("cmdline-bytes ")).findFirst().orElse(null);
    if (bytesLine != null) { // Linux: the precondition itself, as the kernel reports it
      int bytes = Integer.parseInt(bytesLine.substring("cmdline-bytes ".length()));
      assertTrue(bytes > 8192, "child command line only " + bytes + " bytes");
    }
  }
}
