package io.github.mobilenet.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Child JVMs for tests of what only a fresh process shows (ONNX Runtime's first environment, a long
 * command line): java on this JVM's class path, with ONNX Runtime's telemetry left on.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /**
   * Variables with which ORT skips its telemetry (the path that crashed 1.29.0 on long command
   * lines): the child runs without them, so that the default path is exercised even on CI, which
   * sets {@code CI=true}.
   */
  public static final List<String> TELEMETRY_OFF_VARIABLES =
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

  /**
   * The command that runs {@code main} on this JVM's java and class path: java, {@code jvmOptions},
   * the class path, the class. Mutable: the program's arguments go after it.
   */
  public static List<String> command(Class<?> main, String... jvmOptions) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Collections.addAll(command, jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    return command;
  }

  /** A process for {@code command} whose environment lacks {@link #TELEMETRY_OFF_VARIABLES}. */
  public static ProcessBuilder withTelemetry(List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command);
    TELEMETRY_OFF_VARIABLES.forEach(pb.environment()::remove);
    return pb;
  }
}
