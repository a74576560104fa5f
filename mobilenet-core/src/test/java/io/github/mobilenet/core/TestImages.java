package io.github.mobilenet.core;

import io.github.mobilenet.core.image.JpegEncoder;
import io.github.mobilenet.core.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Builds and encodes small synthetic images for the tests, and reads the committed fixtures. */
public final class TestImages {
  private TestImages() {}

  /** A TYPE_INT_RGB image filled by {@code rgb(x, y)} (0xRRGGBB). */
  public static BufferedImage rgb(int w, int h, PixelFunction rgb) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, rgb.at(x, y));
      }
    }
    return img;
  }

  public interface PixelFunction {
    int at(int x, int y);
  }

  /** Encodes with the JDK writer for {@code format} (png, bmp, gif, tiff). */
  public static byte[] encode(BufferedImage img, String format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(img, format, out)) {
        throw new IllegalStateException("no " + format + " writer for image type " + img.getType());
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Baseline JPEG at the given quality (0..1). */
  public static byte[] jpeg(BufferedImage img, float quality) {
    return JpegEncoder.encode(img, quality);
  }

  /** A committed fixture from src/test/resources/fixtures. */
  public static Path fixture(String name) {
    Path p = TestFiles.root().resolve("mobilenet-core/src/test/resources/fixtures").resolve(name);
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("fixture missing: " + p);
    }
    return p;
  }

  public static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Mean absolute difference per channel value between two images of the same size. */
  public static double meanAbsDiff(RgbImage a, RgbImage b) {
    if (a.width() != b.width() || a.height() != b.height()) {
      throw new AssertionError(
          "sizes differ: " + a.width() + "x" + a.height() + " vs " + b.width() + "x" + b.height());
    }
    long sum = 0;
    byte[] x = a.rgb();
    byte[] y = b.rgb();
    for (int i = 0; i < x.length; i++) {
      sum += Math.abs((x[i] & 0xFF) - (y[i] & 0xFF));
    }
    return (double) sum / x.length;
  }

  /** "(r,g,b)" of a pixel, for messages. */
  public static String px(RgbImage img, int x, int y) {
    return "(" + img.get(x, y, 0) + "," + img.get(x, y, 1) + "," + img.get(x, y, 2) + ")";
  }
}
