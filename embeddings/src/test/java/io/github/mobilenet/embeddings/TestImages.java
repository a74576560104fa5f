package io.github.mobilenet.embeddings;

import io.github.mobilenet.core.TestFiles;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The committed sample photos (samples/ at the repository root, located by core's {@link
 * TestFiles}) and generated variants of them.
 */
public final class TestImages {
  private TestImages() {}

  public static Path root() {
    return TestFiles.root();
  }

  /** {@link TestFiles#sample}. */
  public static Path sample(String relative) {
    return TestFiles.sample(relative);
  }

  public static Path test(String name) {
    return TestFiles.test(name);
  }

  public static Path natural(String name) {
    return TestFiles.natural(name);
  }

  /** Every photo of samples/test, sorted. */
  public static List<Path> allTest() throws IOException {
    try (var s = Files.list(root().resolve("samples/test"))) {
      List<Path> out = s.filter(p -> p.toString().matches(".*\\.(jpg|png)$")).sorted().toList();
      if (out.size() != 30) {
        throw new IllegalStateException("expected 30 test photos, found " + out.size());
      }
      return out;
    }
  }

  public static BufferedImage read(Path p) throws IOException {
    BufferedImage img = ImageIO.read(p.toFile());
    if (img == null) {
      throw new IOException("cannot read " + p);
    }
    BufferedImage rgb =
        new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = rgb.createGraphics();
    g.drawImage(img, 0, 0, null);
    g.dispose();
    return rgb;
  }

  public static BufferedImage resize(BufferedImage src, double scale) {
    int w = Math.max(1, (int) Math.round(src.getWidth() * scale));
    int h = Math.max(1, (int) Math.round(src.getHeight() * scale));
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    g.drawImage(src, 0, 0, w, h, null);
    g.dispose();
    return out;
  }

  /** The central {@code fraction} of each side. */
  public static BufferedImage crop(BufferedImage src, double fraction) {
    int w = (int) Math.round(src.getWidth() * fraction);
    int h = (int) Math.round(src.getHeight() * fraction);
    BufferedImage sub = src.getSubimage((src.getWidth() - w) / 2, (src.getHeight() - h) / 2, w, h);
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    out.getGraphics().drawImage(sub, 0, 0, null);
    return out;
  }

  public static BufferedImage flipHorizontal(BufferedImage src) {
    BufferedImage out =
        new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < src.getHeight(); y++) {
      for (int x = 0; x < src.getWidth(); x++) {
        out.setRGB(src.getWidth() - 1 - x, y, src.getRGB(x, y));
      }
    }
    return out;
  }

  /** Turned 90° anticlockwise: what a camera stores for an image tagged EXIF orientation 6. */
  public static BufferedImage rotateAnticlockwise(BufferedImage src) {
    BufferedImage out =
        new BufferedImage(src.getHeight(), src.getWidth(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < src.getHeight(); y++) {
      for (int x = 0; x < src.getWidth(); x++) {
        out.setRGB(y, src.getWidth() - 1 - x, src.getRGB(x, y));
      }
    }
    return out;
  }

  public static byte[] jpeg(BufferedImage img, float quality) {
    return io.github.mobilenet.core.TestImages.jpeg(img, quality);
  }

  public static byte[] png(BufferedImage img) {
    return io.github.mobilenet.core.TestImages.encode(img, "png");
  }

  /**
   * A JPEG of {@code upright} whose pixels are stored turned and tagged EXIF orientation 6 (rotate
   * 90° CW).
   */
  public static byte[] jpegWithExifRotation(BufferedImage upright, float quality)
      throws IOException {
    byte[] plain = jpeg(rotateAnticlockwise(upright), quality);
    byte[] exif = {
      (byte) 0xFF,
      (byte) 0xE1,
      0,
      34,
      'E',
      'x',
      'i',
      'f',
      0,
      0,
      'M',
      'M',
      0,
      42,
      0,
      0,
      0,
      8, // big-endian TIFF header, first IFD at 8
      0,
      1, // one entry
      0x01,
      0x12,
      0,
      3,
      0,
      0,
      0,
      1,
      0,
      6,
      0,
      0, // Orientation, SHORT, 1 value: 6
      0,
      0,
      0,
      0
    }; // no next IFD
    int at = 2; // after SOI; keep a JFIF APP0 first
    if ((plain[2] & 0xFF) == 0xFF && (plain[3] & 0xFF) == 0xE0) {
      at = 4 + (((plain[4] & 0xFF) << 8) | (plain[5] & 0xFF));
    }
    byte[] out = new byte[plain.length + exif.length];
    System.arraycopy(plain, 0, out, 0, at);
    System.arraycopy(exif, 0, out, at, exif.length);
    System.arraycopy(plain, at, out, at + exif.length, plain.length - at);
    return out;
  }

  /** Writes the five near-duplicate variants of {@code photo} into {@code dir}, named after it. */
  public static List<Path> writeVariants(Path photo, Path dir) throws IOException {
    BufferedImage img = read(photo);
    String base = photo.getFileName().toString().replaceFirst("\\.[^.]+$", "");
    Path resized = dir.resolve(base + "_resized.png");
    Files.write(resized, png(resize(img, 0.5)));
    Path q30 = dir.resolve(base + "_q30.jpg");
    Files.write(q30, jpeg(img, 0.30f));
    Path cropped = dir.resolve(base + "_crop.png");
    Files.write(cropped, png(crop(img, 0.90)));
    Path flipped = dir.resolve(base + "_flip.png");
    Files.write(flipped, png(flipHorizontal(img)));
    Path rotated = dir.resolve(base + "_exif6.jpg");
    Files.write(rotated, jpegWithExifRotation(img, 0.9f));
    return List.of(resized, q30, cropped, flipped, rotated);
  }
}
