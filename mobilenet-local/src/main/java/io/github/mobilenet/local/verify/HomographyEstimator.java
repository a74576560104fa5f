package io.github.mobilenet.local.verify;

/**
 * Fits a homography to tentative correspondences robustly (RANSAC or similar), telling which ones
 * agree with it. Implementations must be thread-safe.
 */
public interface HomographyEstimator {
  /**
   * @param src points in the first image, x and y interleaved
   * @param dst the corresponding points in the second image, same layout
   * @param threshold the largest reprojection error, in the second image's pixels, of an inlier
   * @return the fit, or null when there are fewer than 4 pairs or no homography was found
   */
  Fit estimate(double[] src, double[] dst, double threshold);

  /**
   * A fitted homography, row-major 3×3 mapping first-image points to second-image points, and which
   * pairs agree with it.
   */
  record Fit(double[] homography, boolean[] inliers) {
    /** Checks the shapes. */
    public Fit {
      if (homography.length != 9) {
        throw new IllegalArgumentException("a homography has 9 entries: " + homography.length);
      }
    }

    /** Number of inliers. */
    public int inlierCount() {
      int n = 0;
      for (boolean b : inliers) {
        n += b ? 1 : 0;
      }
      return n;
    }
  }
}
