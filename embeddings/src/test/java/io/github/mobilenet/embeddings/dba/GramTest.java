package io.github.mobilenet.embeddings.dba;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.apache.lucene.util.VectorUtil;
import org.junit.jupiter.api.Test;

class GramTest {
  /** Tiled, parallel and each pair once, yet every cell is the dot product computed directly. */
  @Test
  void everyCellIsThatPairsDotProductBitForBit() {
    Random r = new Random(17);
    float[][] v = new float[150][1280]; // three tiles, the last one partial
    for (float[] x : v) {
      for (int d = 0; d < x.length; d++) {
        x[d] = r.nextFloat() * (d % 7 == 0 ? 3 : 1);
      }
    }
    float[][] g = Augmentation.Pass.gram(v);
    for (int i = 0; i < v.length; i++) {
      assertEquals(
          0f, g[i][i], "diagonal " + i + " is left at 0 (an image is not its own neighbour)");
      for (int j = 0; j < v.length; j++) {
        if (i != j) {
          assertEquals(
              Float.floatToIntBits(VectorUtil.dotProduct(v[j], v[i])),
              Float.floatToIntBits(g[i][j]),
              "cell " + i + "," + j);
        }
      }
    }
  }
}
