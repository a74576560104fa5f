package io.github.mobilenet.embeddings.dba;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NeighbourExpansionTest {
  @Test
  void eachVectorIsAveragedWithItsNearestNeighbours() {
    // a·b = 0.8, b·c = 0.6, a·c = 0: a's neighbour is b, b's is a, c's is b.
    float[][] v = {{1, 0}, {0.8f, 0.6f}, {0, 1}};
    float[][] one = NeighbourExpansion.augment(v, 1);
    float inv = (float) (1 / Math.sqrt(1.8 * 1.8 + 0.6 * 0.6));
    assertArrayEquals(new float[] {1.8f * inv, 0.6f * inv}, one[0], 1e-6f);
    assertArrayEquals(new float[] {1.8f * inv, 0.6f * inv}, one[1], 1e-6f);
    float invC = (float) (1 / Math.sqrt(0.8 * 0.8 + 1.6 * 1.6));
    assertArrayEquals(new float[] {0.8f * invC, 1.6f * invC}, one[2], 1e-6f);
    // n larger than the collection: every vector becomes the normalised sum of all.
    float[][] all = NeighbourExpansion.augment(v, 5);
    float invAll = (float) (1 / Math.sqrt(1.8 * 1.8 + 1.6 * 1.6));
    for (float[] row : all) {
      assertArrayEquals(new float[] {1.8f * invAll, 1.6f * invAll}, row, 1e-6f);
    }
    assertArrayEquals(v[2], NeighbourExpansion.augment(v, 0)[2], 0);
    // An outside query (0.96, 0.28): nearest is a (0.96 > b's 0.936), so it becomes (1.96, 0.28)
    // normalised.
    float invQ = (float) (1 / Math.sqrt(1.96 * 1.96 + 0.28 * 0.28));
    assertArrayEquals(
        new float[] {1.96f * invQ, 0.28f * invQ},
        NeighbourExpansion.expandQuery(new float[] {0.96f, 0.28f}, v, 1),
        1e-6f);
    assertThrows(IllegalArgumentException.class, () -> NeighbourExpansion.augment(v, -1));
  }
}
