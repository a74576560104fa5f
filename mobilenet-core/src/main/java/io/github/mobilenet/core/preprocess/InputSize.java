package io.github.mobilenet.core.preprocess;

import java.util.Locale;

/**
 * How big the network input is: an exact height × width for every image, or the shorter side scaled
 * to {@code S} with the aspect ratio kept, so that each image gets its own size. Immutable.
 *
 * <p>Why per image: a fully convolutional network (MobileNetV2) accepts any H × W, and keeping the
 * aspect ratio avoids squashing wide photos. {@link Preprocessing#CENTER_CROP} takes a square, so
 * with a shorter side {@code S} its input is {@code S × S}.
 *
 * @param height exact input height, or 0 when the shorter side is given
 * @param width exact input width, or 0 when the shorter side is given
 * @param shorterSide target of the image's shorter side, or 0 for an exact size
 */
public record InputSize(int height, int width, int shorterSide) {
  /** Checks that exactly one of the two forms is given, with positive values. */
  public InputSize {
    boolean exact = height > 0 && width > 0 && shorterSide == 0;
    boolean aspect = height == 0 && width == 0 && shorterSide > 0;
    if (!exact && !aspect) {
      throw new IllegalArgumentException(
          "input size must be a positive height and width, or a positive shorter side: "
              + height
              + "x"
              + width
              + ", shorter side "
              + shorterSide);
    }
  }

  /** Every image at {@code height} × {@code width} (aspect ratio not kept). */
  public static InputSize exact(int height, int width) {
    return new InputSize(height, width, 0);
  }

  /** Each image with its shorter side at {@code side}, the other side in proportion (rounded). */
  public static InputSize shorterSide(int side) {
    return new InputSize(0, 0, side);
  }

  /**
   * Parses {@link #spec()}: {@code "S"} (shorter side) or {@code "HxW"} (exact).
   *
   * @throws IllegalArgumentException naming the text when it is neither
   */
  public static InputSize parse(String spec) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    try {
      int x = s.indexOf('x');
      if (x < 0) {
        return shorterSide(Integer.parseInt(s));
      }
      return exact(Integer.parseInt(s.substring(0, x)), Integer.parseInt(s.substring(x + 1)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid input size '"
              + spec
              + "': expected S (the shorter side, aspect kept) or HxW, positive integers",
          e);
    }
  }

  /** True for one exact size for every image. */
  public boolean isExact() {
    return shorterSide == 0;
  }

  /**
   * The input {@code {height, width}} for an image of {@code imageWidth} × {@code imageHeight}
   * (upright, as decoded) preprocessed with {@code mode}.
   */
  public int[] forImage(int imageWidth, int imageHeight, Preprocessing mode) {
    if (isExact()) {
      return new int[] {height, width};
    }
    if (mode == Preprocessing.CENTER_CROP || imageWidth == imageHeight) {
      return new int[] {shorterSide, shorterSide};
    }
    if (imageWidth < imageHeight) {
      return new int[] {scaled(imageHeight, imageWidth), shorterSide};
    }
    return new int[] {shorterSide, scaled(imageWidth, imageHeight)};
  }

  private int scaled(int longer, int shorter) {
    return (int) Math.max(1, Math.round((double) shorterSide * longer / shorter));
  }

  /** {@code "HxW"} or {@code "S"}: what {@link #parse} reads, and what an index records. */
  public String spec() {
    return isExact() ? height + "x" + width : Integer.toString(shorterSide);
  }

  /** {@code "224x224"} or {@code "shorter side 320"}, for messages. */
  @Override
  public String toString() {
    return isExact() ? spec() : "shorter side " + shorterSide;
  }
}
