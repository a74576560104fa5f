package io.github.mobilenet.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.TestFiles;
import io.github.mobilenet.core.extract.FeatureExtractor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry on core's own classpath: only the bundled default is there. */
class ModelRegistryTest {
  @TempDir Path dir;

  @Test
  void theBundledDefaultRegistersLikeAnyModel() {
    assertEquals(List.of(ModelRegistry.DEFAULT_ID), ModelRegistry.ids());
    ModelProfile p = ModelRegistry.profile(ModelRegistry.DEFAULT_ID);
    ModelProfile bundled = ModelProfile.mobileNetV2();
    assertEquals(bundled.location(), p.location());
    assertEquals(bundled.graphs(), p.graphs());
    assertEquals(bundled.endpoints(), p.endpoints());
    assertEquals("Apache-2.0", ModelRegistry.card(p).licence());
    assertEquals("io.github.mobilenet-embeddings:mobilenet-core", ModelRegistry.card(p).artifact());
  }

  @Test
  void aKnownIdThatIsNotOnTheClasspathNamesItsArtifact() {
    UnknownModelException e =
        assertThrows(
            UnknownModelException.class, () -> ModelRegistry.profile("mobilenet_v1_0.5_160"));
    assertEquals("io.github.mobilenet-embeddings:mobilenet-models-v1", e.artifact());
    assertEquals(List.of(ModelRegistry.DEFAULT_ID), e.available());
    assertTrue(e.getMessage().contains("'mobilenet_v1_0.5_160'"), e.getMessage());
    assertTrue(e.getMessage().contains("mobilenet-models-v1"), e.getMessage());
    assertTrue(e.getMessage().contains(ModelRegistry.DEFAULT_ID), e.getMessage());
  }

  @Test
  void anUnknownIdListsTheAvailableOnes() {
    UnknownModelException e =
        assertThrows(
            UnknownModelException.class,
            () -> FeatureExtractor.builder().model("resnet50").build());
    assertEquals("resnet50", e.id());
    assertNull(e.artifact());
    assertEquals(
        "unknown model 'resnet50'; models on the classpath: " + ModelRegistry.DEFAULT_ID,
        e.getMessage());
  }

  @Test
  void everyPublishedIdHasAnArtifact() {
    assertEquals(8, ModelRegistry.knownArtifacts().size());
    assertEquals(
        "io.github.mobilenet-embeddings:mobilenet-models-inat",
        ModelRegistry.knownArtifacts().get("mobilenet_v2_1.0_224_inat_bird"));
  }

  @Test
  void builderModelIdGivesTheDefaultsFeatures() {
    Path photo = TestFiles.natural("bird.bmp");
    try (FeatureExtractor byId =
            FeatureExtractor.builder().model(ModelRegistry.DEFAULT_ID).build();
        FeatureExtractor byDefault = FeatureExtractor.create()) {
      assertEquals(ModelRegistry.DEFAULT_ID, byId.profile().id());
      assertArrayEquals(
          byDefault.extractFeatures(photo, "pooled").vector(),
          byId.extractFeatures(photo, "pooled").vector());
    }
  }

  @Test
  void summaryOfTheDefault() throws IOException {
    ModelSummary s = ModelRegistry.summaries().get(0);
    assertEquals(ModelRegistry.DEFAULT_ID, s.id());
    assertEquals(224, s.inputHeight());
    assertEquals(224, s.inputWidth());
    assertEquals(1280, s.embeddingDimension());
    assertEquals(1001, s.classes());
    assertEquals(23, s.endpoints().size());
    assertEquals("layer_1", s.endpoints().get(0).name());
    assertEquals(List.of(32, 112, 112), s.endpoints().get(0).shape());
    assertEquals("1280x7x7", shape(s, "layer_19"));
    assertEquals("576x14x14", shape(s, "layer_15_expansion"));
    assertEquals("1280", shape(s, "pooled"));
    assertEquals("layer_19", s.aliases().get("layer_20"));
    assertEquals(13_978_147L + 13_977_072L + 21_686L, s.bytes());
    assertEquals("classpath:/io/github/mobilenet/models/mobilenet_v2_1.0_224/", s.location());
    assertEquals("Apache-2.0", s.card().licence());
  }

  /** A user's own ONNX + profile JSON in a folder shows up the same way, card or not. */
  @Test
  void aUsersOwnProfileIsSummarisedTheSameWay() throws IOException {
    byte[] onnx = bundled("mobilenet_v2_1.0_224_4outputs.onnx");
    Files.write(dir.resolve("mine.onnx"), onnx);
    Path json =
        Files.writeString(
            dir.resolve("profile.json"),
            ModelProfileTest.pooledOnly(
                "mine.onnx", ModelProfile.sha256(onnx), "input", "\"pooled\""));
    ModelSummary bare = ModelRegistry.summary(ModelProfile.load(json));
    assertEquals("my-mobilenet", bare.id());
    assertEquals(1280, bare.embeddingDimension());
    assertEquals(0, bare.classes());
    assertEquals(onnx.length, bare.bytes());
    assertEquals(dir.toAbsolutePath().toString(), bare.location());
    assertSame(ModelCard.NONE, bare.card());

    Files.writeString(
        dir.resolve(ModelCard.FILE),
        "{\"licence\": \"MIT\", \"accuracy\": \"top-1 0.5 on my photos\"}",
        StandardCharsets.UTF_8);
    ModelSummary carded = ModelRegistry.summary(ModelProfile.load(json));
    assertEquals("MIT", carded.card().licence());
    assertEquals("top-1 0.5 on my photos", carded.card().accuracy());
    assertNull(carded.card().speed());

    Files.writeString(dir.resolve(ModelCard.FILE), "{\"license\": \"MIT\"}");
    ModelLoadException bad =
        assertThrows(
            ModelLoadException.class, () -> ModelRegistry.summary(ModelProfile.load(json)));
    assertTrue(bad.getMessage().contains(dir.resolve(ModelCard.FILE).toString()), bad.getMessage());
    assertTrue(bad.getMessage().contains("license"), bad.getMessage());
  }

  private static String shape(ModelSummary s, String endpoint) {
    return s.endpoints().stream()
        .filter(e -> e.name().equals(endpoint))
        .findFirst()
        .orElseThrow()
        .shapeText();
  }

  private static byte[] bundled(String file) throws IOException {
    try (InputStream in =
        ModelProfile.class.getResourceAsStream(ModelProfile.BUNDLED_FOLDER + file)) {
      return in.readAllBytes();
    }
  }
}
