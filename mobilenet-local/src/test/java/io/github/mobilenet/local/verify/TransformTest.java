package io.github.mobilenet.local.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Labels of exact homographies between a 400x300 image A and image B. */
class TransformTest {
  private static Transform label(double[] h, int bw, int bh) {
    return Transform.classify(h, 400, 300, bw, bh);
  }

  @Test
  void identityScaleAndCrop() {
    assertEquals(Transform.IDENTITY, label(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, 400, 300));
    // Normalised by h[8]: any multiple is the same mapping.
    assertEquals(Transform.IDENTITY, label(new double[] {3, 0, 0, 0, 3, 0, 0, 0, 3}, 400, 300));
    // 2x with pixel centres kept: x' = 2x + ½.
    assertEquals(Transform.SCALE, label(new double[] {2, 0, 0.5, 0, 2, 0.5, 0, 0, 1}, 800, 600));
    // A is the middle of B (B 500x375, A shifted in by 50, 37.5).
    assertEquals(Transform.CROP, label(new double[] {1, 0, 50, 0, 1, 37.5, 0, 0, 1}, 500, 375));
    // B is the middle of A at half size.
    assertEquals(Transform.CROP, label(new double[] {0.5, 0, -20, 0, 0.5, -15, 0, 0, 1}, 160, 120));
  }

  @Test
  void quarterTurnsAreClockwiseOnScreen() {
    // B = A turned 90° clockwise (300x400): x' = (300 − 1) − y, y' = x.
    assertEquals(Transform.ROT90, label(new double[] {0, -1, 299, 1, 0, 0, 0, 0, 1}, 300, 400));
    assertEquals(Transform.ROT180, label(new double[] {-1, 0, 399, 0, -1, 299, 0, 0, 1}, 400, 300));
    assertEquals(Transform.ROT270, label(new double[] {0, 1, 0, -1, 0, 399, 0, 0, 1}, 300, 400));
  }

  @Test
  void mirrorAndOthers() {
    assertEquals(Transform.HFLIP, label(new double[] {-1, 0, 399, 0, 1, 0, 0, 0, 1}, 400, 300));
    // Upside-down mirror (vertical flip) is no label of its own.
    assertEquals(
        Transform.HOMOGRAPHY, label(new double[] {1, 0, 0, 0, -1, 299, 0, 0, 1}, 400, 300));
    // 30° rotation.
    double c = Math.cos(Math.toRadians(30));
    double s = Math.sin(Math.toRadians(30));
    assertEquals(
        Transform.HOMOGRAPHY, label(new double[] {c, -s, 100, s, c, 0, 0, 0, 1}, 400, 300));
    // Perspective.
    assertEquals(
        Transform.HOMOGRAPHY, label(new double[] {1, 0, 0, 0, 1, 0, 0.001, 0, 1}, 400, 300));
    // Anisotropic scaling.
    assertEquals(Transform.HOMOGRAPHY, label(new double[] {1.5, 0, 0, 0, 1, 0, 0, 0, 1}, 600, 300));
    assertEquals(Transform.NONE, label(null, 400, 300));
    assertEquals("rot90", Transform.ROT90.label());
  }
}
