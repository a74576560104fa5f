package io.github.mobilenet.embeddings.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.core.preprocess.InputSize;
import io.github.mobilenet.embeddings.embed.Embedding;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The input size an index records: absent for the model's own, compared like other settings. */
class InputSizeConfigTest {
  private static final ModelProfile V2 = ModelProfile.mobileNetV2();

  private static IndexConfig at(InputSize size) {
    Embedding e = Embedding.defaults();
    return IndexConfig.of(
        V2,
        Embedding.of(V2, e.layer(), e.pooling(), e.preprocessing(), e.resize(), size),
        IndexConfig.DEFAULT_FORMAT);
  }

  @Test
  void theModelsOwnSizeIsRecordedAsAbsent() {
    IndexConfig own = at(InputSize.exact(224, 224));
    assertNull(own.inputSize());
    assertEquals(IndexConfig.defaults(), own);
    assertFalse(own.toUserData().containsKey("mobilenet.input_size"));
    assertEquals(IndexConfig.defaults().toUserData(), own.toUserData()); // as older indexes
  }

  @Test
  void otherSizesRoundTripAndDiffer() {
    for (InputSize s : List.of(InputSize.shorterSide(320), InputSize.exact(160, 192))) {
      IndexConfig c = at(s);
      Map<String, String> data = c.toUserData();
      assertEquals(s.spec(), data.get("mobilenet.input_size"));
      assertEquals(c, IndexConfig.fromUserData(data, "test"));
      assertEquals(
          List.of("input_size=native (asked: " + s.spec() + ")"),
          IndexConfig.defaults().embeddingDifferences(c));
      assertEquals(
          List.of("input_size=" + s.spec() + " (asked: native)"),
          c.embeddingDifferences(IndexConfig.defaults()));
      assertTrue(c.describe().contains("input_size=" + s.spec()), c.describe());
    }
    Map<String, String> bad = IndexConfig.defaults().toUserData();
    bad.put("mobilenet.input_size", "huge");
    IndexConfigMismatchException e =
        assertThrows(IndexConfigMismatchException.class, () -> IndexConfig.fromUserData(bad, "x"));
    assertTrue(e.getMessage().contains("invalid input size 'huge'"), e.getMessage());
  }

  @Test
  void anIndexRefusesAnotherSizeAndTheEmbedderFollowsIt(@TempDir Path dir) {
    IndexConfig s320 = at(InputSize.shorterSide(320));
    try (ImageIndex index = ImageIndex.openOrCreate(dir, s320)) {
      index.commit();
    }
    IndexConfigMismatchException e =
        assertThrows(
            IndexConfigMismatchException.class,
            () -> ImageIndex.openOrCreate(dir, IndexConfig.defaults()).close());
    assertTrue(e.getMessage().contains("input_size=320 (asked: native)"), e.getMessage());
    try (ImageIndex index = ImageIndex.open(dir);
        ImageEmbedder embedder = ImageEmbedder.open(index.config(), V2, 1)) {
      assertEquals(InputSize.shorterSide(320), embedder.extractor().inputSize());
    }
    try (FeatureExtractor plain = FeatureExtractor.create()) {
      IndexConfigMismatchException w =
          assertThrows(IndexConfigMismatchException.class, () -> ImageEmbedder.wrap(plain, s320));
      assertTrue(w.getMessage().contains("input_size=320 (asked: native)"), w.getMessage());
    }
  }
}
