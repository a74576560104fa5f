package io.github.mobilenet.core.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one home of vector maths: exact small cases, and the length check. */
class VectorsTest {
  @Test
  void dotNormAndCosine() {
    float[] a = {1, 2, 3, 4, 5}; // five components: the four-way loop plus its tail
    float[] b = {5, 4, 3, 2, 1};
    assertEquals(35.0, Vectors.dot(a, b));
    assertEquals(Math.sqrt(55), Vectors.norm(a));
    assertEquals(35.0 / 55.0, Vectors.cosine(a, b), 1e-15);
    assertEquals(1.0, Vectors.cosine(new float[] {1, 2}, new float[] {2, 4}), 1e-15);
    assertEquals(-1.0, Vectors.cosine(new float[] {1, 1}, new float[] {-3, -3}), 1e-15);
    assertEquals(0.0, Vectors.cosine(new float[] {0, 0}, new float[] {1, 1}));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Vectors.cosine(new float[2], b));
    assertEquals("vector lengths differ: 2 vs 5", e.getMessage());
  }

  @Test
  void normalisation() {
    float[] v = {3, 4};
    assertArrayEquals(new float[] {0.6f, 0.8f}, Vectors.l2Normalize(v));
    assertArrayEquals(new float[] {3, 4}, v); // the copying form leaves its input alone
    assertArrayEquals(new float[] {0, 0}, Vectors.l2Normalize(new float[2]));
    assertTrue(Vectors.isUnit(Vectors.l2NormalizeInPlace(v), 1e-6));
    assertFalse(Vectors.isUnit(new float[] {3, 4}, 1e-6));
    assertFalse(Vectors.isUnit(new float[] {Float.NaN, 0}, 1e-6));
  }
}
