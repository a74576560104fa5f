package io.github.mobilenet.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.MobileNetException;
import io.github.mobilenet.core.TestFiles;
import io.github.mobilenet.core.extract.FeatureExtractor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User profiles over copies of the model, and every way loading a model can fail. */
class ModelProfileTest {
  static final String SMALL_MODEL = "mobilenet_v2_1.0_224_4outputs.onnx";
  static String smallModelSha;

  @TempDir Path dir;

  @BeforeAll
  static void hash() throws IOException {
    smallModelSha = ModelProfile.sha256(bundled(SMALL_MODEL));
  }

  static byte[] bundled(String file) throws IOException {
    try (InputStream in =
        ModelProfile.class.getResourceAsStream(ModelProfile.BUNDLED_FOLDER + file)) {
      return in.readAllBytes();
    }
  }

  /**
   * A profile as a user would write it for their own copy of the model, with only {@code pooled}.
   */
  static String pooledOnly(String file, String sha, String inputName, String outputs) {
    return """
        {
          "id": "my-mobilenet",
          "input": {"name": "%s", "layout": "NCHW", "channelOrder": "RGB", "height": 224, "width": 224,
                    "mean": [127.5, 127.5, 127.5], "std": [127.5, 127.5, 127.5]},
          "graphs": [{"file": "%s", "sha256": "%s", "outputs": [%s]}],
          "endpoints": {"pooled": {"output": "pooled", "size": 1280}}
        }
        """
        .formatted(inputName, file, sha, outputs);
  }

  Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  Path copyModel(String as) throws IOException {
    return Files.write(dir.resolve(as), bundled(SMALL_MODEL));
  }

  ModelLoadException loadFails(Path profile) {
    return assertThrows(
        ModelLoadException.class,
        () -> FeatureExtractor.builder().profile(profile).build().close());
  }

  @Test
  void bundledProfileDescribesTheModel() {
    ModelProfile p = ModelProfile.mobileNetV2();
    assertEquals("mobilenet_v2_1.0_224", p.id());
    assertEquals(23, p.endpoints().size());
    assertEquals("layer_19", p.resolve("layer_20"));
    assertEquals(SMALL_MODEL, p.graphFor("pooled").file());
    assertEquals(SMALL_MODEL, p.graphFor("layer_20").file());
    assertEquals("mobilenet_v2_1.0_224.onnx", p.graphFor("layer_5").file());
    List<String> labels = p.readLabels();
    assertEquals(1001, labels.size());
    assertEquals("background", labels.get(0));
    assertEquals("military uniform", labels.get(653));
  }

