package io.github.mobilenet.core.image;

import io.github.mobilenet.core.image.ImageDecodeException.Reason;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.util.Arrays;

/**
 * Turns any decoded {@link BufferedImage} into 8-bit sRGB {@link RgbImage} bytes: fast paths for
 * the rasters JPEG, PNG and Java2D produce, gray copied as it is, alpha composited over a
 * background, anything else through Java2D's colour conversion.
 *
 * <p>Thread-safe: immutable.
 */
final class RgbConversion {
  private final long maxPixels;
  private final int background;

  /** Refuses images above {@code maxPixels}; composites alpha over {@code background} (RGB). */
  RgbConversion(long maxPixels, int background) {
    this.maxPixels = maxPixels;
    this.background = background;
  }

  /**
   * Converts any BufferedImage to 8-bit sRGB, compositing alpha over the background. With {@code
   * owned}, the image is ours alone and an R,G,B-packed raster is taken without copying.
   */
  RgbImage toRgb(BufferedImage image, String name, boolean owned) {
    int w = image.getWidth();
    int h = image.getHeight();
    if ((long) w * h > maxPixels) {
      throw new ImageDecodeException(
          name,
          Reason.TOO_LARGE,
          w + "x" + h + " = " + ((long) w * h) + " pixels exceeds the limit of " + maxPixels);
    }
    byte[] packed = packedRgb(image);
    if (packed != null) {
      return new RgbImage(w, h, owned ? packed : packed.clone());
    }
    byte[] out = new byte[Math.multiplyExact(w * h, 3)];
    Raster raster = image.getRaster();
    int bands = raster.getNumBands();
    boolean gray =
        image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
            && image.getColorModel().getNumColorComponents() == 1;
    if (copyInterleavedBgr(image, out) || copyPackedInts(image, out)) {
      return new RgbImage(w, h, out);
    }
    if (gray && (bands == 1 || bands == 2)) {
      grayToRgb(raster, bands == 2, out);
      return new RgbImage(w, h, out);
    }
    boolean alpha = image.getColorModel().hasAlpha();
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRGB(
          0, y, w, 1, row, 0, w); // converts palettes, 16-bit and other colour models to sRGB
      storeArgb(row, w, alpha, out, y * w * 3);
    }
    return new RgbImage(w, h, out);
  }

  /**
   * Writes w ARGB (or RGB) ints as R,G,B bytes at {@code d}, compositing alpha over the background.
   */
  private void storeArgb(int[] row, int w, boolean alpha, byte[] out, int d) {
    int br = (background >> 16) & 0xFF;
    int bg = (background >> 8) & 0xFF;
    int bb = background & 0xFF;
    for (int x = 0; x < w; x++, d += 3) {
      int p = row[x];
      int r = (p >> 16) & 0xFF;
      int g = (p >> 8) & 0xFF;
      int b = p & 0xFF;
      if (alpha) {
        int a = p >>> 24;
        r = blend(r, br, a);
        g = blend(g, bg, a);
        b = blend(b, bb, a);
      }
      out[d] = (byte) r;
      out[d + 1] = (byte) g;
      out[d + 2] = (byte) b;
    }
  }

  /**
   * The raster's array when it already is R,G,B interleaved without padding (our decode
   * destination).
   */
  private static byte[] packedRgb(BufferedImage image) {
    Raster raster = image.getRaster();
    if (!(image.getColorModel() instanceof ComponentColorModel cm)
        || !cm.getColorSpace().isCS_sRGB()
        || cm.hasAlpha()
        || !(raster.getDataBuffer() instanceof DataBufferByte buffer)
        || buffer.getNumBanks() != 1
        || !(raster.getSampleModel() instanceof PixelInterleavedSampleModel sm)) {
      return null;
    }
    int w = image.getWidth();
    byte[] data = buffer.getData();
    boolean whole =
        buffer.getOffset() == 0
            && raster.getSampleModelTranslateX() == 0
            && raster.getSampleModelTranslateY() == 0
            && sm.getPixelStride() == 3
            && sm.getScanlineStride() == w * 3
            && data.length == w * image.getHeight() * 3;
    return whole && Arrays.equals(sm.getBandOffsets(), new int[] {0, 1, 2}) ? data : null;
  }

  /** Fast path for TYPE_INT_RGB and TYPE_INT_ARGB (what Java2D drawing usually makes). */
  private boolean copyPackedInts(BufferedImage image, byte[] out) {
    int type = image.getType();
    if (type != BufferedImage.TYPE_INT_RGB && type != BufferedImage.TYPE_INT_ARGB) {
      return false;
    }
    int w = image.getWidth();
    int[] row = new int[w];
    Raster raster = image.getRaster();
    for (int y = 0; y < image.getHeight(); y++) {
      raster.getDataElements(
          raster.getMinX(), raster.getMinY() + y, w, 1, row); // packed pixels, no colour conversion
      storeArgb(row, w, type == BufferedImage.TYPE_INT_ARGB, out, y * w * 3);
    }
    return true;
  }

  private static int blend(int c, int bg, int a) {
    return (c * a + bg * (255 - a) + 127) / 255;
  }

  /** Fast path for the 3-byte interleaved rasters that JPEG and RGB PNG decode to. */
  private static boolean copyInterleavedBgr(BufferedImage image, byte[] out) {
    if (image.getType() != BufferedImage.TYPE_3BYTE_BGR) {
      return false;
    }
    Raster raster = image.getRaster();
    if (!(raster.getDataBuffer() instanceof DataBufferByte buffer)
        || !(raster.getSampleModel() instanceof ComponentSampleModel sm)
        || sm.getPixelStride() != 3) {
      return false;
    }
    byte[] data = buffer.getData();
    int[] offsets = sm.getBandOffsets(); // for BGR: R at 2, G at 1, B at 0
    int stride = sm.getScanlineStride();
    int base =
        buffer.getOffset()
            - raster.getSampleModelTranslateY() * stride
            - raster.getSampleModelTranslateX() * 3;
    int w = image.getWidth();
    int h = image.getHeight();
    int r = offsets[0];
    int g = offsets[1];
    int b = offsets[2];
    for (int y = 0; y < h; y++) {
      int s = base + y * stride;
      int d = y * w * 3;
      for (int x = 0; x < w; x++, s += 3, d += 3) {
        out[d] = data[s + r];
        out[d + 1] = data[s + g];
        out[d + 2] = data[s + b];
      }
    }
    return true;
  }

  /**
   * Gray samples are copied as they are (R=G=B=v scaled to 8 bits). Going through Java2D would
   * treat CS_GRAY as linear light and brighten the image, unlike every other decoder.
   */
  private void grayToRgb(Raster raster, boolean withAlpha, byte[] out) {
    int w = raster.getWidth();
    int h = raster.getHeight();
    int bits = raster.getSampleModel().getSampleSize(0);
    long max = (1L << bits) - 1;
    int alphaBits = withAlpha ? raster.getSampleModel().getSampleSize(1) : 8;
    long alphaMax = (1L << alphaBits) - 1;
    int[] v = new int[w];
    int[] a = withAlpha ? new int[w] : null;
    int rx = raster.getMinX();
    int ry = raster.getMinY();
    for (int y = 0; y < h; y++) {
      raster.getSamples(rx, ry + y, w, 1, 0, v);
      if (withAlpha) {
        raster.getSamples(rx, ry + y, w, 1, 1, a);
      }
      for (int x = 0, d = y * w * 3; x < w; x++, d += 3) {
        int g8 = (int) (((v[x] & 0xFFFFFFFFL) * 255 + max / 2) / max);
        int r = g8;
        int g = g8;
        int b = g8;
        if (withAlpha) {
          int a8 = (int) (((a[x] & 0xFFFFFFFFL) * 255 + alphaMax / 2) / alphaMax);
          r = blend(g8, (background >> 16) & 0xFF, a8);
          g = blend(g8, (background >> 8) & 0xFF, a8);
          b = blend(g8, background & 0xFF, a8);
        }
        out[d] = (byte) r;
        out[d + 1] = (byte) g;
        out[d + 2] = (byte) b;
      }
    }
  }
}
