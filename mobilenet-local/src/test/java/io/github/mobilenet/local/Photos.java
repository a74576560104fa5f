package io.github.mobilenet.local;

import io.github.mobilenet.core.image.ImageDecoder;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.image.RgbImage;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** The repository's sample photos, and edited copies of them made the way users make them. */
public final class Photos {
  private static final ImageDecoder DECODER = new ImageDecoder();

  private Photos() {}

  /** A file under samples/ at the repository root, decoded by the project's decoder. */
  public static RgbImage sample(String relative) {
    return DECODER.decode(ImageSource.of(samplePath(relative)));
  }

  public static Path samplePath(String relative) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("samples"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no samples/ folder above " + Path.of("").toAbsolutePath());
    }
    Path p = dir.resolve("samples").resolve(relative);
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("sample missing: " + p);
    }
    return p;
  }

  /** Encoded bytes decoded by the project's decoder (EXIF applied). */
  public static RgbImage decode(byte[] encoded) {
    return DECODER.decode(ImageSource.of(encoded, "<edited copy>"));
  }

  public static BufferedImage toBuffered(RgbImage img) {
    BufferedImage out = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < img.height(); y++) {
      for (int x = 0; x < img.width(); x++) {
        out.setRGB(x, y, img.get(x, y, 0) << 16 | img.get(x, y, 1) << 8 | img.get(x, y, 2));
      }
    }
    return out;
  }

  /** Baseline JPEG at {@code quality} (0..1). */
  public static byte[] jpeg(BufferedImage img, float quality) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.setOutput(out);
      writer.write(null, new IIOImage(img, null, null), param);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
  }

  /** Re-encoded as JPEG and decoded again. */
  public static RgbImage jpegCopy(RgbImage img, float quality) {
    return decode(jpeg(toBuffered(img), quality));
  }

  /** The central {@code fraction} of each side. */
  public static RgbImage centreCrop(RgbImage img, double fraction) {
    int w = (int) Math.round(img.width() * fraction);
    int h = (int) Math.round(img.height() * fraction);
    BufferedImage src = toBuffered(img);
    BufferedImage crop =
        src.getSubimage((img.width() - w) / 2, (img.height() - h) / 2, w, h); // shares pixels
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    out.getGraphics().drawImage(crop, 0, 0, null);
    return decode(jpeg(out, 0.9f));
  }

  /** Resized to {@code factor} of each side with bilinear interpolation. */
  public static RgbImage resized(RgbImage img, double factor) {
    int w = (int) Math.round(img.width() * factor);
    int h = (int) Math.round(img.height() * factor);
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(toBuffered(img), 0, 0, w, h, null);
    g.dispose();
    return decode(jpeg(out, 0.9f));
  }

  /** A semi-transparent white caption across the lower part, as stock-photo sites stamp them. */
  public static RgbImage watermarked(RgbImage img) {
    BufferedImage out = toBuffered(img);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.6f));
    g.setColor(Color.WHITE);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, img.height() / 8));
    g.drawString("© SAMPLE PHOTO", img.width() / 20, img.height() * 3 / 4);
    g.dispose();
    return decode(jpeg(out, 0.9f));
  }

  /**
   * A photographer's credit in fixed-size white text at the lower left, as a stock site stamps
   * every photo it serves.
   */
  public static RgbImage credited(RgbImage img) {
    BufferedImage out = toBuffered(img);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    g.drawString("© Jane Example Photography", 10, img.height() - 34);
    g.drawString("http://images.example.org", 10, img.height() - 12);
    g.dispose();
    return decode(jpeg(out, 0.9f));
  }

  /** Every channel scaled by {@code factor} (clipped), then saved as JPEG. */
  public static RgbImage brighter(RgbImage img, double factor) {
    byte[] rgb = img.rgb().clone();
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (byte) Math.min(255, (int) Math.round((rgb[i] & 0xFF) * factor));
    }
    return jpegCopy(new RgbImage(img.width(), img.height(), rgb), 0.9f);
  }

  /**
   * A JPEG whose stored pixels are turned 90° anticlockwise and tagged EXIF orientation 6, so that
   * it displays upright: a camera's portrait photo.
   */
  public static byte[] exifRotatedJpeg(RgbImage upright) {
    byte[] jpeg = jpeg(toBuffered(upright.oriented(8)), 0.9f);
    // APP1 "Exif\0\0" + a little-endian TIFF header with one IFD entry: Orientation (0x0112) = 6.
    byte[] tiff = {
      'I',
      'I',
      42,
      0,
      8,
      0,
      0,
      0, // header, IFD at offset 8
      1,
      0, // one entry
      0x12,
      0x01,
      3,
      0,
      1,
      0,
      0,
      0,
      6,
      0,
      0,
      0, // tag, SHORT, count 1, value 6
      0,
      0,
      0,
      0 // no next IFD
    };
    int len = 2 + 6 + tiff.length;
    byte[] out = new byte[jpeg.length + 2 + len];
    out[0] = (byte) 0xFF;
    out[1] = (byte) 0xD8;
    out[2] = (byte) 0xFF;
    out[3] = (byte) 0xE1;
    out[4] = (byte) (len >> 8);
    out[5] = (byte) len;
    byte[] exif = {'E', 'x', 'i', 'f', 0, 0};
    System.arraycopy(exif, 0, out, 6, 6);
    System.arraycopy(tiff, 0, out, 12, tiff.length);
    System.arraycopy(jpeg, 2, out, 12 + tiff.length, jpeg.length - 2);
    return out;
  }
}
