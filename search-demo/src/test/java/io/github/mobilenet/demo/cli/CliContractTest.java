package io.github.mobilenet.demo.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the command line itself promises: --version, help, typo suggestions, usage errors that name
 * the option, bash completion, @argfiles, - for standard input, and no Lucene log noise.
 */
class CliContractTest {
  static final List<String> COMMANDS =
      List.of(
          "classify",
          "extract",
          "index",
          "search",
          "dups",
          "serve",
          "demo",
          "eval",
          "train-head",
          "predict",
          "models",
          "dump",
          "bench",
          "bench-index",
          "spark-embed");

  @Test
  void versionNamesThisBuildOnnxRuntimeAndLucene() throws Exception {
    CliRun r = CliRun.run("--version");
    assertEquals(0, r.exit(), r.err());
    assertEquals(
        List.of(
            "mobilenet " + projectVersion(),
            "ONNX Runtime " + OrtEnvironment.getEnvironment().getVersion(),
            "Lucene " + org.apache.lucene.util.Version.LATEST),
        r.out().lines().toList());
  }

  /** The version in the parent pom, which Maven filtered into the resource the CLI reads. */
  private static String projectVersion() throws Exception {
    String pom = Files.readString(CliRun.samples().resolveSibling("pom.xml"));
    Matcher m =
        Pattern.compile("<artifactId>mobilenet-embeddings-parent</artifactId>\\s*<version>([^<]+)<")
            .matcher(pom);
    assertTrue(m.find(), "no version in the parent pom");
    return m.group(1);
  }

  @Test
  void helpListsEveryCommandWithItsDescription() {
    CliRun r = CliRun.run("--help");
    assertEquals(0, r.exit(), r.err());
    for (String c : COMMANDS) {
      assertTrue(
          r.out().lines().anyMatch(l -> l.matches("  " + Pattern.quote(c) + " {2,}\\S.*")),
          c + " missing or without a description in\n" + r.out());
    }
    assertTrue(r.out().contains("Adds images to an index"), r.out());
    assertEquals("", r.err());
  }

  @Test
  void commandHelpShowsItsOptionsWithDescriptions() {
    CliRun viaHelp = CliRun.run("help", "index");
    CliRun viaFlag = CliRun.run("index", "--help");
    assertEquals(0, viaHelp.exit(), viaHelp.err());
    assertEquals(0, viaFlag.exit(), viaFlag.err());
    assertEquals(viaFlag.out(), viaHelp.out());
    for (String s :
        List.of(
            "Usage: mobilenet index",
            "--index=DIR",
            "The index folder",
            "--commit-every=N",
            "Commit after N documents (default: 1000)",
            "--prune",
            "--progress=auto|tty|plain|none",
            "PATH...")) {
      assertTrue(viaFlag.out().contains(s), s + " not in\n" + viaFlag.out());
    }
    CliRun eval = CliRun.run("eval", "retrieval", "--help");
    assertEquals(0, eval.exit(), eval.err());
    assertTrue(eval.out().contains("Usage: mobilenet eval retrieval"), eval.out());
    assertTrue(eval.out().contains("--whiten-split=images|classes"), eval.out());
  }

