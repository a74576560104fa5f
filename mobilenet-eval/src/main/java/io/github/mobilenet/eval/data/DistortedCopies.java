package io.github.mobilenet.eval.data;

import io.github.mobilenet.core.image.ImageDecoder;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.image.RgbImage;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Builds a labelled retrieval set from any photos, no labelling needed: each photo becomes a class
 * of distorted copies (the unchanged image, a mirror, an off-centre crop, a small low-quality copy,
 * a brighter or darker tone, a slight rotation), written as JPEGs with a LABELS file. Retrieval on
 * it asks "are edited copies of one photo closer to each other than to other photos?", a check of
 * robustness that does not depend on any one data set's classes. Deterministic for a seed.
 */
public final class DistortedCopies {
  /** The distortions, in order; {@code copies} takes the first n. */
  public static final List<String> KINDS =
      List.of("original", "mirror", "crop", "small", "tone", "rotate");

  private DistortedCopies() {}

  /**
   * Writes {@code copies} distorted versions of each source into {@code outDir}/NAME/KIND.jpg and a
   * {@code LABELS} file (class = the source's file name) into {@code outDir}.
   *
   * @return the LABELS file
   */
  public static Path write(List<Path> sources, Path outDir, int copies, long seed)
      throws IOException {
    if (copies < 2 || copies > KINDS.size()) {
      throw new IllegalArgumentException("copies must be 2.." + KINDS.size() + ", got " + copies);
    }
    Files.createDirectories(outDir);
    ImageDecoder decoder = new ImageDecoder();
    Random random = new Random(seed);
    List<String> lines = new ArrayList<>();
    for (Path source : sources) {
      String name = source.getFileName().toString();
      BufferedImage image = toBufferedImage(decoder.decode(ImageSource.of(source)));
      Path dir = outDir.resolve(name);
      Files.createDirectories(dir);
      for (int i = 0; i < copies; i++) {
        String kind = KINDS.get(i);
        BufferedImage copy = distort(image, kind, random);
        float quality = kind.equals("small") ? 0.5f : 0.9f;
        writeJpeg(copy, dir.resolve(kind + ".jpg"), quality);
        lines.add(name + "/" + kind + ".jpg\t" + name);
      }
    }
    Path labels = outDir.resolve("LABELS");
    Files.write(labels, lines, StandardCharsets.UTF_8);
    return labels;
  }

  static BufferedImage distort(BufferedImage src, String kind, Random random) {
    int w = src.getWidth();
    int h = src.getHeight();
    return switch (kind) {
      case "original" -> src;
      case "mirror" -> draw(w, h, g -> g.drawImage(src, w, 0, -w, h, null));
      case "crop" -> {
        // 75 % of each side (56 % of the area) at a random offset.
        int cw = Math.max(1, w * 3 / 4);
        int ch = Math.max(1, h * 3 / 4);
        int x = random.nextInt(w - cw + 1);
        int y = random.nextInt(h - ch + 1);
        yield draw(cw, ch, g -> g.drawImage(src, 0, 0, cw, ch, x, y, x + cw, y + ch, null));
      }
      case "small" -> {
        int sw = Math.max(1, w * 2 / 5);
        int sh = Math.max(1, h * 2 / 5);
        yield draw(sw, sh, g -> g.drawImage(src, 0, 0, sw, sh, null));
      }
      case "tone" -> {
        double gamma = random.nextBoolean() ? 0.6 : 1.6;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] lut = new int[256];
        for (int v = 0; v < 256; v++) {
          lut[v] = (int) Math.round(255 * Math.pow(v / 255.0, gamma));
        }
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            int p = src.getRGB(x, y);
            out.setRGB(x, y, lut[(p >> 16) & 255] << 16 | lut[(p >> 8) & 255] << 8 | lut[p & 255]);
          }
        }
        yield out;
      }
      case "rotate" -> {
        double angle = Math.toRadians(random.nextBoolean() ? 8 : -8);
        yield draw(
            w,
            h,
            g -> {
              g.setColor(java.awt.Color.WHITE);
              g.fillRect(0, 0, w, h);
              g.drawImage(src, AffineTransform.getRotateInstance(angle, w / 2.0, h / 2.0), null);
            });
      }
      default -> throw new IllegalArgumentException("unknown distortion " + kind);
    };
  }

  private static BufferedImage draw(int w, int h, java.util.function.Consumer<Graphics2D> painter) {
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
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

  private static BufferedImage toBufferedImage(RgbImage rgb) {
    BufferedImage out = new BufferedImage(rgb.width(), rgb.height(), BufferedImage.TYPE_INT_RGB);
    byte[] p = rgb.rgb();
    int[] row = new int[rgb.width()];
    for (int y = 0; y < rgb.height(); y++) {
      for (int x = 0; x < rgb.width(); x++) {
        int i = 3 * (y * rgb.width() + x);
        row[x] = (p[i] & 255) << 16 | (p[i + 1] & 255) << 8 | (p[i + 2] & 255);
      }
      out.setRGB(0, y, rgb.width(), 1, row, 0, rgb.width());
    }
    return out;
  }

  private static void writeJpeg(BufferedImage image, Path file, float quality) throws IOException {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    if (!writers.hasNext()) {
      throw new IOException("no JPEG writer available");
    }
    ImageWriter writer = writers.next();
    try (OutputStream os = Files.newOutputStream(file);
        ImageOutputStream ios = ImageIO.createImageOutputStream(os)) {
      writer.setOutput(ios);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
  }
}
