package io.github.mobilenet.local.extract;

import io.github.mobilenet.core.image.RgbImage;
import io.github.mobilenet.local.OpenCvRuntime;
import io.github.mobilenet.local.features.LocalFeatures;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfKeyPoint;
import org.opencv.core.Size;
import org.opencv.features2d.ORB;
import org.opencv.imgproc.Imgproc;

/**
 * ORB keypoints and descriptors (OpenCV), on the image reduced to at most {@link #maxSide()} pixels
 * on its longer side; keypoints are reported in the original image's pixel coordinates.
 *
 * <p>The defaults (1000 keypoints, long side 640) are those that a study on near-duplicates and
 * instance search measured as sufficient (recall 1.00 on nine kinds of edits) at about 4 ms per
 * image; larger images cost time without finding more of what matters, since the descriptors are
 * computed on 31-pixel patches. The pixels come from mobilenet-core's decoder: OpenCV never decodes
 * files here, so EXIF orientation, CMYK and size limits are handled once, the project's way.
 *
 * <p>Thread-safe: each call makes its own ORB detector (cheap) and frees its native buffers.
 */
public final class OrbExtractor implements LocalFeatureExtractor {
  /** Keypoints kept per image by default. */
  public static final int DEFAULT_MAX_KEYPOINTS = 1000;

  /** Longer side, in pixels, that images are reduced to before extraction by default. */
  public static final int DEFAULT_MAX_SIDE = 640;

  private final int maxKeypoints;
  private final int maxSide;

  /** 1000 keypoints at long side ≤ 640. */
  public OrbExtractor() {
    this(DEFAULT_MAX_KEYPOINTS, DEFAULT_MAX_SIDE);
  }

  /**
   * @param maxKeypoints the most keypoints kept (the strongest by FAST/Harris response)
   * @param maxSide images with a longer side above this are reduced (area average) to it
   * @throws io.github.mobilenet.local.LocalFeaturesException NATIVE_LIBRARY when OpenCV cannot load
   */
  public OrbExtractor(int maxKeypoints, int maxSide) {
    if (maxKeypoints < 1 || maxSide < 64) {
      throw new IllegalArgumentException(
          "maxKeypoints must be ≥ 1 and maxSide ≥ 64: " + maxKeypoints + ", " + maxSide);
    }
    OpenCvRuntime.ensureLoaded();
    this.maxKeypoints = maxKeypoints;
    this.maxSide = maxSide;
  }

  /** The most keypoints kept per image. */
  public int maxKeypoints() {
    return maxKeypoints;
  }

  /** The longer side images are reduced to. */
  public int maxSide() {
    return maxSide;
  }

  @Override
  public LocalFeatures extract(RgbImage image) {
    Mat gray = reducedGray(image);
    try {
      return detect(gray, image, false);
    } finally {
      gray.release();
    }
  }

  @Override
  public LocalFeatures extractMirrored(RgbImage image) {
    Mat gray = reducedGray(image);
    try {
      return detectMirrored(gray, image);
    } finally {
      gray.release();
    }
  }

  @Override
  public LocalFeatures extractQuery(RgbImage image) {
    Mat gray = reducedGray(image); // one conversion and reduction for both orientations
    try {
      return detect(gray, image, false).withMirror(detectMirrored(gray, image));
    } finally {
      gray.release();
    }
  }

  private LocalFeatures detectMirrored(Mat gray, RgbImage image) {
    Mat flipped = new Mat();
    try {
      Core.flip(gray, flipped, 1);
      return detect(flipped, image, true);
    } finally {
      flipped.release();
    }
  }

