package io.github.mobilenet.core.image;

import java.awt.image.BufferedImage;

/**
 * An upright 8-bit sRGB image, pixels interleaved R,G,B row by row. The common currency between
 * decoding and preprocessing.
 */
public record RgbImage(int width, int height, byte[] rgb) {
  /** Checks that {@code rgb} holds exactly width × height × 3 bytes (it is not copied). */
  public RgbImage {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
    }
    if (rgb.length != Math.multiplyExact(Math.multiplyExact(width, height), 3)) {
      throw new IllegalArgumentException(
          "expected " + width + "*" + height + "*3 bytes, got " + rgb.length);
    }
  }

  /** Channel {@code c} (0 = R) of pixel (x, y), 0..255. */
  public int get(int x, int y, int c) {
    return rgb[(y * width + x) * 3 + c] & 0xFF;
  }

  /** A {@code TYPE_INT_RGB} copy, for drawing or encoding with Java2D and ImageIO. */
  public BufferedImage toBufferedImage() {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[width];
    for (int y = 0, i = 0; y < height; y++) {
      for (int x = 0; x < width; x++, i += 3) {
        row[x] = (rgb[i] & 0xFF) << 16 | (rgb[i + 1] & 0xFF) << 8 | (rgb[i + 2] & 0xFF);
      }
      out.setRGB(0, y, width, 1, row, 0, width);
    }
    return out;
  }

  /**
   * Applies an EXIF orientation (1..8) so the result is upright. 1 and unknown values return this
   * image. 2 mirror, 3 rotate 180, 4 flip vertical, 5 transpose, 6 rotate 90 clockwise, 7
   * transverse, 8 rotate 90 anticlockwise.
   */
  public RgbImage oriented(int orientation) {
    if (orientation < 2 || orientation > 8) {
      return this;
    }
    boolean swap = orientation >= 5;
    int ow = swap ? height : width;
    int oh = swap ? width : height;
    byte[] out = new byte[rgb.length];
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        // (sx, sy): the stored pixel shown at (x, y) of the upright image.
        int sx;
        int sy;
        switch (orientation) {
          case 2 -> {
            sx = width - 1 - x;
            sy = y;
          }
          case 3 -> {
            sx = width - 1 - x;
            sy = height - 1 - y;
          }
          case 4 -> {
            sx = x;
            sy = height - 1 - y;
          }
          case 5 -> {
            sx = y;
            sy = x;
          }
          case 6 -> {
            sx = y;
            sy = height - 1 - x;
          }
          case 7 -> {
            sx = width - 1 - y;
            sy = height - 1 - x;
          }
          default -> {
            sx = width - 1 - y;
            sy = x;
          } // 8
        }
        int s = (sy * width + sx) * 3;
        int d = (y * ow + x) * 3;
        out[d] = rgb[s];
        out[d + 1] = rgb[s + 1];
        out[d + 2] = rgb[s + 2];
      }
    }
    return new RgbImage(ow, oh, out);
  }
}
