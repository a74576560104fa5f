package io.github.mobilenet.eval.data;

import io.github.mobilenet.core.image.ImageDecoder;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.image.JpegEncoder;
import io.github.mobilenet.core.image.RgbImage;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The nine edits users make to a photo that must still count as the same photo (issue 11): crop 80
 * %, watermark, JPEG q30, brightness, resize, re-encode, EXIF-rotated, horizontal flip and a 90°
 * rotation. Each source becomes a folder with the original file (copied byte for byte) and one file
 * per edit, listed in a LABELS file (class = the source's file name), the near-duplicate set of
 * {@code eval dups --labels}. Deterministic.
 */
public final class PhotoEdits {
  /** The edits, in order (file NAME/KIND.jpg). */
  public static final List<String> KINDS =
      List.of(
          "crop80",
          "watermark",
          "jpeg30",
          "brighter",
          "resize50",
          "reencode",
          "exif6",
          "hflip",
          "rot90");

  private PhotoEdits() {}

  /**
   * Writes every source and its edits into {@code outDir}/NAME/ and a {@code LABELS} file.
   *
   * @return the LABELS file
   */
  public static Path write(List<Path> sources, Path outDir) throws IOException {
    Files.createDirectories(outDir);
    ImageDecoder decoder = new ImageDecoder();
    List<String> lines = new ArrayList<>();
    for (Path source : sources) {
      String name = source.getFileName().toString();
      RgbImage image = decoder.decode(ImageSource.of(source));
      Path dir = Files.createDirectories(outDir.resolve(name));
      Files.copy(source, dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      lines.add(name + "/" + name + "\t" + name);
      for (String kind : KINDS) {
        Files.write(dir.resolve(kind + ".jpg"), edit(image, kind));
        lines.add(name + "/" + kind + ".jpg\t" + name);
      }
    }
    Path labels = outDir.resolve("LABELS");
    Files.write(labels, lines, StandardCharsets.UTF_8);
    return labels;
  }

  /** The encoded file of one edit of {@code image} (upright pixels). */
  public static byte[] edit(RgbImage image, String kind) {
    BufferedImage src = image.toBufferedImage();
    int w = image.width();
    int h = image.height();
    return switch (kind) {
      case "crop80" -> {
        int cw = Math.round(w * 0.8f);
        int ch = Math.round(h * 0.8f);
        BufferedImage out = new BufferedImage(cw, ch, BufferedImage.TYPE_INT_RGB);
        out.getGraphics()
            .drawImage(src.getSubimage((w - cw) / 2, (h - ch) / 2, cw, ch), 0, 0, null);
        yield JpegEncoder.encode(out, 0.9f);
      }
      case "watermark" -> {
        BufferedImage out = copy(src);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(
            RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.6f));
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(8, h / 8)));
        g.drawString("© SAMPLE PHOTO", w / 20, h * 3 / 4);
        g.dispose();
        yield JpegEncoder.encode(out, 0.9f);
      }
      case "jpeg30" -> JpegEncoder.encode(src, 0.3f);
      case "brighter" -> {
        byte[] rgb = image.rgb().clone();
        for (int i = 0; i < rgb.length; i++) {
          rgb[i] = (byte) Math.min(255, Math.round((rgb[i] & 0xFF) * 1.3f));
        }
        yield JpegEncoder.encode(new RgbImage(w, h, rgb).toBufferedImage(), 0.9f);
      }
      case "resize50" -> {
        int sw = Math.max(1, w / 2);
        int sh = Math.max(1, h / 2);
        BufferedImage out = new BufferedImage(sw, sh, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(
            RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, sw, sh, null);
        g.dispose();
        yield JpegEncoder.encode(out, 0.9f);
      }
      case "reencode" -> JpegEncoder.encode(src, 0.75f);
      case "exif6" -> exifRotated(image);
      case "hflip" -> JpegEncoder.encode(image.oriented(2).toBufferedImage(), 0.9f);
      case "rot90" -> JpegEncoder.encode(image.oriented(6).toBufferedImage(), 0.9f);
      default -> throw new IllegalArgumentException("unknown edit " + kind);
    };
  }

  private static BufferedImage copy(BufferedImage src) {
    BufferedImage out =
        new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
    out.getGraphics().drawImage(src, 0, 0, null);
    return out;
  }

  /**
   * A JPEG whose stored pixels are turned 90° anticlockwise and tagged EXIF orientation 6, so it
   * displays upright: a camera's portrait photo.
   */
  static byte[] exifRotated(RgbImage upright) {
    byte[] jpeg = JpegEncoder.encode(upright.oriented(8).toBufferedImage(), 0.9f);
    // APP1 "Exif\0\0" + a little-endian TIFF header with one IFD entry: Orientation (0x0112) = 6
    byte[] tiff = {
      'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0
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
