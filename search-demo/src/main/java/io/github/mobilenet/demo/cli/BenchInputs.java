package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.image.ImageSource;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;

/** The inputs {@code bench} feeds each stage: images at the input size, tensors, file streams. */
final class BenchInputs {
  private BenchInputs() {}

  /**
   * Decodes the first files and scales them to exactly w×h, as a caller with ready images would
   * have them.
   */
  static List<BufferedImage> atInputSize(List<Path> files, int w, int h) {
    List<BufferedImage> out = new ArrayList<>();
    for (Path f : files) {
      try {
        BufferedImage src = ImageIO.read(f.toFile());
        if (src == null) {
          continue;
        }
        BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = dst.createGraphics();
        g.setRenderingHint(
            RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        out.add(dst);
      } catch (IOException e) {
        // skip unreadable files; the end-to-end run reports them
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("none of the first images could be read");
    }
    while (out.size() < files.size()) {
      out.add(out.get(out.size() % out.size()));
    }
    return out;
  }

  /**
   * Real preprocessed data for the raw runs (the numbers do not change the speed, but stay
   * realistic).
   */
  static float[] tensors(FeatureExtractor fx, List<BufferedImage> images, int n) {
    int per = fx.preprocessor().tensorSize();
    float[] all = new float[n * per];
    for (int i = 0; i < n; i++) {
      float[] t = fx.prepare(ImageSource.from(images.get(i % images.size()))).tensor();
      System.arraycopy(t, 0, all, i * per, per);
    }
    return all;
  }

  /**
   * extractEach over the files (cycling) until {@code seconds} pass; returns {images, failures}.
   */
  static int[] streamFor(
      FeatureExtractor fx, List<Path> files, String layer, int decodeThreads, double seconds) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    Iterator<ImageSource> sources =
        new Iterator<>() {
          int i;

          @Override
          public boolean hasNext() {
            return System.nanoTime() < end;
          }

          @Override
          public ImageSource next() { // may be asked once more right after the deadline passes
            return ImageSource.of(files.get(i++ % files.size()));
          }
        };
    int[] counts = new int[2];
    fx.extractEach(
        sources,
        layer,
        decodeThreads,
        r -> {
          counts[0]++;
          if (!r.ok()) {
            counts[1]++;
          }
        });
    return counts;
  }
}
