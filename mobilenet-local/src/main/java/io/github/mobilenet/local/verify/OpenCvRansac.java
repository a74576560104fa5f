package io.github.mobilenet.local.verify;

import io.github.mobilenet.local.OpenCvRuntime;
import org.opencv.calib3d.Calib3d;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint2f;

/**
 * OpenCV's {@code findHomography} with a robust method (up to 2000 iterations, confidence 0.995).
 * OpenCV seeds its random generator per call, so results are reproducible. Thread-safe.
 */
public final class OpenCvRansac implements HomographyEstimator {
  private static final int MAX_ITERATIONS = 2000;
  private static final double CONFIDENCE = 0.995;

  /** The robust estimators of OpenCV's {@code findHomography}. */
  public enum Method {
    /**
     * Classic RANSAC. Runs all its iterations on pairs of different images (few inliers), which
     * costs about 7 ms there, 60 times the others.
     */
    RANSAC(Calib3d.RANSAC),
    /** PROSAC-based RHO: the fastest. */
    RHO(Calib3d.RHO),
    /** USAC with local optimisation (LO-RANSAC, PROSAC sampling): the default. */
    USAC_DEFAULT(Calib3d.USAC_DEFAULT),
    /** USAC with graph-cut local optimisation: slower, tighter inlier sets. */
    USAC_ACCURATE(Calib3d.USAC_ACCURATE),
    /** MAGSAC++: threshold-free scoring. */
    USAC_MAGSAC(Calib3d.USAC_MAGSAC);

    private final int flag;

    Method(int flag) {
      this.flag = flag;
    }
  }

  private final Method method;

  /** {@link Method#USAC_DEFAULT}: docs/LOCAL_FEATURES.md compares the methods. */
  public OpenCvRansac() {
    this(Method.USAC_DEFAULT);
  }

  /** Loads OpenCV if needed. */
  public OpenCvRansac(Method method) {
    this.method = java.util.Objects.requireNonNull(method, "method");
    OpenCvRuntime.ensureLoaded();
  }

  /** The robust method in use. */
  public Method method() {
    return method;
  }

  @Override
  public Fit estimate(double[] src, double[] dst, double threshold) {
    int n = src.length / 2;
    if (n < 4 || dst.length != src.length) {
      return null;
    }
    MatOfPoint2f a = points(src);
    MatOfPoint2f b = points(dst);
    Mat mask = new Mat();
    Mat h = null;
    try {
      h = Calib3d.findHomography(a, b, method.flag, threshold, mask, MAX_ITERATIONS, CONFIDENCE);
      if (h.empty() || mask.rows() != n) {
        return null;
      }
      double[] homography = new double[9];
      h.get(0, 0, homography);
      byte[] m = new byte[n];
      mask.get(0, 0, m);
      boolean[] inliers = new boolean[n];
      for (int i = 0; i < n; i++) {
        inliers[i] = m[i] != 0;
      }
      return new Fit(homography, inliers);
    } finally {
      a.release();
      b.release();
      mask.release();
      if (h != null) {
        h.release();
      }
    }
  }

  private static MatOfPoint2f points(double[] xy) {
    float[] f = new float[xy.length];
    for (int i = 0; i < xy.length; i++) {
      f[i] = (float) xy[i];
    }
    MatOfPoint2f m = new MatOfPoint2f();
    m.create(xy.length / 2, 1, CvType.CV_32FC2);
    m.put(0, 0, f);
    return m;
  }
}
