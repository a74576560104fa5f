package io.github.mobilenet.models.int8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.mobilenet.core.extract.Classification;
import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.extract.Features;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.core.model.ModelRegistry;
import io.github.mobilenet.core.model.ModelSummary;
import io.github.mobilenet.core.model.UnknownModelException;
import io.github.mobilenet.core.preprocess.PreparedImage;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The int8 MobileNetV2 against the bundled float32 one. */
class Int8ModelTest {
  static final String INT8 = "mobilenet_v2_1.0_224_int8";
  static final List<String> PHOTOS =
      List.of(
          "bird.bmp",
          "cat.bmp",
          "cat_720p.jpg",
          "dragonfly.bmp",
          "grace_hopper.bmp",
          "hot_dog.jpg",
          "missvickie_potato_chips.bmp",
          "owl.jpg",
          "parrot.jpg",
          "pets.jpg",
          "sunflower.bmp");

  /** The MobileNetV2 endpoint table of the shared models README: name, channels, stride. */
  static final Object[][] V2_TABLE = {
    {"layer_1", 32, 2},
    {"layer_2", 16, 2},
    {"layer_3", 24, 4},
    {"layer_4", 24, 4},
    {"layer_5", 32, 8},
    {"layer_6", 32, 8},
    {"layer_7", 32, 8},
    {"layer_8", 64, 16},
    {"layer_9", 64, 16},
    {"layer_10", 64, 16},
    {"layer_11", 64, 16},
    {"layer_12", 96, 16},
    {"layer_13", 96, 16},
    {"layer_14", 96, 16},
    {"layer_15", 160, 32},
    {"layer_16", 160, 32},
    {"layer_17", 160, 32},
    {"layer_18", 320, 32},
    {"layer_19", 1280, 32},
    {"layer_15_expansion", 576, 16},
  };

  static FeatureExtractor int8;
  static FeatureExtractor fp32;

  @BeforeAll
  static void open() {
    int8 = FeatureExtractor.builder().model(INT8).build();
    fp32 = FeatureExtractor.create();
  }

  @AfterAll
  static void close() {
    int8.close();
    fp32.close();
  }

  @Test
  void theClasspathHoldsTheDefaultAndTheInt8Model() {
    assertEquals(List.of(ModelRegistry.DEFAULT_ID, INT8), ModelRegistry.ids());
    UnknownModelException e =
        assertThrows(
            UnknownModelException.class,
            () -> FeatureExtractor.builder().model("mobilenet_v1_0.5_160"));
    assertTrue(e.getMessage().contains("mobilenet-models-v1"), e.getMessage());
  }

  @Test
  void everyEndpointHasTheShapeOfTheTable() {
    ModelSummary summary = ModelRegistry.summary(int8.profile());
    PreparedImage photo = int8.prepare(Samples.natural("grace_hopper.bmp"));
    for (Object[] row : V2_TABLE) {
      String name = (String) row[0];
      int side = Math.ceilDiv(224, (int) row[2]);
      int[] expected = {(int) row[1], side, side};
      assertArrayEquals(expected, int8.run(List.of(photo), name).get(0).shape(), name);
    }
    assertArrayEquals(
        int8.run(List.of(photo), "layer_19").get(0).values(),
        int8.run(List.of(photo), "layer_20").get(0).values());
    assertArrayEquals(new int[] {1280}, int8.run(List.of(photo), "pooled").get(0).shape());
    assertArrayEquals(new int[] {1001}, int8.run(List.of(photo), "logits").get(0).shape());
    assertArrayEquals(new int[] {1001}, int8.run(List.of(photo), "probs").get(0).shape());
    assertEquals(fp32.layers(), int8.layers());
    assertEquals(1280, summary.embeddingDimension());
    assertEquals(1001, summary.classes());
    assertEquals(3_851_543L + 21_686L, summary.bytes());
    assertEquals("Apache-2.0", summary.card().licence());
    assertEquals(fp32.labels(), int8.labels());
  }

  @Test
  void graceHopperIsMilitaryUniform() {
    Classification top = int8.classify(Samples.natural("grace_hopper.bmp"), 1).get(0);
    assertEquals(653, top.index());
    assertEquals("military uniform", top.label());
  }

