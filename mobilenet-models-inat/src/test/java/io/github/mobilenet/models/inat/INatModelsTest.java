package io.github.mobilenet.models.inat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.TestFiles;
import io.github.mobilenet.core.extract.Classification;
import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.model.ModelRegistry;
import io.github.mobilenet.core.model.ModelSummary;
import io.github.mobilenet.core.model.UnknownModelException;
import io.github.mobilenet.core.preprocess.PreparedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The iNaturalist bird and insect MobileNetV2 models of this artifact. */
class INatModelsTest {
  static final String BIRD = "mobilenet_v2_1.0_224_inat_bird";
  static final String INSECT = "mobilenet_v2_1.0_224_inat_insect";

  @Test
  void theClasspathHoldsTheDefaultAndBothINatModels() {
    assertEquals(List.of(ModelRegistry.DEFAULT_ID, BIRD, INSECT), ModelRegistry.ids());
    UnknownModelException e =
        assertThrows(
            UnknownModelException.class, () -> ModelRegistry.profile("mobilenet_v1_0.25_128"));
    assertEquals("io.github.mobilenet-embeddings:mobilenet-models-v1", e.artifact());
    assertEquals(List.of(ModelRegistry.DEFAULT_ID, BIRD, INSECT), e.available());
  }

  /** The MobileNetV2 endpoints (as the default model) with the iNat class counts. */
  @ParameterizedTest
  @CsvSource({
    "mobilenet_v2_1.0_224_inat_bird, 965, 13793824, 37146",
    "mobilenet_v2_1.0_224_inat_insect, 1022, 14085908, 40317",
  })
  void endpointsAreTheDefaultModelsWithTheirOwnClasses(
      String id, int classes, long onnxBytes, long labelBytes) {
    try (FeatureExtractor fx = FeatureExtractor.builder().model(id).build();
        FeatureExtractor reference = FeatureExtractor.create()) {
      PreparedImage photo = fx.prepare(TestFiles.natural("bird.bmp"));
      assertEquals(reference.layers(), fx.layers());
      for (String layer : fx.profile().endpoints().keySet()) {
        int[] shape = fx.run(List.of(photo), layer).get(0).shape();
        int[] expected = reference.run(List.of(photo), layer).get(0).shape();
        if (layer.equals("logits") || layer.equals("probs")) {
          expected = new int[] {classes};
        }
        assertArrayEquals(expected, shape, id + " " + layer);
      }
      List<String> labels = fx.labels();
      assertEquals(classes, labels.size());
      assertEquals("background", labels.get(classes - 1));
      ModelSummary s = ModelRegistry.summary(fx.profile());
      assertEquals(1280, s.embeddingDimension());
      assertEquals(classes, s.classes());
      assertEquals(onnxBytes + labelBytes, s.bytes());
      assertEquals("io.github.mobilenet-embeddings:mobilenet-models-inat", s.card().artifact());
    }
  }

  /**
   * Photos to species, with the label checked against the label file by eye: every label but the
   * last ("background") is a bird species (bird file) or an insect species (insect file). The bird
   * photo is a chickadee for the ImageNet model (class 20), and the bird model names the genus
   * Poecile (chickadees); the ImageNet model's "macaw" becomes the Scarlet Macaw; the dragonfly
   * photo gets a dasher (a dragonfly, family Libellulidae); a portrait is background for both.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "mobilenet_v2_1.0_224_inat_bird   | bird.bmp         | 659  | Poecile atricapillus (Black-capped Chickadee)",
        "mobilenet_v2_1.0_224_inat_bird   | parrot.jpg       | 923  | Ara macao (Scarlet Macaw)",
        "mobilenet_v2_1.0_224_inat_bird   | owl.jpg          | 189  | Athene cunicularia (Burrowing Owl)",
        "mobilenet_v2_1.0_224_inat_bird   | grace_hopper.bmp | 964  | background",
        "mobilenet_v2_1.0_224_inat_insect | dragonfly.bmp    | 912  | Micrathyria hagenii (Thornbush Dasher)",
        "mobilenet_v2_1.0_224_inat_insect | sunflower.bmp    | 769  | Apis mellifera (Honey Bee)",
        "mobilenet_v2_1.0_224_inat_insect | grace_hopper.bmp | 1021 | background",
      })
  void photoGetsItsSpecies(String id, String photo, int index, String label) {
    try (FeatureExtractor fx = FeatureExtractor.builder().model(id).build()) {
      Classification top = fx.classify(TestFiles.natural(photo), 1).get(0);
      assertEquals(index, top.index(), id + " " + photo + ": " + top);
      assertEquals(label, top.label());
      assertTrue(top.score() > 0.5, id + " " + photo + ": " + top);
    }
  }
}
