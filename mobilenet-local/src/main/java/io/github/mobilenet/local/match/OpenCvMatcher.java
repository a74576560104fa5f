package io.github.mobilenet.local.match;

import io.github.mobilenet.local.OpenCvRuntime;
import io.github.mobilenet.local.extract.OrbExtractor;
import io.github.mobilenet.local.features.LocalFeatures;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.DMatch;
import org.opencv.core.Mat;
import org.opencv.core.MatOfDMatch;
import org.opencv.features2d.BFMatcher;

/**
 * OpenCV's brute-force Hamming matcher ({@code BFMatcher(NORM_HAMMING).knnMatch(k = 2)}) with the
 * ratio test: the reference {@link BitCountMatcher} is measured against. Each call copies both
 * descriptor sets into native memory. Thread-safe: each call makes its own matcher.
 */
public final class OpenCvMatcher implements DescriptorMatcher {
  private final double ratio;

  /** Ratio test at {@link #DEFAULT_RATIO}. */
  public OpenCvMatcher() {
    this(DEFAULT_RATIO);
  }

  /**
   * @param ratio a pair is kept when nearest {@literal <} ratio × second nearest (0 {@literal <}
   *     ratio ≤ 1)
   */
  public OpenCvMatcher(double ratio) {
    if (!(ratio > 0 && ratio <= 1)) {
      throw new IllegalArgumentException("ratio must be in (0, 1]: " + ratio);
    }
    OpenCvRuntime.ensureLoaded();
    this.ratio = ratio;
  }

  @Override
  public DescriptorMatches match(LocalFeatures query, LocalFeatures train) {
    if (query.count() == 0 || train.count() < 2) {
      return DescriptorMatches.NONE;
    }
    Mat q = toMat(query);
    Mat t = toMat(train);
    List<MatOfDMatch> knn = new ArrayList<>();
    try {
      BFMatcher.create(Core.NORM_HAMMING, false).knnMatch(q, t, knn, 2);
      int[] qi = new int[knn.size()];
      int[] ti = new int[knn.size()];
      int[] di = new int[knn.size()];
      int kept = 0;
      for (MatOfDMatch m : knn) {
        DMatch[] two = m.toArray();
        if (two.length == 2 && two[0].distance < ratio * two[1].distance) {
          qi[kept] = two[0].queryIdx;
          ti[kept] = two[0].trainIdx;
          di[kept] = Math.round(two[0].distance);
          kept++;
        }
      }
      return new DescriptorMatches(
          java.util.Arrays.copyOf(qi, kept),
          java.util.Arrays.copyOf(ti, kept),
          java.util.Arrays.copyOf(di, kept));
    } finally {
      q.release();
      t.release();
      knn.forEach(Mat::release);
    }
  }

  private static Mat toMat(LocalFeatures f) {
    Mat m = new Mat(f.count(), LocalFeatures.DESCRIPTOR_BYTES, CvType.CV_8UC1);
    m.put(0, 0, OrbExtractor.unpack(f.descriptors()));
    return m;
  }
}