  @Test
  void userProfileWithOnlyPooledWorksAndRefusesOtherLayers() throws IOException {
    copyModel("model.onnx");
    Path profile =
        write("profile.json", pooledOnly("model.onnx", smallModelSha, "input", "\"pooled\""));
    Path cat = TestFiles.natural("cat.bmp");
    try (FeatureExtractor mine = FeatureExtractor.builder().profile(profile).build();
        FeatureExtractor bundled = FeatureExtractor.create()) {
      assertEquals(List.of("pooled"), mine.layers());
      assertArrayEquals(
          bundled.extractFeatures(cat, "pooled").values(),
          mine.extractFeatures(cat, "pooled").values());
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> mine.extractFeatures(cat, "layer_19"));
      assertEquals(
          "unknown layer 'layer_19' for model my-mobilenet (known: pooled)", e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> mine.classify(cat, 5));
      assertTrue(
          e.getMessage().contains("probs") && e.getMessage().contains("my-mobilenet"),
          e.getMessage());
    }
  }

  @Test
  void missingModelFile() throws IOException {
    Path profile =
        write("profile.json", pooledOnly("absent.onnx", smallModelSha, "input", "\"pooled\""));
    ModelLoadException e = loadFails(profile);
    assertEquals(ModelLoadException.Reason.NOT_FOUND, e.reason());
    assertEquals(MobileNetException.ErrorCode.MODEL_LOAD, e.code());
    assertEquals(dir.resolve("absent.onnx").toString(), e.input());
    assertTrue(
        e.getMessage().contains("model file not found")
            && e.getMessage().contains(dir.resolve("absent.onnx").toString()),
        e.getMessage());
  }

  @Test
  void wrongSha256() throws IOException {
    copyModel("model.onnx");
    String wrong = "0".repeat(64);
    ModelLoadException e =
        loadFails(write("profile.json", pooledOnly("model.onnx", wrong, "input", "\"pooled\"")));
    assertEquals(ModelLoadException.Reason.CHECKSUM_MISMATCH, e.reason());
    assertEquals(dir.resolve("model.onnx").toString(), e.input());
    assertTrue(
        e.getMessage().contains("sha256 mismatch")
            && e.getMessage().contains(dir.resolve("model.onnx").toString())
            && e.getMessage().contains(wrong)
            && e.getMessage().contains(smallModelSha),
        e.getMessage());
  }

  @Test
  void fileThatIsNotOnnx() throws IOException {
    byte[] junk = "this is not a model".getBytes(StandardCharsets.UTF_8);
    Files.write(dir.resolve("junk.onnx"), junk);
    ModelLoadException e =
        loadFails(
            write(
                "profile.json",
                pooledOnly("junk.onnx", ModelProfile.sha256(junk), "input", "\"pooled\"")));
    assertEquals(ModelLoadException.Reason.RUNTIME_REJECTED, e.reason());
    assertEquals("junk.onnx", e.input());
    assertTrue(
        e.getMessage().contains("ONNX Runtime cannot load") && e.getMessage().contains("junk.onnx"),
        e.getMessage());
  }

  @Test
  void profileThatDoesNotMatchTheGraph() throws IOException {
    copyModel("model.onnx");
    ModelLoadException e =
        loadFails(write("a.json", pooledOnly("model.onnx", smallModelSha, "images", "\"pooled\"")));
    assertEquals(ModelLoadException.Reason.PROFILE_MISMATCH, e.reason());
    assertEquals("model.onnx", e.input());
    assertTrue(
        e.getMessage().contains("no input 'images'") && e.getMessage().contains("input"),
        e.getMessage());
    e =
        loadFails(
            write(
                "b.json",
                pooledOnly("model.onnx", smallModelSha, "input", "\"pooled\", \"layer_5\"")));
    assertTrue(
        e.getMessage().contains("layer_5") && e.getMessage().contains("model.onnx"),
        e.getMessage());
    String nhwc =
        pooledOnly("model.onnx", smallModelSha, "input", "\"pooled\"").replace("NCHW", "NHWC");
    e = loadFails(write("c.json", nhwc));
    assertEquals(ModelLoadException.Reason.PROFILE_MISMATCH, e.reason());
    assertTrue(e.getMessage().contains("NHWC"), e.getMessage());
  }

  @Test
  void invalidProfiles() throws IOException {
    ModelLoadException e = loadFails(dir.resolve("nowhere.json"));
    assertEquals(ModelLoadException.Reason.NOT_FOUND, e.reason());
    assertEquals(dir.resolve("nowhere.json").toString(), e.input());
    assertTrue(
        e.getMessage().contains("model profile not found")
            && e.getMessage().contains("nowhere.json"),
        e.getMessage());
    e = loadFails(write("broken.json", "{\"id\": \"x\", "));
    assertEquals(ModelLoadException.Reason.INVALID_PROFILE, e.reason());
    assertEquals(dir.resolve("broken.json").toString(), e.input());
    assertTrue(
        e.getMessage().startsWith("invalid model profile " + dir.resolve("broken.json")),
        e.getMessage());
    String typo =
        pooledOnly("model.onnx", smallModelSha, "input", "\"pooled\"")
            .replace("\"endpoints\"", "\"endpoint\"");
    e = loadFails(write("typo.json", typo));
    assertTrue(e.getMessage().contains("endpoint"), e.getMessage());
    String undeclared = pooledOnly("model.onnx", smallModelSha, "input", "\"logits\"");
    e = loadFails(write("undeclared.json", undeclared));
    assertEquals(ModelLoadException.Reason.INVALID_PROFILE, e.reason());
    assertTrue(
        e.getMessage().contains("endpoint pooled maps to output 'pooled' that no graph declares"),
        e.getMessage());
    String badStd =
        pooledOnly("model.onnx", smallModelSha, "input", "\"pooled\"")
            .replace("\"std\": [127.5, 127.5, 127.5]", "\"std\": [1, 0, 1]");
    e = loadFails(write("std.json", badStd));
    assertTrue(e.getMessage().contains("std"), e.getMessage());
  }

  @Test
  void labelsAreVerifiedToo() throws IOException {
    copyModel("model.onnx");
    Files.writeString(dir.resolve("labels.txt"), "background\ncat\n");
    String withLabels =
        pooledOnly("model.onnx", smallModelSha, "input", "\"pooled\"")
            .replace(
                "\"endpoints\"",
                "\"labels\": {\"file\": \"labels.txt\", \"sha256\": \""
                    + "1".repeat(64)
                    + "\"},\n  \"endpoints\"");
    try (FeatureExtractor fx =
        FeatureExtractor.builder().profile(write("profile.json", withLabels)).build()) {
      ModelLoadException e = assertThrows(ModelLoadException.class, fx::labels);
      assertEquals(ModelLoadException.Reason.CHECKSUM_MISMATCH, e.reason());
      assertEquals(dir.resolve("labels.txt").toString(), e.input());
      assertTrue(
          e.getMessage().contains("sha256 mismatch") && e.getMessage().contains("labels.txt"),
          e.getMessage());
    }
  }
}
