package io.github.mobilenet.local.verify;

import io.github.mobilenet.local.features.LocalFeatures;
import io.github.mobilenet.local.match.BitCountMatcher;
import io.github.mobilenet.local.match.DescriptorMatcher;
import io.github.mobilenet.local.match.DescriptorMatches;
import java.util.Objects;

/**
 * Decides whether two images show the same photo or object: descriptor matches (Hamming 2-NN, ratio
 * test) are verified with a RANSAC homography, and the score is the number of inliers. When the
 * first image's features carry a mirrored companion ({@link LocalFeatures#hasMirror()}, from {@code
 * extractQuery}), that is tried too and the better fit wins, so mirror images are found though ORB
 * is not mirror-invariant.
 *
 * <p>Inlier counts rank candidates well; a yes/no decision needs a threshold chosen for the task
 * (docs/LOCAL_FEATURES.md has the measurements): {@link #SAME_PHOTO_INLIERS} separates copies and
 * edits of one photo from different photos, {@link #SAME_OBJECT_INLIERS} is the weaker evidence
 * that two photos show one object. Even high counts can come from a shared logo or text on
 * otherwise different pictures.
 *
 * <p>Thread-safe (when its matcher and estimator are, as all of this module's are): share one.
 */
public final class Verifier {
  /** RANSAC reprojection tolerance in pixels of the reduced (long side 640) image. */
  public static final double DEFAULT_THRESHOLD_PIXELS = 8;

  /**
   * Inliers at or above which two images are taken for the same photograph (edited, cropped,
   * rotated or mirrored). Measured on flowers17: its same-photo pairs score 118 or more, its 12 145
   * hardest pairs of different photos 36 or less (apart from pairs that look like unlisted crops of
   * one photo); edited copies of the sample photos 400 or more.
   */
  public static final int SAME_PHOTO_INLIERS = 60;

  /**
   * Least {@link Match#coverage()} for {@link #isSamePhoto}: inliers on a shared caption or logo
   * alone cover 1–3 % of an image; the same-photo pairs of flowers17 cover 8 % or more (a small
   * flower on a plain background gives keypoints on the flower only).
   */
  public static final double SAME_PHOTO_COVERAGE = 0.05;

  /** Inliers at or above which two photos are taken to show one object (another viewpoint). */
  public static final int SAME_OBJECT_INLIERS = 20;

  private final DescriptorMatcher matcher;
  private final HomographyEstimator estimator;
  private final double threshold;

  /** Java bit-count matching, OpenCV RANSAC at {@link #DEFAULT_THRESHOLD_PIXELS}. */
  public Verifier() {
    this(new BitCountMatcher(), new OpenCvRansac(), DEFAULT_THRESHOLD_PIXELS);
  }

  /**
   * @param matcher pairs descriptors
   * @param estimator fits the homography
   * @param thresholdPixels reprojection tolerance in extraction pixels (scaled by the second
   *     image's {@link LocalFeatures#scale()})
   */
  public Verifier(
      DescriptorMatcher matcher, HomographyEstimator estimator, double thresholdPixels) {
    this.matcher = Objects.requireNonNull(matcher, "matcher");
    this.estimator = Objects.requireNonNull(estimator, "estimator");
    if (!(thresholdPixels > 0)) {
      throw new IllegalArgumentException("threshold must be positive: " + thresholdPixels);
    }
    this.threshold = thresholdPixels;
  }

  /**
   * Verifies image A against image B, trying A's mirrored companion too when it has one.
   *
   * @return the better fit; {@link Match#inliers()} is 0 when nothing was verified
   */
  public Match verify(LocalFeatures a, LocalFeatures b) {
    return verify(a, b, 4);
  }

  /**
   * {@link #verify(LocalFeatures, LocalFeatures)} for callers that only care about matches with at
   * least {@code atLeast} inliers: the homography is not fitted when fewer descriptor pairs pass
   * the ratio test (inliers are a subset of them), which saves the fit on most pairs of different
   * images. Such a match reports 0 inliers.
   */
  public Match verify(LocalFeatures a, LocalFeatures b, int atLeast) {
    Match best = verifyOne(a, b, atLeast);
    if (a.hasMirror()) {
      Match m = verifyOne(a.mirror(), b, atLeast);
      if (m.inliers() > best.inliers()) {
        best = m;
      }
    }
    return best;
  }