  /** Luma (BT.601, as OpenCV's RGB2GRAY) reduced by area averaging to long side ≤ maxSide. */
  private Mat reducedGray(RgbImage image) {
    int w = image.width();
    int h = image.height();
    byte[] rgb = image.rgb();
    byte[] luma = new byte[w * h];
    for (int i = 0, s = 0; i < luma.length; i++, s += 3) {
      int v = (rgb[s] & 0xFF) * 4899 + (rgb[s + 1] & 0xFF) * 9617 + (rgb[s + 2] & 0xFF) * 1868;
      luma[i] = (byte) ((v + 8192) >> 14);
    }
    Mat full = new Mat(h, w, CvType.CV_8UC1);
    full.put(0, 0, luma);
    int longSide = Math.max(w, h);
    if (longSide <= maxSide) {
      return full;
    }
    double f = (double) maxSide / longSide;
    int rw = Math.max(1, (int) Math.round(w * f));
    int rh = Math.max(1, (int) Math.round(h * f));
    Mat reduced = new Mat();
    try {
      Imgproc.resize(full, reduced, new Size(rw, rh), 0, 0, Imgproc.INTER_AREA);
    } finally {
      full.release();
    }
    return reduced;
  }

  private LocalFeatures detect(Mat gray, RgbImage image, boolean mirrored) {
    int rw = gray.cols();
    double sx = (double) image.width() / rw;
    double sy = (double) image.height() / gray.rows();
    ORB orb = ORB.create(maxKeypoints);
    MatOfKeyPoint keypoints = new MatOfKeyPoint();
    Mat descriptors = new Mat();
    Mat noMask = new Mat();
    try {
      orb.detectAndCompute(gray, noMask, keypoints, descriptors);
      int n = descriptors.rows(); // keypoints without a descriptor (too near the border) are gone
      float[] kp = new float[n * 7]; // x, y, size, angle, response, octave, class_id
      if (n > 0) {
        keypoints.get(0, 0, kp);
      }
      byte[] raw = new byte[n * LocalFeatures.DESCRIPTOR_BYTES];
      if (n > 0) {
        descriptors.get(0, 0, raw);
      }
      float[] x = new float[n];
      float[] y = new float[n];
      float[] size = new float[n];
      float[] angle = new float[n];
      byte[] octave = new byte[n];
      for (int i = 0; i < n; i++) {
        double kx = mirrored ? rw - 1 - kp[7 * i] : kp[7 * i];
        // Pixel centres sit at integers in both images: x_original = (x_reduced + ½)·s − ½.
        x[i] = (float) ((kx + 0.5) * sx - 0.5);
        y[i] = (float) ((kp[7 * i + 1] + 0.5) * sy - 0.5);
        size[i] = (float) (kp[7 * i + 2] * sx);
        angle[i] = kp[7 * i + 3];
        octave[i] = (byte) kp[7 * i + 5];
      }
      return new LocalFeatures(
          image.width(),
          image.height(),
          (float) Math.max(sx, sy),
          mirrored,
          x,
          y,
          size,
          angle,
          octave,
          pack(raw),
          null);
    } finally {
      keypoints.release();
      descriptors.release();
      noMask.release();
      // The binding's finalizer deletes the native ORB: without this fence the JIT may let `orb`
      // be collected while detectAndCompute still runs on it (seen: "wta_k == 2 ..." assertions
      // in a 2-thread dups run over 1360 images).
      java.lang.ref.Reference.reachabilityFence(orb);
    }
  }

  /** 32 descriptor bytes → 4 little-endian longs per keypoint. */
  static long[] pack(byte[] raw) {
    long[] out = new long[raw.length / Long.BYTES];
    for (int i = 0; i < out.length; i++) {
      long v = 0;
      for (int b = Long.BYTES - 1; b >= 0; b--) {
        v = (v << 8) | (raw[i * Long.BYTES + b] & 0xFFL);
      }
      out[i] = v;
    }
    return out;
  }

  /** The inverse of {@link #pack}: what OpenCV's matchers take. */
  public static byte[] unpack(long[] packed) {
    byte[] out = new byte[packed.length * Long.BYTES];
    for (int i = 0; i < packed.length; i++) {
      long v = packed[i];
      for (int b = 0; b < Long.BYTES; b++) {
        out[i * Long.BYTES + b] = (byte) (v >>> (8 * b));
      }
    }
    return out;
  }
}
