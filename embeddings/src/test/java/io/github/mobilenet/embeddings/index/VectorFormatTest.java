package io.github.mobilenet.embeddings.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The candidate counts approximate search collects before rescoring. */
class VectorFormatTest {
  @Test
  void candidatesOversampleByFormat() {
    assertEquals(64, VectorFormat.FLOAT32.candidates(10));
    assertEquals(64, VectorFormat.INT7.candidates(10));
    assertEquals(100, VectorFormat.INT4.candidates(10));
    assertEquals(200, VectorFormat.BIT.candidates(10));
    assertEquals(300, VectorFormat.INT7.candidates(100));
  }

  @Test
  void largeIndexesCollectMoreCandidatesUpTo768() {
    VectorFormat f = VectorFormat.INT7;
    assertEquals(64, f.candidates(10, 0));
    assertEquals(64, f.candidates(10, 125_000));
    assertEquals(128, f.candidates(10, 125_001));
    assertEquals(128, f.candidates(10, 250_000));
    assertEquals(256, f.candidates(10, 250_001));
    assertEquals(256, f.candidates(10, 500_000));
    assertEquals(512, f.candidates(10, 500_001));
    assertEquals(512, f.candidates(10, 750_000));
    assertEquals(768, f.candidates(10, 750_001));
    // the measured setting at 1 M: recall@10 0.986-0.988 at p50 2.7-3.3 ms
    assertEquals(768, f.candidates(10, 1_000_000));
    assertEquals(768, f.candidates(10, 100_000_000));
    // the format's own count wins when it is larger
    assertEquals(1000, VectorFormat.BIT.candidates(100, 1_000_000));
    assertEquals(768, VectorFormat.BIT.candidates(10, 1_000_000));
    assertEquals(2000, VectorFormat.BIT.candidates(200, 1_000_000));
  }
}