  /** Verifies exactly these features (no companion), e.g. to score only one orientation. */
  public Match verifyOne(LocalFeatures a, LocalFeatures b) {
    return verifyOne(a, b, 4);
  }

  private Match verifyOne(LocalFeatures a, LocalFeatures b, int atLeast) {
    DescriptorMatches pairs = matcher.match(a, b);
    int n = pairs.size();
    if (n < Math.max(4, atLeast)) {
      return Match.none(n, a.mirrored());
    }
    // Mirrored features are fitted in the mirrored frame (x → w − 1 − x), where the mapping keeps
    // its orientation: robust estimators such as USAC reject orientation-reversing samples.
    double flip = a.mirrored() ? a.width() - 1 : -1;
    double[] src = new double[2 * n];
    double[] dst = new double[2 * n];
    for (int i = 0; i < n; i++) {
      int q = pairs.query()[i];
      int t = pairs.train()[i];
      src[2 * i] = a.mirrored() ? flip - a.x(q) : a.x(q);
      src[2 * i + 1] = a.y(q);
      dst[2 * i] = b.x(t);
      dst[2 * i + 1] = b.y(t);
    }
    HomographyEstimator.Fit fit = estimator.estimate(src, dst, threshold * b.scale());
    if (fit == null) {
      return Match.none(n, a.mirrored());
    }
    double[] h = fit.homography();
    if (a.mirrored()) { // H · F, F = [[-1, 0, w − 1], [0, 1, 0], [0, 0, 1]]: from A's own pixels
      h =
          new double[] {
            -h[0],
            h[1],
            h[0] * flip + h[2],
            -h[3],
            h[4],
            h[3] * flip + h[5],
            -h[6],
            h[7],
            h[6] * flip + h[8]
          };
    }
    int k = fit.inlierCount();
    float[] pa = new float[2 * k];
    float[] pb = new float[2 * k];
    for (int i = 0, j = 0; i < n; i++) {
      if (fit.inliers()[i]) {
        pa[j] = (float) (a.mirrored() ? flip - src[2 * i] : src[2 * i]);
        pa[j + 1] = (float) src[2 * i + 1];
        pb[j] = (float) dst[2 * i];
        pb[j + 1] = (float) dst[2 * i + 1];
        j += 2;
      }
    }
    Transform transform = Transform.classify(h, a.width(), a.height(), b.width(), b.height());
    return new Match(
        k,
        pa,
        pb,
        h,
        transform,
        a.mirrored(),
        n,
        coverage(pa, a.width(), a.height()),
        coverage(pb, b.width(), b.height()));
  }

  /**
   * Whether a match says "the same photograph": enough inliers, spread over enough of one image
   * that a shared caption, watermark or logo alone cannot pass.
   */
  public static boolean isSamePhoto(Match m) {
    return m.inliers() >= SAME_PHOTO_INLIERS && m.coverage() >= SAME_PHOTO_COVERAGE;
  }

  /** Area of the box between the 5th and 95th percentile of the points, over the image's area. */
  static double coverage(float[] xy, int width, int height) {
    int n = xy.length / 2;
    if (n < 4) {
      return 0;
    }
    float[] xs = new float[n];
    float[] ys = new float[n];
    for (int i = 0; i < n; i++) {
      xs[i] = xy[2 * i];
      ys[i] = xy[2 * i + 1];
    }
    java.util.Arrays.sort(xs);
    java.util.Arrays.sort(ys);
    int lo = (int) (0.05 * (n - 1));
    int hi = (int) Math.ceil(0.95 * (n - 1));
    double area = (double) (xs[hi] - xs[lo]) * (ys[hi] - ys[lo]);
    return Math.min(1, area / ((double) width * height));
  }
}