  /** On every sample photo: the float model's top-1, and pooled features within cosine 0.97. */
  @Test
  void int8AgreesWithFloat32OnTheSamplePhotos() {
    double min = 1;
    double sum = 0;
    for (String name : PHOTOS) {
      var photo = Samples.natural(name);
      assertEquals(
          fp32.classify(photo, 1).get(0).index(), int8.classify(photo, 1).get(0).index(), name);
      double cos =
          Features.cosine(
              fp32.extractFeatures(photo, "pooled").vector(),
              int8.extractFeatures(photo, "pooled").vector());
      assertTrue(cos >= 0.97, name + ": pooled cosine " + cos);
      min = Math.min(min, cos);
      sum += cos;
    }
    System.out.printf(
        "int8 vs float32 pooled cosine over %d photos: min %.4f, mean %.4f%n",
        PHOTOS.size(), min, sum / PHOTOS.size());
  }

  /**
   * The extractor runs the int8 graph fused into integer kernels, as ONNX Runtime does from
   * optimisation level EXTENDED on (the library opens every session at ALL): its output equals a
   * session opened with the library's own options bit for bit, and differs from BASIC, where the
   * Q/DQ pairs stay unfused and ONNX Runtime computes them in float (shared README: pooled then
   * equal for only about 55 % of the values).
   */
  @Test
  void theInt8GraphRunsFused() throws OrtException {
    ModelProfile p = int8.profile();
    ModelProfile.Graph graph = p.graphFor("pooled");
    byte[] model = p.readVerified(graph.file(), graph.sha256());
    PreparedImage photo = int8.prepare(Samples.natural("parrot.jpg"));
    float[] extracted = int8.run(List.of(photo), "pooled").get(0).values();
    float[] all;
    try (OrtSession.SessionOptions options = FeatureExtractor.sessionOptions(1, false)) {
      all = pooled(model, options, photo);
    }
    float[] basic;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
      basic = pooled(model, options, photo);
    }
    assertArrayEquals(all, extracted);
    int equal = 0;
    for (int i = 0; i < all.length; i++) {
      equal += all[i] == basic[i] ? 1 : 0;
    }
    assertTrue(equal < all.length * 0.9, "BASIC equals ALL on " + equal + "/" + all.length);
    assertFalse(java.util.Arrays.equals(all, basic));
  }

  /**
   * Requesting vectors only runs the int8 graph trimmed to them (it ships as one full graph), and
   * the values stay those of the full graph exactly: pooled and probs from one-layer calls, a
   * batch, and a several-layer pass (which runs the full graph) all equal a full-graph session's.
   */
  @Test
  void pooledFromTheTrimmedGraphEqualsTheFullGraphExactly() throws OrtException {
    ModelProfile p = int8.profile();
    assertEquals(1, p.graphs().size());
    ModelProfile.Graph graph = p.graphs().get(0);
    byte[] model = p.readVerified(graph.file(), graph.sha256());
    List<String> names = List.of("grace_hopper.bmp", "cat_720p.jpg", "owl.jpg");
    List<PreparedImage> photos = names.stream().map(n -> int8.prepare(Samples.natural(n))).toList();
    List<Features> batch = int8.run(photos, "pooled");
    try (OrtSession.SessionOptions options = FeatureExtractor.sessionOptions(2, false)) {
      for (int i = 0; i < photos.size(); i++) {
        PreparedImage photo = photos.get(i);
        float[] full = pooled(model, options, photo);
        String name = names.get(i);
        assertArrayEquals(full, int8.extractFeatures(Samples.natural(name), "pooled").values());
        assertArrayEquals(full, batch.get(i).values(), name + " in a batch");
        Map<String, Features> several =
            int8.extractFeatures(
                Samples.natural(name),
                new java.util.LinkedHashSet<>(List.of("layer_5", "pooled", "probs")));
        assertArrayEquals(full, several.get("pooled").values(), name + " with layer_5");
        assertArrayEquals(
            several.get("probs").values(),
            int8.extractFeatures(Samples.natural(name), "probs").values(),
            name + " probs");
      }
    }
  }

  private static float[] pooled(byte[] model, OrtSession.SessionOptions options, PreparedImage img)
      throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(model, options);
        OnnxTensor in =
            OnnxTensor.createTensor(
                env, FloatBuffer.wrap(img.tensor()), new long[] {1, 3, 224, 224});
        OrtSession.Result r = s.run(Map.of("input", in), Set.of("pooled"))) {
      return ((float[][]) r.get("pooled").orElseThrow().getValue())[0];
    }
  }
}
