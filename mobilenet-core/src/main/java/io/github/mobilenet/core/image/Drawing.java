package io.github.mobilenet.core.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.function.Consumer;

/**
 * Java2D drawing into a new RGB image with bilinear interpolation and quality rendering: one set-up
 * for the thumbnails the demo serves and the distorted copies evaluations make, so both resample
 * alike. Thread-safe: every call draws into its own image.
 */
public final class Drawing {
  private Drawing() {}

  /** A new {@code TYPE_INT_RGB} image of that size, painted by {@code painter}. */
  public static BufferedImage draw(int width, int height, Consumer<Graphics2D> painter) {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      painter.accept(g);
    } finally {
      g.dispose();
    }
    return out;
  }

  /** {@code source} resized to width × height in one bilinear step. */
  public static BufferedImage scaled(BufferedImage source, int width, int height) {
    return draw(width, height, g -> g.drawImage(source, 0, 0, width, height, null));
  }
}
