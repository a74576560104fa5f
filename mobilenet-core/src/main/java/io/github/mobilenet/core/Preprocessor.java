package io.github.mobilenet.core;

import java.nio.FloatBuffer;

/**
 * Crops, resizes and normalises an {@link RgbImage} into the model's input tensor layout.
 * Immutable and thread-safe; the resampling weights are computed per call because source sizes vary.
 */
public final class Preprocessor {
  private final Preprocessing mode;
  private final ResizeFilter filter;
  private final int height;
  private final int width;
  private final ModelProfile.Input input;

  public Preprocessor(ModelProfile.Input input, Preprocessing mode, ResizeFilter filter, int height, int width) {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException("input size must be positive: " + height + "x" + width);
    }
    this.input = input;
    this.mode = mode;
    this.filter = filter;
    this.height = height;
    this.width = width;
  }

  public Preprocessing mode() {
    return mode;
  }

  public ResizeFilter filter() {
    return filter;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  /** Floats one image takes in the input tensor: 3 × height × width. */
  public int tensorSize() {
    return 3 * height * width;
  }

  /** Returns a new array holding the preprocessed image in the model's layout. */
  public float[] apply(RgbImage image) {
    float[] out = new float[tensorSize()];
    apply(image, FloatBuffer.wrap(out), 0);
    return out;
  }

  /** Writes the preprocessed image into {@code dst} starting at float index {@code offset}. */
  public void apply(RgbImage image, FloatBuffer dst, int offset) {
    int left = 0;
    int top = 0;
    int cw = image.width();
    int ch = image.height();
    if (mode == Preprocessing.CENTER_CROP) {
      int s = Math.min(cw, ch);
      int c = Math.max(1, (int) Math.floor(Preprocessing.CENTRAL_FRACTION * s + 0.5));
      top = (ch - c) / 2;
      left = (cw - c) / 2;
      cw = c;
      ch = c;
    }
    Kernel kx = Kernel.of(filter, left, cw, width);
    Kernel ky = Kernel.of(filter, top, ch, height);

    // Pass 1, horizontal: every source row the vertical kernel touches → width columns, doubles.
    int rowsFrom = ky.minIndex();
    int rowsTo = ky.maxIndex();
    int srcW = image.width();
    byte[] rgb = image.rgb();
    double[] horiz = new double[(rowsTo - rowsFrom + 1) * width * 3];
    for (int y = rowsFrom; y <= rowsTo; y++) {
      int rowBase = y * srcW * 3;
      int o = (y - rowsFrom) * width * 3;
      for (int x = 0; x < width; x++, o += 3) {
        double r = 0;
        double g = 0;
        double b = 0;
        int first = kx.first[x];
        int base = x * kx.taps;
        for (int t = 0; t < kx.counts[x]; t++) {
          double wt = kx.weights[base + t];
          int s = rowBase + (first + t) * 3;
          r += wt * (rgb[s] & 0xFF);
          g += wt * (rgb[s + 1] & 0xFF);
          b += wt * (rgb[s + 2] & 0xFF);
        }
        horiz[o] = r;
        horiz[o + 1] = g;
        horiz[o + 2] = b;
      }
    }

    // Pass 2, vertical, then normalise and store in the model's layout.
    double[] mean = input.mean();
    double[] std = input.std();
    boolean bgr = input.channelOrder() == ModelProfile.ChannelOrder.BGR;
    boolean nchw = input.layout() == ModelProfile.Layout.NCHW;
    int plane = height * width;
    double[] px = new double[3];
    for (int y = 0; y < height; y++) {
      int first = ky.first[y];
      int base = y * ky.taps;
      for (int x = 0; x < width; x++) {
        px[0] = 0;
        px[1] = 0;
        px[2] = 0;
        for (int t = 0; t < ky.counts[y]; t++) {
          double wt = ky.weights[base + t];
          int s = ((first + t - rowsFrom) * width + x) * 3;
          px[0] += wt * horiz[s];
          px[1] += wt * horiz[s + 1];
          px[2] += wt * horiz[s + 2];
        }
        for (int c = 0; c < 3; c++) {
          int src = bgr ? 2 - c : c;
          float v = (float) ((px[src] - mean[src]) / std[src]);
          int i = nchw ? c * plane + y * width + x : (y * width + x) * 3 + c;
          dst.put(offset + i, v);
        }
      }
    }
  }

  /**
   * 1-D resampling weights from source range [start, start + length) to {@code out} samples: for output
   * i, {@code counts[i]} taps starting at source index {@code first[i]}.
   */
  record Kernel(int taps, int[] first, int[] counts, double[] weights) {
    int minIndex() {
      int m = Integer.MAX_VALUE;
      for (int f : first) {
        m = Math.min(m, f);
      }
      return m;
    }

    int maxIndex() {
      int m = 0;
      for (int i = 0; i < first.length; i++) {
        m = Math.max(m, first[i] + counts[i] - 1);
      }
      return m;
    }

    static Kernel of(ResizeFilter filter, int start, int length, int out) {
      double scale = (double) length / out;
      return filter == ResizeFilter.BILINEAR ? bilinear(start, length, out, scale) : antialias(start, length, out, scale);
    }

    /** The reference: src = (d + 0.5) * scale - 0.5 clamped to [0, length - 1], two taps. */
    private static Kernel bilinear(int start, int length, int out, double scale) {
      int[] first = new int[out];
      int[] counts = new int[out];
      double[] w = new double[out * 2];
      for (int d = 0; d < out; d++) {
        double src = Math.min(Math.max((d + 0.5) * scale - 0.5, 0.0), length - 1);
        int i0 = (int) Math.floor(src);
        int i1 = Math.min(i0 + 1, length - 1);
        double f = src - i0;
        first[d] = start + i0;
        if (i1 == i0) {
          counts[d] = 1;
          w[d * 2] = 1.0; // (1 - f) + f with f = 0 at the clamped edge
        } else {
          counts[d] = 2;
          w[d * 2] = 1.0 - f;
          w[d * 2 + 1] = f;
        }
      }
      return new Kernel(2, first, counts, w);
    }

    /** Triangle filter of support max(scale, 1), weights normalised to sum 1 (Pillow's convention). */
    private static Kernel antialias(int start, int length, int out, double scale) {
      double support = Math.max(scale, 1.0);
      int taps = (int) Math.ceil(support) * 2 + 1;
      int[] first = new int[out];
      int[] counts = new int[out];
      double[] w = new double[out * taps];
      for (int d = 0; d < out; d++) {
        double center = (d + 0.5) * scale;
        int lo = Math.max(0, (int) (center - support + 0.5));
        int hi = Math.min(length, (int) (center + support + 0.5));
        double sum = 0;
        int n = 0;
        for (int s = lo; s < hi; s++) {
          double t = Math.abs((s + 0.5 - center) / support);
          double wt = t < 1 ? 1 - t : 0;
          w[d * taps + n++] = wt;
          sum += wt;
        }
        for (int k = 0; k < n; k++) {
          w[d * taps + k] /= sum;
        }
        first[d] = start + lo;
        counts[d] = n;
      }
      return new Kernel(taps, first, counts, w);
    }
  }
}
