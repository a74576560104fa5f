package io.github.mobilenet.core.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.TestImages;
import io.github.mobilenet.core.image.ImageDecoder;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.image.RgbImage;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.core.model.ModelProfile.ChannelOrder;
import io.github.mobilenet.core.model.ModelProfile.Layout;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Crop, resize, normalisation and layout, checked against values computed here from their
 * definitions.
 */
public class PreprocessorTest {
  static final ModelProfile.Input MOBILENET = ModelProfile.mobileNetV2().input();

  /** Leaves pixel values as they are, so outputs read back as 0..255. */
  static final ModelProfile.Input RAW =
      input(Layout.NCHW, ChannelOrder.RGB, new double[] {0, 0, 0}, new double[] {1, 1, 1});

  static ModelProfile.Input input(Layout layout, ChannelOrder order, double[] mean, double[] std) {
    return new ModelProfile.Input("input", layout, order, 224, 224, mean, std);
  }

  static RgbImage random(int w, int h, long seed) {
    byte[] rgb = new byte[w * h * 3];
    new Random(seed).nextBytes(rgb);
    return new RgbImage(w, h, rgb);
  }

  public static RgbImage of(int w, int h, TestImages.PixelFunction f) {
    byte[] rgb = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = f.at(x, y);
        rgb[(y * w + x) * 3] = (byte) (p >> 16);
        rgb[(y * w + x) * 3 + 1] = (byte) (p >> 8);
        rgb[(y * w + x) * 3 + 2] = (byte) p;
      }
    }
    return new RgbImage(w, h, rgb);
  }

  /**
   * The model README's canonical preprocessing, written out independently: central crop {@code c =
   * floor(0.875 s + 0.5)}, bilinear with half-pixel centres ({@code src = (d + 0.5) c / out - 0.5}
   * clamped), rows then columns in double, then {@code v / 127.5 - 1} as float32, NCHW.
   */
  static float[] reference(RgbImage img, boolean crop, int oh, int ow) {
    int top = 0;
    int left = 0;
    int ch = img.height();
    int cw = img.width();
    if (crop) {
      int s = Math.min(cw, ch);
      int c = (int) Math.floor(0.875 * s + 0.5);
      top = (ch - c) / 2;
      left = (cw - c) / 2;
      ch = c;
      cw = c;
    }
    float[] out = new float[3 * oh * ow];
    for (int y = 0; y < oh; y++) {
      double sy = Math.min(Math.max((y + 0.5) * ch / oh - 0.5, 0), ch - 1);
      int y0 = (int) Math.floor(sy);
      int y1 = Math.min(y0 + 1, ch - 1);
      double fy = sy - y0;
      for (int x = 0; x < ow; x++) {
        double sx = Math.min(Math.max((x + 0.5) * cw / ow - 0.5, 0), cw - 1);
        int x0 = (int) Math.floor(sx);
        int x1 = Math.min(x0 + 1, cw - 1);
        double fx = sx - x0;
        for (int c = 0; c < 3; c++) {
          double row0 =
              (1 - fx) * img.get(left + x0, top + y0, c) + fx * img.get(left + x1, top + y0, c);
          double row1 =
              (1 - fx) * img.get(left + x0, top + y1, c) + fx * img.get(left + x1, top + y1, c);
          double v = (1 - fy) * row0 + fy * row1;
          out[c * oh * ow + y * ow + x] = (float) (v / 127.5 - 1);
        }
      }
    }
    return out;
  }

  @ParameterizedTest
  @CsvSource({
    "37, 23, 224, 224",
    "23, 37, 224, 224",
    "300, 200, 224, 224",
    "640, 427, 224, 224",
    "301, 199, 16, 12",
    "5, 3, 7, 9"
  })
  void bilinearIsTheReferenceExactly(int w, int h, int oh, int ow) {
    RgbImage img = random(w, h, w * 1000L + h);
    for (Preprocessing mode : Preprocessing.values()) {
      Preprocessor p = new Preprocessor(MOBILENET, mode, ResizeFilter.BILINEAR, oh, ow);
      assertArrayEquals(
          reference(img, mode == Preprocessing.CENTER_CROP, oh, ow),
          p.apply(img),
          mode + " " + w + "x" + h);
    }
  }

  /** With the output the size of the crop, pixel (0, 0) is the crop's top-left source pixel. */
  @ParameterizedTest
  @CsvSource({
    "37, 23, 8, 1, 20", "23, 37, 1, 8, 20", "12, 12, 0, 0, 11", "100, 50, 28, 3, 44",
    "4, 4, 0, 0, 4", "9, 9, 0, 0, 8", "10, 7, 2, 0, 6", "1, 1, 0, 0, 1"
  })
  void centerCropBox(int w, int h, int left, int top, int size) {
    RgbImage img = of(w, h, (x, y) -> x << 16 | y << 8 | 7); // R = x, G = y
    for (ResizeFilter filter : ResizeFilter.values()) {
      float[] out = new Preprocessor(RAW, Preprocessing.CENTER_CROP, filter, size, size).apply(img);
      int plane = size * size;
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          assertEquals(left + x, out[y * size + x], filter + " R at " + x + "," + y);
          assertEquals(top + y, out[plane + y * size + x], filter + " G at " + x + "," + y);
          assertEquals(7, out[2 * plane + y * size + x], filter + " B at " + x + "," + y);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ResizeFilter.class)
  void sameSizeIsTheIdentity(ResizeFilter filter) {
    RgbImage img = random(224, 224, 1);
    float[] out = new Preprocessor(MOBILENET, Preprocessing.FULL, filter, 224, 224).apply(img);
    assertArrayEquals(reference(img, false, 224, 224), out);
    assertEquals(
        -1f,
        new Preprocessor(MOBILENET, Preprocessing.FULL, filter, 1, 1)
            .apply(of(1, 1, (x, y) -> 0))[0]);
    assertEquals(
        1f,
        new Preprocessor(MOBILENET, Preprocessing.FULL, filter, 1, 1)
            .apply(of(1, 1, (x, y) -> 0xFFFFFF))[0]);
  }

  /** Pixel (x, y) = (10x + y, 100 + 10x + y, 200 - 10x - y) on a 3x2 image, kept at its size. */
  static final RgbImage TINY =
      of(3, 2, (x, y) -> (10 * x + y) << 16 | (100 + 10 * x + y) << 8 | (200 - 10 * x - y));

  static final double[] MEAN = {10, 20, 30};
  static final double[] STD = {1, 2, 4};

  static float expected(int x, int y, int rgbChannel) {
    int v = new int[] {10 * x + y, 100 + 10 * x + y, 200 - 10 * x - y}[rgbChannel];
    return (float) ((v - MEAN[rgbChannel]) / STD[rgbChannel]);
  }

  @ParameterizedTest
  @CsvSource({"NCHW, RGB", "NHWC, RGB", "NCHW, BGR", "NHWC, BGR"})
  void layoutsChannelOrderAndPerChannelNormalisation(Layout layout, ChannelOrder order) {
    Preprocessor p =
        new Preprocessor(
            input(layout, order, MEAN, STD), Preprocessing.FULL, ResizeFilter.BILINEAR, 2, 3);
    float[] out = p.apply(TINY);
    assertEquals(18, out.length);
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 3; x++) {
        for (int c = 0; c < 3; c++) {
          int index = layout == Layout.NCHW ? c * 6 + y * 3 + x : (y * 3 + x) * 3 + c;
          int rgbChannel = order == ChannelOrder.RGB ? c : 2 - c;
          assertEquals(
              expected(x, y, rgbChannel),
              out[index],
              layout + " " + order + " c=" + c + " at " + x + "," + y);
        }
      }
    }
  }

  @Test
  void writesIntoABufferAtAnOffsetAndNowhereElse() {
    Preprocessor p =
        new Preprocessor(
            input(Layout.NHWC, ChannelOrder.RGB, MEAN, STD),
            Preprocessing.FULL,
            ResizeFilter.ANTIALIAS,
            2,
            3);
    FloatBuffer buf = FloatBuffer.allocate(40);
    for (int i = 0; i < 40; i++) {
      buf.put(i, -99f);
    }
    p.apply(TINY, buf, 18);
    for (int i = 0; i < 40; i++) {
      if (i < 18 || i >= 36) {
        assertEquals(-99f, buf.get(i), "index " + i);
      }
    }
    assertEquals(expected(0, 0, 0), buf.get(18));
    assertEquals(expected(2, 1, 2), buf.get(35));
  }

  /**
   * Vertical stripes 0,255,255,255 (period 4) shrunk 4×: every output column should be the mean
   * 191.25. Bilinear samples two source columns per output and aliases to 255; the antialiasing
   * filter averages.
   */
  @Test
  void antialiasDoesNotAliasWhereBilinearDoes() {
    RgbImage stripes = of(64, 8, (x, y) -> x % 4 == 0 ? 0 : 0xFFFFFF);
    float[] aa =
        new Preprocessor(RAW, Preprocessing.FULL, ResizeFilter.ANTIALIAS, 2, 16).apply(stripes);
    float[] bl =
        new Preprocessor(RAW, Preprocessing.FULL, ResizeFilter.BILINEAR, 2, 16).apply(stripes);
    for (int x = 1; x < 15; x++) { // the outermost columns see a clipped window
      assertEquals(191.25, aa[x], 1e-4, "antialias column " + x);
      assertEquals(255.0, bl[x], 0.0, "bilinear column " + x);
    }
  }

  /**
   * Triangle weights of support max(scale, 1) over the whole source, normalised (Pillow's
   * antialiased bilinear).
   */
  static double[] triangle(int d, int length, int out) {
    double scale = (double) length / out;
    double support = Math.max(scale, 1);
    double center = (d + 0.5) * scale;
    double[] w = new double[length];
    double sum = 0;
    for (int s = 0; s < length; s++) {
      w[s] = Math.max(0, 1 - Math.abs(s + 0.5 - center) / support);
      sum += w[s];
    }
    for (int s = 0; s < length; s++) {
      w[s] /= sum;
    }
    return w;
  }

  /**
   * The antialiasing filter against a direct 2-D weighted sum, for shrinking, stretching and
   * cropping.
   */
  @ParameterizedTest
  @CsvSource({
    "97, 61, 16, 12, FULL",
    "61, 97, 16, 12, CENTER_CROP",
    "50, 40, 13, 29, FULL",
    "300, 200, 56, 40, CENTER_CROP"
  })
  void antialiasIsATriangleFilter(int w, int h, int oh, int ow, Preprocessing mode) {
    RgbImage img = random(w, h, 7);
    Preprocessor p = new Preprocessor(MOBILENET, mode, ResizeFilter.ANTIALIAS, oh, ow);
    int[] box = p.cropBox(w, h);
    float[] out = p.apply(img);
    for (int y = 0; y < oh; y++) {
      double[] wy = triangle(y, box[3], oh);
      for (int x = 0; x < ow; x++) {
        double[] wx = triangle(x, box[2], ow);
        for (int c = 0; c < 3; c++) {
          double v = 0;
          for (int sy = 0; sy < box[3]; sy++) {
            if (wy[sy] == 0) {
              continue;
            }
            for (int sx = 0; sx < box[2]; sx++) {
              v += wy[sy] * wx[sx] * img.get(box[0] + sx, box[1] + sy, c);
            }
          }
          assertEquals(
              v / 127.5 - 1, out[c * oh * ow + y * ow + x], 1e-6, "c=" + c + " at " + x + "," + y);
        }
      }
    }
  }

  @Test
  void theVectorisedByteConversionIsExactForEveryValue() {
    byte[] all = new byte[259];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) (i - 1);
    }
    float[] out = new float[256];
    Preprocessor.toFloats(all, 1, out, 256); // from offset 1: values 0..255 in order
    for (int v = 0; v < 256; v++) {
      assertEquals(v, out[v], 0.0, "byte " + v);
    }
  }

  @Test
  void antialiasEqualsBilinearWhenUpscaling() {
    RgbImage img = random(20, 15, 3);
    float[] aa =
        new Preprocessor(MOBILENET, Preprocessing.FULL, ResizeFilter.ANTIALIAS, 224, 224)
            .apply(img);
    float[] bl =
        new Preprocessor(MOBILENET, Preprocessing.FULL, ResizeFilter.BILINEAR, 224, 224).apply(img);
    assertArrayEquals(bl, aa, 1e-6f);
  }

  @ParameterizedTest
  @EnumSource(ResizeFilter.class)
  void flatImagesStayFlatAtAnyScale(ResizeFilter filter) {
    RgbImage flat = of(517, 389, (x, y) -> 200 << 16 | 100 << 8 | 50);
    for (Preprocessing mode : Preprocessing.values()) {
      float[] out = new Preprocessor(RAW, mode, filter, 224, 224).apply(flat);
      int plane = 224 * 224;
      // Bilinear runs in double: exact. The antialias filter's vertical pass runs in float: a few
      // float32 ulps (200 has an ulp of 1.5e-5).
      double tolerance = filter == ResizeFilter.BILINEAR ? 1e-9 : 1e-4;
      for (int i = 0; i < plane; i++) {
        assertEquals(200, out[i], tolerance);
        assertEquals(100, out[plane + i], tolerance);
        assertEquals(50, out[2 * plane + i], tolerance);
      }
    }
  }

  /**
   * Decoded 3-byte BGR images at the input size are read straight from their raster: same floats.
   */
  @Test
  void directRasterPathEqualsTheDecodedPath() {
    java.util.Random random = new java.util.Random(5);
    java.awt.image.BufferedImage big =
        new java.awt.image.BufferedImage(300, 280, java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < 280; y++) {
      for (int x = 0; x < 300; x++) {
        big.setRGB(x, y, random.nextInt());
      }
    }
    ImageDecoder decoder = new ImageDecoder();
    Object[][] cases = {
      {
        big.getSubimage(30, 20, 256, 256), Preprocessing.CENTER_CROP
      }, // crop of 224 inside a sub-image
      {big.getSubimage(7, 9, 224, 224), Preprocessing.FULL}
    };
    for (Object[] c : cases) {
      java.awt.image.BufferedImage img = (java.awt.image.BufferedImage) c[0];
      for (ModelProfile.Input in :
          List.of(MOBILENET, input(Layout.NHWC, ChannelOrder.BGR, MEAN, STD))) {
        Preprocessor p =
            new Preprocessor(in, (Preprocessing) c[1], ResizeFilter.ANTIALIAS, 224, 224);
        FloatBuffer direct = FloatBuffer.allocate(p.tensorSize());
        assertTrue(p.applyDirect(img, direct, 0));
        assertArrayEquals(
            p.apply(decoder.decode(ImageSource.of(img, "x"))),
            direct.array(),
            c[1] + " " + in.layout());
      }
    }
    Preprocessor p =
        new Preprocessor(MOBILENET, Preprocessing.FULL, ResizeFilter.ANTIALIAS, 224, 224);
    assertFalse(p.applyDirect(big, FloatBuffer.allocate(p.tensorSize()), 0)); // needs resizing
    assertFalse(
        p.applyDirect(
            TestImages.rgb(224, 224, (x, y) -> 0),
            FloatBuffer.allocate(p.tensorSize()),
            0)); // INT_RGB
  }

  @Test
  void nonSquareOutput() {
    RgbImage img = random(640, 480, 9);
    Preprocessor p =
        new Preprocessor(MOBILENET, Preprocessing.FULL, ResizeFilter.BILINEAR, 225, 300);
    assertEquals(3 * 225 * 300, p.tensorSize());
    assertArrayEquals(reference(img, false, 225, 300), p.apply(img));
  }
}
