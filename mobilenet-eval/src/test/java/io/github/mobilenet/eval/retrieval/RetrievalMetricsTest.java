package io.github.mobilenet.eval.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.mobilenet.embeddings.search.Similarity;
import org.junit.jupiter.api.Test;

class RetrievalMetricsTest {
  private static final double EPS = 1e-12;

  /**
   * Five items, classes [0, 0, 1, 1, 0]. Per query (ranking → relevant ranks → AP, P@1, P@2, R@2):
   * q0 [2,1,3,4] → 2,4 → (1/2+2/4)/2 = 0.5, 0, 1/2, 1/2; q1 [0,4,2,3] → 1,2 → 1, 1, 1, 1; q2
   * [0,1,4,3] → 4 → 1/4, 0, 0, 0; q3 [2,0,1,4] → 1 → 1, 1, 1/2, 1; q4 [1,2,3,0] → 1,4 → (1+2/4)/2 =
   * 0.75, 1, 1/2, 1/2. mAP = 3.5/5 = 0.7, P@1 = 3/5, P@2 = 2.5/5, R@2 = 3/5.
   */
  @Test
  void handComputedRankings() {
    int[] labels = {0, 0, 1, 1, 0};
    int[][] rankings = {{2, 1, 3, 4}, {0, 4, 2, 3}, {0, 1, 4, 3}, {2, 0, 1, 4}, {1, 2, 3, 0}};
    RetrievalMetrics.Result r = RetrievalMetrics.evaluateRankings(rankings, labels, 2);
    assertEquals(5, r.queries());
    assertEquals(0, r.skippedQueries());
    assertEquals(0.7, r.meanAveragePrecision(), EPS);
    assertEquals(0.6, r.precisionAt1(), EPS);
    assertEquals(0.5, r.precisionAtK(), EPS);
    assertEquals(0.6, r.recallAtK(), EPS);
    assertEquals(2, r.k());
  }

  @Test
  void perfectAndWorstRankings() {
    int[] labels = {0, 0, 1, 1};
    int[][] perfect = {{1, 2, 3}, {0, 3, 2}, {3, 0, 1}, {2, 1, 0}};
    RetrievalMetrics.Result p = RetrievalMetrics.evaluateRankings(perfect, labels, 1);
    assertEquals(1.0, p.meanAveragePrecision(), EPS);
    assertEquals(1.0, p.precisionAt1(), EPS);
    assertEquals(1.0, p.recallAtK(), EPS);
    int[][] worst = {{2, 3, 1}, {3, 2, 0}, {0, 1, 3}, {1, 0, 2}};
    RetrievalMetrics.Result w = RetrievalMetrics.evaluateRankings(worst, labels, 1);
    assertEquals(1.0 / 3, w.meanAveragePrecision(), EPS); // the one relevant item always ranks 3rd
    assertEquals(0.0, w.precisionAt1(), EPS);
  }

  @Test
  void singletonClassesAreSkippedAndKBeyondTheListCountsAllFound() {
    int[] labels = {0, 0, 1};
    int[][] rankings = {{1, 2}, {2, 0}, {0, 1}};
    RetrievalMetrics.Result r = RetrievalMetrics.evaluateRankings(rankings, labels, 10);
    assertEquals(2, r.queries());
    assertEquals(1, r.skippedQueries());
    assertEquals((1 + 0.5) / 2, r.meanAveragePrecision(), EPS);
    assertEquals(1.0 / 10, r.precisionAtK(), EPS); // one relevant found, divided by k
    assertEquals(1.0, r.recallAtK(), EPS);
  }

  @Test
  void vectorsAreRankedBySimilarityWithTiesByIndex() {
    // 1-D points: 0, 1, 3, 3 (a tie), 10.
    float[][] v = {{0}, {1}, {3}, {3}, {10}};
    double[][] s = Similarity.EUCLIDEAN.matrix(v);
    assertArrayEquals(new int[] {1, 2, 3, 4}, RetrievalMetrics.rank(s[0], 0));
    assertArrayEquals(new int[] {3, 1, 0, 4}, RetrievalMetrics.rank(s[2], 2));
    assertArrayEquals(new int[] {2, 3, 1, 0}, RetrievalMetrics.rank(s[4], 4));
    assertEquals(-9.0, s[0][2], EPS);
    int[] labels = {0, 0, 1, 1, 1};
    // q0 [1,...] AP 1; q1 [0,..] AP 1; q2 [3,1,0,4] AP (1 + 2/4)/2; q3 [2,1,0,4] same; q4 [2,3,...]
    // AP 1.
    RetrievalMetrics.Result r = RetrievalMetrics.evaluate(v, labels, Similarity.EUCLIDEAN, 1);
    assertEquals((1 + 1 + 0.75 + 0.75 + 1) / 5, r.meanAveragePrecision(), EPS);
  }

  @Test
  void cosineIgnoresLengthAndDotProductDoesNot() {
    float[][] v = {{1, 0}, {10, 1}, {0, 1}, {1, 3}};
    double[][] cos = Similarity.COSINE.matrix(v);
    assertEquals(10 / Math.sqrt(101), cos[0][1], 1e-9);
    assertEquals(Similarity.COSINE.score(v[0], v[1]), cos[0][1], 1e-9);
    double[][] dot = Similarity.DOT_PRODUCT.matrix(v);
    assertEquals(13.0, dot[1][3], EPS);
    assertArrayEquals(new int[] {3, 1, 0}, RetrievalMetrics.rank(dot[2], 2));
    assertArrayEquals(new int[] {3, 1, 0}, RetrievalMetrics.rank(cos[2], 2));
    assertArrayEquals(new int[] {1, 3, 2}, RetrievalMetrics.rank(cos[0], 0));
  }

  @Test
  void rejectsInconsistentInput() {
    assertThrows(
        IllegalArgumentException.class,
        () -> RetrievalMetrics.evaluateRankings(new int[][] {{0}}, new int[] {0, 0}, 1));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            RetrievalMetrics.evaluateRankings(
                new int[][] {{0}, {1}}, new int[] {0, 0}, 1)); // query in own list
    assertThrows(
        IllegalArgumentException.class,
        () ->
            RetrievalMetrics.evaluate(new float[][] {{1}}, new int[] {0, 1}, Similarity.COSINE, 1));
  }
}
