package io.github.mobilenet.eval.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.mobilenet.embeddings.search.Similarity;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ClassifierMetricsTest {
  @Test
  void topKRanksWithTiesByIndex() {
    float[] s = {0.1f, 0.5f, 0.2f, 0.2f};
    assertEquals(0, TopKAccuracy.rankOf(s, 1));
    assertEquals(1, TopKAccuracy.rankOf(s, 2));
    assertEquals(2, TopKAccuracy.rankOf(s, 3)); // tied with class 2, which comes first
    assertEquals(3, TopKAccuracy.rankOf(s, 0));
    float[][] rows = {s, s, s, s};
    int[] truth = {1, 2, 3, 0};
    assertEquals(0.25, TopKAccuracy.accuracy(rows, truth, 1), 1e-12);
    assertEquals(0.50, TopKAccuracy.accuracy(rows, truth, 2), 1e-12);
    assertEquals(0.75, TopKAccuracy.accuracy(rows, truth, 3), 1e-12);
    assertEquals(1.00, TopKAccuracy.accuracy(rows, truth, 5), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> TopKAccuracy.rankOf(s, 4));
  }

  @Test
  void stratifiedKFoldIsBalancedDeterministicAndSeeded() {
    int[] labels = new int[23];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i < 10 ? 0 : i < 17 ? 1 : 2; // class sizes 10, 7, 6
    }
    int[] a = StratifiedKFold.assign(labels, 3, 42);
    assertArrayEquals(a, StratifiedKFold.assign(labels, 3, 42));
    assertNotEquals(Arrays.toString(a), Arrays.toString(StratifiedKFold.assign(labels, 3, 43)));
    int[][] perClass = new int[3][3];
    int[] size = new int[3];
    for (int i = 0; i < labels.length; i++) {
      perClass[a[i]][labels[i]]++;
      size[a[i]]++;
    }
    // Class 0 (10 items) deals 4,3,3 starting at fold 0; class 1 (7) continues at fold 1: 2,3,2;
    // class 2 (6)
    // continues at fold 2: 2,2,2.
    assertArrayEquals(new int[] {4, 2, 2}, perClass[0]);
    assertArrayEquals(new int[] {3, 3, 2}, perClass[1]);
    assertArrayEquals(new int[] {3, 2, 2}, perClass[2]);
    assertArrayEquals(new int[] {8, 8, 7}, size);
    assertArrayEquals(new int[] {0, 3}, StratifiedKFold.select(new int[] {1, 0, 0, 1}, 1, true));
    assertArrayEquals(new int[] {1, 2}, StratifiedKFold.select(new int[] {1, 0, 0, 1}, 1, false));
    assertThrows(IllegalArgumentException.class, () -> StratifiedKFold.assign(labels, 1, 0));
    assertThrows(
        IllegalArgumentException.class, () -> StratifiedKFold.assign(new int[] {0, 1}, 3, 0));
  }

  @Test
  void knnVotesThenBreaksTiesBySimilarityThenIndex() {
    // 1-D, Euclidean: train points 0 (class 0), 1 (class 0), 5 (class 1), 6 (class 1), 10 (class 2)
    float[][] train = {{0}, {1}, {5}, {6}, {10}};
    int[] labels = {0, 0, 1, 1, 2};
    KnnClassifier k1 = new KnnClassifier(train, labels, 1, Similarity.EUCLIDEAN);
    assertEquals(0, k1.predict(new float[] {0.4f}));
    assertEquals(2, k1.predict(new float[] {9}));
    KnnClassifier k3 = new KnnClassifier(train, labels, 3, Similarity.EUCLIDEAN);
    assertEquals(
        1, k3.predict(new float[] {8})); // neighbours 10 (2), 6 (1), 5 (1): two votes for class 1
    assertEquals(0, k3.predict(new float[] {2.5f})); // 1, 0 (class 0) and 5 (class 1)
    KnnClassifier k2 = new KnnClassifier(train, labels, 2, Similarity.EUCLIDEAN);
    // neighbours of 3.2: 5 (class 1, −3.24) and 1 (class 0, −4.84): one vote each, class 1 nearer
    assertEquals(1, k2.predict(new float[] {3.2f}));
    assertEquals(
        2.0 / 3,
        k3.accuracy(new float[][] {{8}, {2.5f}, {10}}, new int[] {1, 0, 2}),
        1e-12); // 10 has neighbours 10, 6, 5: class 1
    assertEquals(Double.NaN, k3.accuracy(new float[0][], new int[0]));
    assertThrows(
        IllegalArgumentException.class,
        () -> k3.accuracy(new float[][] {{8}, {2.5f}}, new int[] {1}));
  }
}
