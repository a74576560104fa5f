package io.github.mobilenet.core.extract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.TestFiles;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Several layers in one pass equal separate one-layer calls, bit for bit. */
class MultiLayerTest extends DefaultExtractorTest {

  static final List<Path> PHOTOS =
      List.of(
          TestFiles.natural("grace_hopper.bmp"),
          TestFiles.natural("cat_720p.jpg"),
          TestFiles.natural("parrot.jpg"));

  /** Caller's order, deliberately not the graph's. */
  static final Set<String> LAYERS = ordered("pooled", "layer_5", "layer_19");

  static Set<String> ordered(String... names) {
    return new LinkedHashSet<>(List.of(names));
  }

  @Test
  void oneImageEqualsSeparateCallsExactly() {
    for (Path photo : PHOTOS) {
      Map<String, Features> all = fx.extractFeatures(photo, LAYERS);
      assertEquals(List.copyOf(LAYERS), List.copyOf(all.keySet()), "caller's order");
      for (String layer : LAYERS) {
        Features single = fx.extractFeatures(photo, layer);
        assertArrayEquals(single.shape(), all.get(layer).shape(), layer);
        assertArrayEquals(single.values(), all.get(layer).values(), photo + " " + layer);
        assertEquals(layer, all.get(layer).layer());
      }
    }
    assertArrayEquals(
        new int[] {32, 28, 28}, fx.extractFeatures(PHOTOS.get(0), LAYERS).get("layer_5").shape());
  }

  @Test
  void batchEqualsSingleExactly() {
    List<Map<String, Features>> batch = fx.extractFeatures(PHOTOS, LAYERS);
    assertEquals(PHOTOS.size(), batch.size());
    for (int i = 0; i < PHOTOS.size(); i++) {
      Map<String, Features> single = fx.extractFeatures(PHOTOS.get(i), LAYERS);
      for (String layer : LAYERS) {
        assertArrayEquals(
            single.get(layer).values(), batch.get(i).get(layer).values(), i + " " + layer);
        assertArrayEquals(
            fx.extractFeatures(PHOTOS.get(i), layer).values(),
            batch.get(i).get(layer).values(),
            "batch vs one-layer call, " + i + " " + layer);
      }
    }
  }

  @Test
  void batchesSplitAtMaxBatchGiveTheSameValues() {
    try (FeatureExtractor small = FeatureExtractor.builder().maxBatch(2).build()) {
      List<Map<String, Features>> split = small.extractFeatures(PHOTOS, LAYERS);
      List<Map<String, Features>> whole = fx.extractFeatures(PHOTOS, LAYERS);
      for (int i = 0; i < PHOTOS.size(); i++) {
        for (String layer : LAYERS) {
          assertArrayEquals(whole.get(i).get(layer).values(), split.get(i).get(layer).values());
        }
      }
    }
  }

  @Test
  void anAliasStaysTheKeyAndResolvesAsToday() {
    Map<String, Features> m = fx.extractFeatures(PHOTOS.get(0), ordered("layer_20", "layer_19"));
    assertEquals(List.of("layer_20", "layer_19"), List.copyOf(m.keySet()));
    assertSame(m.get("layer_19"), m.get("layer_20"));
    assertEquals("layer_19", m.get("layer_20").layer());
    assertArrayEquals(
        fx.extractFeatures(PHOTOS.get(0), "layer_20").values(), m.get("layer_20").values());
  }

  @Test
  void anUnknownLayerIsRefusedLikeTodayBeforeAnyImageIsRead() {
    IllegalArgumentException single =
        assertThrows(
            IllegalArgumentException.class, () -> fx.extractFeatures(PHOTOS.get(0), "layer_99"));
    IllegalArgumentException multi =
        assertThrows(
            IllegalArgumentException.class,
            () -> fx.extractFeatures(Path.of("no-such-file.jpg"), ordered("pooled", "layer_99")));
    assertEquals(single.getMessage(), multi.getMessage());
    assertTrue(multi.getMessage().contains("layer_99"), multi.getMessage());
    assertTrue(multi.getMessage().contains("layer_15_expansion"), multi.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> fx.extractFeatures(List.of(Path.of("no-such-file.jpg")), ordered("layer_99")));
    IllegalArgumentException empty =
        assertThrows(
            IllegalArgumentException.class, () -> fx.extractFeatures(PHOTOS.get(0), Set.of()));
    assertTrue(empty.getMessage().contains("no layers"), empty.getMessage());
  }

  @Test
  void theResultCannotBeModified() {
    Map<String, Features> m = fx.extractFeatures(PHOTOS.get(0), ordered("pooled"));
    assertThrows(UnsupportedOperationException.class, () -> m.remove("pooled"));
  }

  @Test
  void streamingSeveralLayersEqualsTheBatchAndKeepsBadImagesAsErrors() {
    List<io.github.mobilenet.core.image.ImageSource> sources = new java.util.ArrayList<>();
    for (Path p : PHOTOS) {
      sources.add(io.github.mobilenet.core.image.ImageSource.of(p));
    }
    sources.add(1, io.github.mobilenet.core.image.ImageSource.of(Path.of("no-such-file.jpg")));
    List<MultiLayerResult> results = new java.util.ArrayList<>();
    fx.extractEach(sources.iterator(), LAYERS, 2, results::add);
    assertEquals(PHOTOS.size() + 1, results.size());
    assertTrue(!results.get(1).ok() && results.get(1).features() == null);
    assertTrue(results.get(1).error().getMessage().contains("no-such-file.jpg"));
    List<Map<String, Features>> batch = fx.extractFeatures(PHOTOS, LAYERS);
    for (int i = 0, k = 0; i < results.size(); i++) {
      if (i == 1) {
        continue;
      }
      MultiLayerResult r = results.get(i);
      assertEquals(List.copyOf(LAYERS), List.copyOf(r.features().keySet()));
      for (String layer : LAYERS) {
        assertArrayEquals(batch.get(k).get(layer).values(), r.features().get(layer).values());
      }
      k++;
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> fx.extractEach(sources.iterator(), ordered("nope"), 1, r -> {}));
  }
}
