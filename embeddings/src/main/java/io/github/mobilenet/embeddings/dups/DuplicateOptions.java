package io.github.mobilenet.embeddings.dups;

import io.github.mobilenet.local.verify.Verifier;

/**
 * How {@link SamePhotoFinder} looks for copies of one photograph: which pairs it verifies
 * (candidates from the global embedding) and when a verified pair counts as the same photo.
 *
 * @param candidates nearest neighbours per image that are verified (by the best cosine over the
 *     image's four rotations when {@code rotations} is on)
 * @param floor candidates must reach this cosine; lower pairs are never verified
 * @param rotations also take candidates by the embeddings of the image turned 90°, 180° and 270°
 *     (three more forward passes per image at dups time), so rotated copies are found
 * @param minInliers a verified pair is the same photo with at least this many inliers ...
 * @param minCoverage ... spread over at least this fraction of one image (a shared caption or logo
 *     alone covers ~1 %)
 * @param threads threads that decode, extract and verify
 */
public record DuplicateOptions(
    int candidates,
    double floor,
    boolean rotations,
    int minInliers,
    double minCoverage,
    int threads) {
  /** Default candidates per image (docs/QUALITY.md "Near-duplicates"). */
  public static final int DEFAULT_CANDIDATES = 10;

  /** Default cosine floor for candidates. */
  public static final double DEFAULT_FLOOR = 0.5;

  /** Default inliers for "same photo". */
  public static final int DEFAULT_MIN_INLIERS = Verifier.SAME_PHOTO_INLIERS;

  /**
   * Pairs whose own embeddings reach this cosine are the same photo without verification: on
   * flowers17 every such pair is an exact or near-exact copy, and verification cannot judge images
   * too plain to have keypoints.
   */
  public static final double NEAR_IDENTICAL_COSINE = 0.99;

  /**
   * A match with fewer than this many times {@link #minInliers()} inliers is "the same photo" only
   * when the embeddings agree too (cosine, at the rotation the match found, at least {@link
   * #WEAK_MATCH_COSINE}): two different flowers17 photos sharing a photographer's caption verify
   * with 63–100 inliers at cosine 0.76, while every listed copy with fewer than 120 inliers, and
   * every edited copy of the shared photos in that band (64–101 inliers), has a cosine of 0.89 or
   * more.
   */
  public static final int STRONG_MATCH_FACTOR = 2;

  /** See {@link #STRONG_MATCH_FACTOR}. */
  public static final double WEAK_MATCH_COSINE = 0.8;

  /**
   * Images with few keypoints (smooth, blurred, repetitive texture: 10–30 where photos have ~1000)
   * cannot reach {@link #minInliers()}: such a pair is the same photo when at least this fraction
   * of the smaller keypoint set verifies, ...
   */
  public static final double FEW_KEYPOINTS_FRACTION = 0.5;

  /** ... at least this many inliers, ... */
  public static final int FEW_KEYPOINTS_MIN_INLIERS = 8;

  /** ... spread over at least this fraction of one image (a caption alone covers ~1 %), ... */
  public static final double FEW_KEYPOINTS_COVERAGE = 0.02;

  /** ... and the embeddings agree (best cosine over the rotations). */
  public static final double FEW_KEYPOINTS_COSINE = 0.8;

  /** Checks the ranges. */
  public DuplicateOptions {
    if (candidates < 1) {
      throw new IllegalArgumentException("candidates must be at least 1, got " + candidates);
    }
    if (!(floor >= -1 && floor <= 1)) {
      throw new IllegalArgumentException("floor must be in [-1, 1], got " + floor);
    }
    if (minInliers < 4) {
      throw new IllegalArgumentException("minInliers must be at least 4, got " + minInliers);
    }
    if (!(minCoverage >= 0 && minCoverage <= 1)) {
      throw new IllegalArgumentException("minCoverage must be in [0, 1], got " + minCoverage);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
  }

  /** The measured defaults, on all cores. */
  public static DuplicateOptions defaults() {
    return new DuplicateOptions(
        DEFAULT_CANDIDATES,
        DEFAULT_FLOOR,
        true,
        DEFAULT_MIN_INLIERS,
        Verifier.SAME_PHOTO_COVERAGE,
        Runtime.getRuntime().availableProcessors());
  }

  /** These options with another candidate count. */
  public DuplicateOptions withCandidates(int n) {
    return new DuplicateOptions(n, floor, rotations, minInliers, minCoverage, threads);
  }

  /** These options with another cosine floor. */
  public DuplicateOptions withFloor(double f) {
    return new DuplicateOptions(candidates, f, rotations, minInliers, minCoverage, threads);
  }

  /** These options with rotated candidates on or off. */
  public DuplicateOptions withRotations(boolean on) {
    return new DuplicateOptions(candidates, floor, on, minInliers, minCoverage, threads);
  }

  /** These options with another inlier threshold. */
  public DuplicateOptions withMinInliers(int n) {
    return new DuplicateOptions(candidates, floor, rotations, n, minCoverage, threads);
  }

  /** These options with another thread count. */
  public DuplicateOptions withThreads(int n) {
    return new DuplicateOptions(candidates, floor, rotations, minInliers, minCoverage, n);
  }
}
