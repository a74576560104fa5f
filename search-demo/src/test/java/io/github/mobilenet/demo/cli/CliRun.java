package io.github.mobilenet.demo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mobilenet.core.ChildJvm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the CLI in-process and captures what it prints. */
record CliRun(int exit, String out, String err) {
  /**
   * The command that runs the CLI in a fresh JVM as ./mobilenet starts it (the vector incubator
   * module, native access for ONNX Runtime); mutable, the CLI's arguments go after it.
   */
  static List<String> childJvm() {
    return ChildJvm.command(
        Cli.class, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED");
  }

  static CliRun run(String... args) {
    return runWithInput(new byte[0], args);
  }

  /** As {@link #run}, with {@code stdin} as standard input (for {@code -} paths). */
  static CliRun runWithInput(byte[] stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Cli.run(
            args,
            new java.io.ByteArrayInputStream(stdin),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CliRun(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  List<JsonNode> lines() {
    List<JsonNode> nodes = new ArrayList<>();
    for (String l : out.lines().toList()) {
      try {
        nodes.add(Json.MAPPER.readTree(l));
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + l, e);
      }
    }
    return nodes;
  }

  JsonNode last() {
    List<JsonNode> l = lines();
    return l.get(l.size() - 1);
  }

  static Path samples() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("samples"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("samples/ not found");
    }
    return p.resolve("samples");
  }

  static Path test(String name) {
    Path p = samples().resolve("test").resolve(name);
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("test image missing: " + p);
    }
    return p;
  }
}
