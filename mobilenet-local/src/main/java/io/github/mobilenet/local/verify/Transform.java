package io.github.mobilenet.local.verify;

import java.util.Locale;

/**
 * What a verified homography says one image is of the other, where it can tell. Rotations are
 * clockwise as seen on screen (ROT90: the second image is the first turned a quarter clockwise, as
 * EXIF orientation 6 displays it).
 */
public enum Transform {
  /** Same framing and size. */
  IDENTITY,
  /** One image shows part of the other (at any scale). */
  CROP,
  /** Same framing, other size. */
  SCALE,
  /** Turned 90° clockwise. */
  ROT90,
  /** Turned 180°. */
  ROT180,
  /** Turned 270° clockwise (90° anticlockwise). */
  ROT270,
  /** Mirrored left to right. */
  HFLIP,
  /** Any other projective mapping (viewpoint change, rotation by another angle, ...). */
  HOMOGRAPHY,
  /** Not verified: no mapping was found. */
  NONE;

  // Tolerances: relative to the scale for the linear part, to the image for frames and perspective.
  private static final double SIMILARITY_TOLERANCE = 0.1;
  private static final double ANGLE_TOLERANCE_DEGREES = 8;
  private static final double PERSPECTIVE_TOLERANCE = 0.05;
  private static final double FRAME_TOLERANCE = 0.03;
  private static final double UNIT_SCALE_TOLERANCE = 0.03;

  /** The lowercase name used in JSON and reports: {@code rot90}, {@code hflip}, ... */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Classifies {@code h} (row-major, mapping image A's pixels to image B's).
   *
   * @param aw image A's width, and so on
   */
  public static Transform classify(double[] h, int aw, int ah, int bw, int bh) {
    if (h == null || h[8] == 0) {
      return NONE;
    }
    double[] n = new double[9];
    for (int i = 0; i < 9; i++) {
      n[i] = h[i] / h[8];
    }
    if (Math.abs(n[6]) * aw + Math.abs(n[7]) * ah > PERSPECTIVE_TOLERANCE) {
      return HOMOGRAPHY;
    }
    double a = n[0];
    double b = n[1];
    double c = n[3];
    double d = n[4];
    double det = a * d - b * c;
    boolean reflected = det < 0;
    if (reflected) { // undo a left-right mirror of A: x → −x
      a = -a;
      c = -c;
    }
    double s = Math.sqrt(Math.abs(det));
    if (!(s > 0)
        || Math.abs(a - d) > SIMILARITY_TOLERANCE * s
        || Math.abs(b + c) > SIMILARITY_TOLERANCE * s) {
      return HOMOGRAPHY;
    }
    double degrees = Math.toDegrees(Math.atan2(c, a)); // y points down: positive is clockwise
    int quarter = (int) Math.round(degrees / 90);
    if (Math.abs(degrees - 90 * quarter) > ANGLE_TOLERANCE_DEGREES) {
      return HOMOGRAPHY;
    }
    quarter = Math.floorMod(quarter, 4);
    if (reflected) {
      return quarter == 0 ? HFLIP : HOMOGRAPHY;
    }
    if (quarter != 0) {
      return quarter == 1 ? ROT90 : quarter == 2 ? ROT180 : ROT270;
    }
    return sameFrame(n, aw, ah, bw, bh)
        ? (Math.abs(s - 1) <= UNIT_SCALE_TOLERANCE ? IDENTITY : SCALE)
        : CROP;
  }

  /** Whether A's frame, mapped by h, covers B's frame edge for edge. */
  private static boolean sameFrame(double[] h, int aw, int ah, int bw, int bh) {
    double minX = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    double[][] corners = {{-0.5, -0.5}, {aw - 0.5, -0.5}, {-0.5, ah - 0.5}, {aw - 0.5, ah - 0.5}};
    for (double[] p : corners) {
      double w = h[6] * p[0] + h[7] * p[1] + h[8];
      double x = (h[0] * p[0] + h[1] * p[1] + h[2]) / w;
      double y = (h[3] * p[0] + h[4] * p[1] + h[5]) / w;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
    double tol = FRAME_TOLERANCE * Math.max(bw, bh);
    return Math.abs(minX + 0.5) <= tol
        && Math.abs(maxX - (bw - 0.5)) <= tol
        && Math.abs(minY + 0.5) <= tol
        && Math.abs(maxY - (bh - 0.5)) <= tol;
  }
}
