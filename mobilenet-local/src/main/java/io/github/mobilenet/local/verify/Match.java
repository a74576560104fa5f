package io.github.mobilenet.local.verify;

/**
 * The verdict of {@link Verifier#verify}: how many correspondences agree with one homography (the
 * score: 0 when nothing was verified), the agreeing point pairs, the homography and what kind of
 * transform it is.
 *
 * @param inliers number of geometrically consistent correspondences
 * @param pointsA x, y of each inlier in image A's pixel coordinates, interleaved
 * @param pointsB the corresponding points in image B's pixel coordinates
 * @param homography row-major 3×3 mapping A's pixels to B's, or null when none was found
 * @param transform what the homography is, {@link Transform#NONE} when none was found
 * @param mirrored whether the best fit used A's mirrored features (then the homography includes the
 *     mirror)
 * @param tentative descriptor pairs that passed the ratio test, before verification
 * @param coverageA fraction of image A's area spanned by its inliers (the box between their 5th and
 *     95th percentiles in x and y): small when only a caption or logo matched
 * @param coverageB the same in image B
 */
public record Match(
    int inliers,
    float[] pointsA,
    float[] pointsB,
    double[] homography,
    Transform transform,
    boolean mirrored,
    int tentative,
    double coverageA,
    double coverageB) {
  /** Nothing verified. */
  public static Match none(int tentative, boolean mirrored) {
    return new Match(
        0, new float[0], new float[0], null, Transform.NONE, mirrored, tentative, 0, 0);
  }

  /**
   * The larger of the two coverages: when one image is a small crop of the other, its inliers still
   * span most of it.
   */
  public double coverage() {
    return Math.max(coverageA, coverageB);
  }

  /** Checks the shapes. */
  public Match {
    if (pointsA.length != 2 * inliers || pointsB.length != 2 * inliers) {
      throw new IllegalArgumentException("expected " + inliers + " point pairs");
    }
  }
}