  @Test
  void noArgumentsPrintsUsageAndExitsTwo() {
    CliRun r = CliRun.run();
    assertEquals(ExitCode.USAGE, r.exit());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("Usage: mobilenet"), r.err());
    assertTrue(r.err().contains("bench-index"), r.err());
  }

  @Test
  void typosGetSuggestions() {
    CliRun command = CliRun.run("idnex");
    assertEquals(ExitCode.USAGE, command.exit());
    assertTrue(command.err().contains("mobilenet: unknown command 'idnex'"), command.err());
    assertTrue(command.err().contains("did you mean index?"), command.err());
    CliRun sub = CliRun.run("eval", "retreival");
    assertEquals(ExitCode.USAGE, sub.exit());
    assertTrue(sub.err().contains("unknown eval subcommand 'retreival'"), sub.err());
    assertTrue(sub.err().contains("did you mean retrieval?"), sub.err());
    CliRun option = CliRun.run("classify", "--tpo", "3", "x.jpg");
    assertEquals(ExitCode.USAGE, option.exit());
    assertTrue(option.err().contains("mobilenet classify: unknown option --tpo"), option.err());
    assertTrue(option.err().contains("did you mean --top?"), option.err());
  }

  @Test
  void usageErrorsNameTheOptionAndExitTwo() {
    assertUsage(
        CliRun.run("classify", "x.jpg", "--top"), "mobilenet classify: --top needs a value");
    assertUsage(
        CliRun.run("classify", "--top", "zero", "x.jpg"),
        "mobilenet classify: --top needs an integer, got 'zero'");
    assertUsage(
        CliRun.run("classify", "--top", "0", "x.jpg"),
        "mobilenet classify: --top must be between 1 and 1001, got 0");
    assertUsage(
        CliRun.run("classify", "--resize", "cubic", "x.jpg"), "mobilenet classify: --resize: ");
    assertUsage(
        CliRun.run("dups", "--index", "x", "--threshold", "high"),
        "mobilenet dups: --threshold needs a number, got 'high'");
    assertUsage(CliRun.run("classify"), "mobilenet classify: no PATH given");
    assertUsage(CliRun.run("dups", "--index", "x", "extra"), "unexpected argument extra");
    assertUsage(CliRun.run("eval"), "mobilenet eval: eval needs a subcommand");
    assertUsage(CliRun.run("eval", "retrieval", "D"), "mobilenet eval: --labels is required");
    assertUsage(
        CliRun.run("index", "--index", "x", "--prune=yes", "p"),
        "mobilenet index: --prune takes no value");
    assertUsage(CliRun.run("eval", "probe", "--folds", "1", "--labels", "L", "D"), "--folds");
  }

  @Test
  void theLastOfARepeatedSingleOptionWins() {
    CliRun r =
        CliRun.run(
            "classify",
            "--top",
            "7",
            "--top",
            "2",
            CliRun.samples().resolve("natural/parrot.jpg").toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals(2, r.last().get("top").size());
  }

  @Test
  void completionScriptCoversTheCommands() {
    CliRun r = CliRun.run("completion");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("complete -F"), r.out());
    for (String c : COMMANDS) {
      assertTrue(r.out().contains(c), c);
    }
    assertTrue(r.out().contains("--commit-every"));
    assertFalse(
        CliRun.run("--help").out().lines().anyMatch(l -> l.startsWith("  completion")),
        "completion is not in the command list");
  }

  @Test
  void argFileListsPaths(@TempDir Path dir) throws Exception {
    Path hopper = CliRun.samples().resolve("natural/grace_hopper.bmp");
    Path parrot = CliRun.samples().resolve("natural/parrot.jpg");
    Path list = dir.resolve("list.txt");
    Files.writeString(list, "\"" + hopper + "\"\n\"" + parrot + "\"\n", StandardCharsets.UTF_8);
    CliRun r = CliRun.run("classify", "--top", "1", "@" + list);
    assertEquals(0, r.exit(), r.err());
    assertEquals(2, r.lines().size(), r.out());
    assertEquals(hopper.toString(), r.lines().get(0).get("file").asText());
    assertEquals(653, r.lines().get(0).get("top").get(0).get("index").asInt()); // uniform
    assertEquals(parrot.toString(), r.lines().get(1).get("file").asText());
    assertEquals(89, r.lines().get(1).get("top").get(0).get("index").asInt()); // macaw
  }

  @Test
  void dashReadsOneImageFromStandardInput() throws Exception {
    Path parrot = CliRun.samples().resolve("natural/parrot.jpg");
    byte[] bytes = Files.readAllBytes(parrot);
    CliRun classify = CliRun.runWithInput(bytes, "classify", "--top", "1", "-");
    assertEquals(0, classify.exit(), classify.err());
    assertEquals(1, classify.lines().size());
    assertEquals("-", classify.last().get("file").asText());
    assertEquals(89, classify.last().get("top").get(0).get("index").asInt());

    CliRun fromStdin = CliRun.runWithInput(bytes, "extract", "--layer", "pooled", "-");
    CliRun fromFile = CliRun.run("extract", "--layer", "pooled", parrot.toString());
    assertEquals(0, fromStdin.exit(), fromStdin.err());
    assertEquals("-", fromStdin.last().get("file").asText());
    assertArrayEquals(vector(fromFile.last()), vector(fromStdin.last()));

    CliRun notAnImage =
        CliRun.runWithInput("hello".getBytes(StandardCharsets.UTF_8), "classify", "-");
    assertEquals(ExitCode.SOME_FAILED, notAnImage.exit());
    assertEquals("-", notAnImage.last().get("file").asText());
    assertTrue(notAnImage.last().has("error"), notAnImage.out());

    assertUsage(CliRun.runWithInput(bytes, "classify", "-", "-"), "only once");
    assertUsage(CliRun.runWithInput(bytes, "index", "--index", "x", "-"), "standard input");
    assertUsage(
        CliRun.runWithInput(bytes, "eval", "variants", "--out", "x", "-"), "standard input");
  }

  private static float[] vector(JsonNode line) {
    JsonNode v = line.get("vector");
    float[] f = new float[v.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) v.get(i).asDouble();
    }
    return f;
  }

  /**
   * A fresh JVM, as ./mobilenet starts one, with the vector incubator module: Lucene would log its
   * vectorization setup at INFO there (once per JVM, hence not in-process after other tests).
   */
  @Test
  void indexPrintsNoLuceneLogLines(@TempDir Path dir) throws Exception {
    Path photo = CliRun.test("darknet_dog.jpg");
    List<String> command = CliRun.childJvm();
    command.addAll(
        List.of(
            "index",
            "--index",
            dir.resolve("idx").toString(),
            "--progress",
            "none",
            photo.toString()));
    Process child =
        new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(120, TimeUnit.SECONDS), "index did not finish");
    assertEquals(0, child.exitValue(), err);
    assertFalse(err.contains("INFO:"), err);
    assertFalse(err.contains("logIncubatorSetup"), err);
    assertFalse(err.contains("org.apache.lucene"), err);
  }

  private static void assertUsage(CliRun r, String message) {
    assertEquals(ExitCode.USAGE, r.exit(), r.err());
    assertTrue(r.err().contains(message), r.err());
  }
}
