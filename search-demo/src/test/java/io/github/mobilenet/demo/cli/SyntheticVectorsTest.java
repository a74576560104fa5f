package io.github.mobilenet.demo.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.util.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SyntheticVectorsTest {
  @Test
  void unitNonNegativeDeterministicAndClustered() {
    Random r = new Random(1);
    List<float[]> real = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      float[] v = new float[16];
      for (int d = 0; d < v.length; d++) {
        v[d] = (float) Math.abs(r.nextGaussian() * (d + 1));
      }
      real.add(v);
    }
    List<float[]> a = SyntheticVectors.like(real, 200, 2, 0.01, 42);
    List<float[]> b = SyntheticVectors.like(real, 200, 2, 0.01, 42);
    assertEquals(200, a.size());
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i), b.get(i));
      assertEquals(16, a.get(i).length);
      assertEquals(1.0, Vectors.norm(a.get(i)), 1e-5);
      for (float x : a.get(i)) {
        assertTrue(x >= 0);
      }
    }
    // two tight clusters: every vector is very close to the first or to the farthest from it
    float[] first = a.get(0);
    float[] other = a.stream().min((x, y) -> Double.compare(dot(x, first), dot(y, first))).get();
    assertTrue(dot(first, other) < 0.99, "only one cluster: " + dot(first, other));
    for (float[] v : a) {
      assertTrue(Math.max(dot(v, first), dot(v, other)) > 0.99);
    }
  }

  private static double dot(float[] x, float[] y) {
    return Vectors.dot(x, y);
  }
}
