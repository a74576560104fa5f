package io.github.mobilenet.core.extract;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.TestFiles;
import io.github.mobilenet.core.TestImages;
import io.github.mobilenet.core.image.ImageSource;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tolerance of reduced decoding (JPEGs at a DCT scale with libjpeg-turbo when present, block
 * averages otherwise) against a full-resolution decode and resize: pooled cosine ≥ 0.999 on every
 * JPEG photo of samples/ (the same photos as ../shared/images/test), and on phone-size JPEGs made
 * from them, which are scaled by 1/4 and 1/8.
 */
class ScaledDecodeFeaturesTest {
  private static FeatureExtractor reduced;
  private static FeatureExtractor full;

  @BeforeAll
  static void open() {
    reduced = FeatureExtractor.create();
    full = FeatureExtractor.builder().reducedDecode(false).build();
  }

  @AfterAll
  static void close() {
    reduced.close();
    full.close();
  }

  private static double cosine(ImageSource image) {
    return Features.cosine(
        reduced.extractFeatures(image, "pooled").values(),
        full.extractFeatures(image, "pooled").values());
  }

  @Test
  void everySamplePhotoKeepsItsFeatures() throws IOException {
    List<Path> photos = new ArrayList<>();
    for (String dir : List.of("samples/test", "samples/natural", "samples/demo")) {
      try (Stream<Path> files = Files.list(TestFiles.root().resolve(dir))) {
        files.filter(p -> p.toString().endsWith(".jpg")).sorted().forEach(photos::add);
      }
    }
    assertTrue(photos.size() >= 30, "photos found: " + photos.size());
    double worst = 1;
    String worstName = "";
    for (Path p : photos) {
      double c = cosine(ImageSource.of(p));
      if (c < worst) {
        worst = c;
        worstName = p.getFileName().toString();
      }
    }
    assertTrue(worst >= 0.999, "lowest pooled cosine " + worst + " (" + worstName + ")");
  }

  @Test
  void phoneSizePhotosKeepTheirFeatures() {
    java.util.Random random = new java.util.Random(7);
    for (String name : List.of("darknet_dog.jpg", "skimage_coffee.jpg", "kodak_kodim05.jpg")) {
      BufferedImage src = read(TestFiles.test(name));
      // 4000×3000 or so: shorter side ≥ 8 × 224 for 1/8, with grain like a phone sensor's
      int w = 4000;
      int h = Math.max(1800, w * src.getHeight() / src.getWidth());
      BufferedImage big = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = big.createGraphics();
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(src, 0, 0, w, h, null);
      g.dispose();
      for (int y = 0; y < h; y += 1) {
        for (int x = 0; x < w; x += 7) {
          int grain = random.nextInt(17) - 8;
          int p = big.getRGB(x, y);
          big.setRGB(x, y, shift(p, 16, grain) | shift(p, 8, grain) | shift(p, 0, grain));
        }
      }
      byte[] jpeg = TestImages.jpeg(big, 0.9f);
      double c = cosine(ImageSource.of(jpeg, name + " at " + w + "x" + h));
      assertTrue(c >= 0.999, name + " upscaled: pooled cosine " + c);
      // As an iPhone writes it, with a Display P3 profile: converted after the scaled decode here,
      // at full size by ImageIO there.
      byte[] p3 = TestImages.withProfile(jpeg, TestImages.displayP3(0));
      double cp3 = cosine(ImageSource.of(p3, name + " at " + w + "x" + h + " in Display P3"));
      assertTrue(cp3 >= 0.999, name + " upscaled, Display P3: pooled cosine " + cp3);
    }
  }

  private static int shift(int rgb, int bits, int by) {
    return Math.clamp(((rgb >> bits) & 0xFF) + by, 0, 255) << bits;
  }

  private static BufferedImage read(Path p) {
    try {
      return ImageIO.read(p.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
