package io.github.mobilenet.core.extract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.TestFiles;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.model.ModelLoadException;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.core.preprocess.InputSize;
import io.github.mobilenet.core.preprocess.PreparedImage;
import io.github.mobilenet.core.preprocess.Preprocessing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exact input sizes, a shorter side with the aspect kept, and graphs that fix their size. */
class InputSizeTest extends DefaultExtractorTest {
  static final Path OWL = TestFiles.natural("owl.jpg"); // 512x384, 4:3
  static final Path PARROT = TestFiles.natural("parrot.jpg"); // 512x929, portrait
  static final Path CHIPS = TestFiles.natural("missvickie_potato_chips.bmp"); // 500x500
  static final Path CHELSEA = TestFiles.test("derived_chelsea_exif6.jpg"); // 300x451, EXIF 6

  static FeatureExtractor shorter320;

  @TempDir Path dir;

  @BeforeAll
  static void open() {
    shorter320 = FeatureExtractor.builder().shorterSide(320).build();
  }

  @AfterAll
  static void close() {
    shorter320.close();
  }

  @Test
  void at448x448Layer19Is14x14() {
    try (FeatureExtractor big = FeatureExtractor.builder().inputSize(448, 448).build()) {
      assertEquals(InputSize.exact(448, 448), big.inputSize());
      assertEquals("448x448", big.inputSize().spec());
      assertArrayEquals(new int[] {1280, 14, 14}, big.extractFeatures(OWL, "layer_19").shape());
      assertArrayEquals(new int[] {1280}, big.extractFeatures(OWL, "pooled").shape());
    }
  }

  @Test
  void theDefaultIsTheProfileSize() {
    assertEquals(InputSize.exact(224, 224), fx.inputSize());
    assertEquals("224x224", fx.inputSize().spec());
    assertArrayEquals(new int[] {224, 224}, fx.inputSizeFor(512, 929));
  }

  @Test
  void shorterSide320OnA4To3PhotoIs320x427() {
    assertEquals("320", shorter320.inputSize().spec());
    assertEquals("shorter side 320", shorter320.inputSize().toString());
    assertArrayEquals(new int[] {320, 427}, shorter320.inputSizeFor(512, 384));
    // layer_19: ceil(320/32) x ceil(427/32); layer_5: ceil(320/8) x ceil(427/8)
    assertArrayEquals(
        new int[] {1280, 10, 14}, shorter320.extractFeatures(OWL, "layer_19").shape());
    assertArrayEquals(new int[] {32, 40, 54}, shorter320.extractFeatures(OWL, "layer_5").shape());
    // Portrait: 512x929 -> width 320, height round(320 * 929 / 512) = 581.
    assertArrayEquals(new int[] {581, 320}, shorter320.inputSizeFor(512, 929));
    assertArrayEquals(
        new int[] {1280, 19, 10}, shorter320.extractFeatures(PARROT, "layer_19").shape());
    // Sizes come from the upright image: 300x451 stored, rotated by EXIF to 451x300.
    assertArrayEquals(
        new int[] {1280, 10, 16}, shorter320.extractFeatures(CHELSEA, "layer_19").shape());
  }

  @Test
  void aShorterSideGivesWhatTheExactSizeOfThatImageGives() {
    try (FeatureExtractor exact = FeatureExtractor.builder().inputSize(320, 427).build()) {
      for (String layer : List.of("pooled", "layer_19", "layer_5")) {
        assertArrayEquals(
            exact.extractFeatures(OWL, layer).values(),
            shorter320.extractFeatures(OWL, layer).values(),
            layer);
      }
    }
  }

  @Test
  void pooledAt224EqualsTodaysNumbersExactly() {
    float[] today = fx.extractFeatures(CHIPS, "pooled").values();
    try (FeatureExtractor exact = FeatureExtractor.builder().inputSize(224, 224).build();
        FeatureExtractor square = FeatureExtractor.builder().shorterSide(224).build()) {
      assertArrayEquals(today, exact.extractFeatures(CHIPS, "pooled").values());
      assertArrayEquals(today, square.extractFeatures(CHIPS, "pooled").values());
      assertArrayEquals(
          fx.extractFeatures(OWL, "pooled").values(),
          exact.extractFeatures(OWL, "pooled").values());
    }
  }

