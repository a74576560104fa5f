package io.github.mobilenet.core;

import io.github.mobilenet.core.image.JpegEncoder;
import io.github.mobilenet.core.image.RgbImage;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
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

  /**
   * A Display P3 profile as phones embed it: P3 colorants adapted to D50 and sRGB's tone curve as a
   * parametric curve (type 3), with rendering intent {@code intent}; built on the JDK's sRGB
   * profile.
   */
  public static byte[] displayP3(int intent) {
    ICC_Profile p = ICC_Profile.getInstance(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData());
    p.setData(ICC_Profile.icSigRedColorantTag, xyz(0.515121, 0.241196, -0.001053));
    p.setData(ICC_Profile.icSigGreenColorantTag, xyz(0.291977, 0.692245, 0.041885));
    p.setData(ICC_Profile.icSigBlueColorantTag, xyz(0.157104, 0.066574, 0.784073));
    ByteBuffer para = ByteBuffer.allocate(32).put(ascii("para")).putInt(0).putShort((short) 3);
    para.putShort((short) 0);
    for (double v : new double[] {2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045}) {
      para.putInt((int) Math.round(v * 65536));
    }
    p.setData(ICC_Profile.icSigRedTRCTag, para.array());
    p.setData(ICC_Profile.icSigGreenTRCTag, para.array());
    p.setData(ICC_Profile.icSigBlueTRCTag, para.array());
    byte[] name = ascii("Display P3 (test)\0");
    ByteBuffer desc = ByteBuffer.allocate(12 + name.length + 8 + 3 + 67);
    desc.put(ascii("desc")).putInt(0).putInt(name.length).put(name);
    p.setData(ICC_Profile.icSigProfileDescriptionTag, desc.array());
    byte[] bytes = p.getData();
    ByteBuffer.wrap(bytes).putInt(64, intent);
    return bytes;
  }

  private static byte[] xyz(double x, double y, double z) {
    ByteBuffer b = ByteBuffer.allocate(20).put(ascii("XYZ ")).putInt(0);
    for (double v : new double[] {x, y, z}) {
      b.putInt((int) Math.round(v * 65536));
    }
    return b.array();
  }

  /** {@code jpeg} with {@code icc} embedded as one APP2 chunk. */
  public static byte[] withProfile(byte[] jpeg, byte[] icc) {
    return withSegments(jpeg, iccSegment(icc, 1, 1));
  }

  /** An APP2 ICC_PROFILE segment holding chunk {@code seq} of {@code total}. */
  public static byte[] iccSegment(byte[] chunk, int seq, int total) {
    ByteBuffer s = ByteBuffer.allocate(4 + 14 + chunk.length);
    s.put((byte) 0xFF).put((byte) 0xE2).putShort((short) (2 + 14 + chunk.length));
    s.put(ascii("ICC_PROFILE\0")).put((byte) seq).put((byte) total).put(chunk);
    return s.array();
  }

  /** {@code jpeg} with {@code segments} inserted after its start-of-image marker. */
  public static byte[] withSegments(byte[] jpeg, byte[]... segments) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    for (byte[] s : segments) {
      out.writeBytes(s);
    }
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
