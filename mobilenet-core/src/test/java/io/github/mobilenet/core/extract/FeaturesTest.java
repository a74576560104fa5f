package io.github.mobilenet.core.extract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Features layout and pooling on small maps whose answers are worked out by hand. */
class FeaturesTest {
  /**
   * Two channels over a 2x2 map, channel-major: channel 0 = [1, 2; 3, 4], channel 1 = [0, -1; 4,
   * 0].
   */
  static final Features MAP =
      new Features("layer_x", new int[] {2, 2, 2}, new float[] {1, 2, 3, 4, 0, -1, 4, 0});

  @Test
  void shapeAndIndexing() {
    assertArrayEquals(new int[] {2, 2, 2}, MAP.shape());
    assertEquals(Features.Layout.CHW, MAP.layout());
    assertEquals(2, MAP.channels());
    assertEquals(2, MAP.height());
    assertEquals(2, MAP.width());
    assertEquals(8, MAP.size());
    assertEquals(3f, MAP.get(0, 1, 0));
    assertEquals(-1f, MAP.get(1, 0, 1));
    assertEquals(4f, MAP.get(1, 1, 0));
    assertThrows(IllegalStateException.class, () -> MAP.get(0));
  }

  @Test
  void averagePooling() {
    assertArrayEquals(new float[] {2.5f, 0.75f}, MAP.pooled(Pooling.AVG));
    assertArrayEquals(new float[] {2.5f, 0.75f}, MAP.vector());
  }

  @Test
  void maxPooling() {
    assertArrayEquals(new float[] {4f, 4f}, MAP.pooled(Pooling.MAX));
    Features negative = new Features("n", new int[] {1, 1, 3}, new float[] {-3, -1, -2});
    assertArrayEquals(new float[] {-1f}, negative.pooled(Pooling.MAX));
  }

  @Test
  void gemPooling() {
    // p = 3: channel 0 (1 + 8 + 27 + 64) / 4 = 25 -> 25^(1/3); channel 1 negatives clamp to 0: 64 /
    // 4 = 16 -> 16^(1/3).
    float[] gem3 = MAP.pooled(Pooling.GEM);
    assertEquals(2.9240177f, gem3[0], 1e-6);
    assertEquals(2.5198421f, gem3[1], 1e-6);
    // p = 1 is the average of the clamped map; large p approaches the maximum.
    assertArrayEquals(new float[] {2.5f, 1f}, MAP.pooled(Pooling.gem(1)), 1e-6f);
    float[] gem50 = MAP.pooled(Pooling.gem(50));
    assertEquals(
        4 * Math.pow(0.25, 1 / 50.0), gem50[0], 1e-4); // dominated by the 4: (4^50 / 4)^(1/50)
    assertEquals(4 * Math.pow(0.25, 1 / 50.0), gem50[1], 1e-4);
  }

  @Test
  void poolingAVectorReturnsItsValues() {
    Features v = new Features("pooled", new int[] {3}, new float[] {1, -2, 3});
    assertEquals(Features.Layout.C, v.layout());
    assertArrayEquals(new float[] {1, -2, 3}, v.pooled(Pooling.MAX));
    assertEquals(-2f, v.get(1));
    assertThrows(IllegalStateException.class, () -> v.get(0, 0, 0));
  }

  @Test
  void parseAndPrintPooling() {
    assertEquals(Pooling.AVG, Pooling.parse("avg"));
    assertEquals(Pooling.MAX, Pooling.parse("MAX"));
    assertEquals(Pooling.gem(3), Pooling.parse("gem"));
    assertEquals(Pooling.gem(2.5), Pooling.parse("gem:2.5"));
    assertEquals("gem:2.5", Pooling.gem(2.5).toString());
    assertEquals("gem", Pooling.GEM.toString());
    assertThrows(IllegalArgumentException.class, () -> Pooling.parse("median"));
    assertThrows(IllegalArgumentException.class, () -> Pooling.gem(0));
    assertThrows(IllegalArgumentException.class, () -> Pooling.parse("gem:x"));
  }

  @Test
  void valuesAreDefensiveCopies() {
    float[] values = MAP.values();
    values[0] = 100;
    assertEquals(1f, MAP.get(0, 0, 0));
  }

  @Test
  void shapeMustMatchValues() {
    assertThrows(
        IllegalArgumentException.class, () -> new Features("x", new int[] {2, 2, 2}, new float[7]));
    assertThrows(
        IllegalArgumentException.class, () -> new Features("x", new int[] {2, 4}, new float[8]));
  }

  @Test
  void normalisationAndCosine() {
    assertArrayEquals(new float[] {0.6f, 0.8f}, Features.l2Normalize(new float[] {3, 4}), 1e-7f);
    assertArrayEquals(new float[] {0, 0}, Features.l2Normalize(new float[] {0, 0}));
    assertEquals(1.0, Features.cosine(new float[] {1, 2}, new float[] {2, 4}), 1e-12);
    assertEquals(0.0, Features.cosine(new float[] {1, 0}, new float[] {0, 5}), 1e-12);
    assertEquals(-1.0, Features.cosine(new float[] {1, 1}, new float[] {-2, -2}), 1e-12);
    assertEquals(0.0, Features.cosine(new float[] {0, 0}, new float[] {1, 1}));
    assertThrows(IllegalArgumentException.class, () -> Features.cosine(new float[2], new float[3]));
  }
}