  @Test
  void aBatchOfMixedAspectsEqualsOneByOne() {
    List<Path> photos = List.of(OWL, PARROT, CHIPS, TestFiles.natural("hot_dog.jpg"), CHELSEA);
    var layers = new LinkedHashSet<>(List.of("layer_19", "pooled"));
    List<Map<String, Features>> batch = shorter320.extractFeatures(photos, layers);
    List<Features> pooled = shorter320.extractFeatures(photos, "pooled");
    for (int i = 0; i < photos.size(); i++) {
      Features single = shorter320.extractFeatures(photos.get(i), "layer_19");
      assertArrayEquals(single.shape(), batch.get(i).get("layer_19").shape(), "" + photos.get(i));
      assertArrayEquals(single.values(), batch.get(i).get("layer_19").values());
      float[] one = shorter320.extractFeatures(photos.get(i), "pooled").values();
      assertArrayEquals(one, batch.get(i).get("pooled").values());
      assertArrayEquals(one, pooled.get(i).values());
    }
    // Streaming and prepare/run group by size as well.
    List<ExtractionResult> streamed = new ArrayList<>();
    shorter320.extractEach(
        photos.stream().map(ImageSource::of).iterator(), "pooled", 2, streamed::add);
    List<PreparedImage> prepared = photos.stream().map(shorter320::prepare).toList();
    assertEquals(3 * 320 * 427, prepared.get(0).tensor().length);
    List<Features> run = shorter320.run(prepared, "pooled");
    for (int i = 0; i < photos.size(); i++) {
      assertArrayEquals(pooled.get(i).values(), streamed.get(i).features().values());
      assertArrayEquals(pooled.get(i).values(), run.get(i).values());
    }
  }

  @Test
  void aCentralCropIsSquareAtTheShorterSide() {
    try (FeatureExtractor crop =
        FeatureExtractor.builder()
            .preprocessing(Preprocessing.CENTER_CROP)
            .shorterSide(256)
            .build()) {
      assertArrayEquals(new int[] {256, 256}, crop.inputSizeFor(512, 929));
      assertArrayEquals(new int[] {1280, 8, 8}, crop.extractFeatures(PARROT, "layer_19").shape());
    }
  }

  @Test
  void sizesParseFromTheirSpec() {
    assertEquals(InputSize.shorterSide(320), InputSize.parse("320"));
    assertEquals(InputSize.exact(448, 300), InputSize.parse("448x300"));
    assertEquals(InputSize.exact(448, 300), InputSize.parse(InputSize.exact(448, 300).spec()));
    for (String bad : List.of("abc", "0", "-3", "10x", "x10", "3x0")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> InputSize.parse(bad), bad);
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> FeatureExtractor.builder().shorterSide(0));
  }

  /** The bundled lean graph, exported with its input fixed at 224x224, as a user's own model. */
  ModelProfile fixedSizeModel() throws Exception {
    ModelProfile bundled = ModelProfile.mobileNetV2();
    ModelProfile.Graph lean = bundled.graphFor("pooled");
    byte[] fixed =
        FixedSizeGraphs.withFixedInput(bundled.readVerified(lean.file(), lean.sha256()), 224, 224);
    Files.write(dir.resolve("fixed.onnx"), fixed);
    var endpoints = new java.util.LinkedHashMap<String, ModelProfile.Endpoint>();
    for (String name : lean.outputs()) {
      endpoints.put(name, bundled.endpoints().get(name));
    }
    return new ModelProfile(
        "my-fixed-mobilenet",
        null,
        bundled.input(),
        List.of(new ModelProfile.Graph("fixed.onnx", ModelProfile.sha256(fixed), lean.outputs())),
        endpoints,
        null,
        null,
        new ModelProfile.Location(dir, null));
  }

  @Test
  void aGraphWithAFixedSizeRefusesAnyOtherNamingTheModel() throws Exception {
    ModelProfile p = fixedSizeModel();
    try (FeatureExtractor own = FeatureExtractor.builder().profile(p).build()) {
      assertArrayEquals(
          fx.extractFeatures(OWL, "pooled").values(), own.extractFeatures(OWL, "pooled").values());
    }
    ModelLoadException exact =
        assertThrows(
            ModelLoadException.class,
            () -> FeatureExtractor.builder().profile(p).inputSize(448, 448).build());
    assertEquals(ModelLoadException.Reason.FIXED_INPUT_SIZE, exact.reason());
    for (String part : List.of("my-fixed-mobilenet", "224x224", "448x448")) {
      assertTrue(exact.getMessage().contains(part), exact.getMessage());
    }
    ModelLoadException aspect =
        assertThrows(
            ModelLoadException.class,
            () -> FeatureExtractor.builder().profile(p).shorterSide(320).build());
    assertEquals(ModelLoadException.Reason.FIXED_INPUT_SIZE, aspect.reason());
    assertTrue(aspect.getMessage().contains("my-fixed-mobilenet"), aspect.getMessage());
  }
}
