package io.github.mobilenet.eval.data;

import io.github.mobilenet.core.image.Drawing;
import io.github.mobilenet.core.image.ImageDecoder;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.image.JpegEncoder;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

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
      BufferedImage image = decoder.decode(ImageSource.of(source)).toBufferedImage();
      Path dir = outDir.resolve(name);
      Files.createDirectories(dir);
      for (int i = 0; i < copies; i++) {
        String kind = KINDS.get(i);
        BufferedImage copy = distort(image, kind, random);
        float quality = kind.equals("small") ? 0.5f : 0.9f;
        Files.write(dir.resolve(kind + ".jpg"), JpegEncoder.encode(copy, quality));
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
      case "mirror" -> Drawing.draw(w, h, g -> g.drawImage(src, w, 0, -w, h, null));
      case "crop" -> {
        // 75 % of each side (56 % of the area) at a random offset.
        int cw = Math.max(1, w * 3 / 4);
        int ch = Math.max(1, h * 3 / 4);
        int x = random.nextInt(w - cw + 1);
        int y = random.nextInt(h - ch + 1);
        yield Drawing.draw(cw, ch, g -> g.drawImage(src, 0, 0, cw, ch, x, y, x + cw, y + ch, null));
      }
      case "small" -> {
        int sw = Math.max(1, w * 2 / 5);
        int sh = Math.max(1, h * 2 / 5);
        yield Drawing.draw(sw, sh, g -> g.drawImage(src, 0, 0, sw, sh, null));
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
        yield Drawing.draw(
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
}
