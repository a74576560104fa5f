package io.github.mobilenet.core.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.TestFiles;
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
 * A JVM started with a long command line must still create the ONNX Runtime environment.
 *
 * <p>ONNX Runtime 1.29.0's Linux telemetry runs a backtracking {@code std::regex} over {@code
 * /proc/self/cmdline} on the thread that creates the first environment; past about 4 KB it
 * overflows a JVM thread's stack and the JVM dies with SIGSEGV (exit 139) and no message. This test
 * runs a child JVM whose command line is over 8 KB and needs a real classification back.
 */
class LongCommandLineTest {
  /**
   * Variables with which ORT skips its telemetry (and so the crash): the child runs without them,
   * so that the test exercises the default path even on CI, which sets {@code CI=true}.
   */
  private static final List<String> TELEMETRY_OFF_VARIABLES =
      List.of(
          "CI",
          "TF_BUILD",
          "GITHUB_ACTIONS",
          "GITLAB_CI",
          "CIRCLECI",
          "TRAVIS",
          "JENKINS_URL",
          "CODEBUILD_BUILD_ID",
          "BUILDKITE",
          "TEAMCITY_VERSION",
          "APPVEYOR",
          "BITBUCKET_BUILD_NUMBER",
          "SYSTEM_TEAMFOUNDATIONCOLLECTIONURI",
          "ORT_DISABLE_TELEMETRY",
          "ORT_TELEMETRY_DISABLED",
          "ORT_RUNNING_UNIT_TESTS");

  @Test
  void featureExtractorWorksInJvmWithCommandLineOverEightKilobytes(@TempDir Path dir)
      throws Exception {
    Path photo = TestFiles.natural("grace_hopper.bmp");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(LongCommandLineMain.class.getName());
    command.add(photo.toString());
    int padding = 0;
    for (int i = 0; padding < 12_000; i++) {
      String arg = "/data/photos/2024/holiday/IMG_" + (10_000 + i) + ".jpg";
      command.add(arg);
      padding += arg.length() + 1;
    }
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    TELEMETRY_OFF_VARIABLES.forEach(env::remove);
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
