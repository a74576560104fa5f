package io.github.mobilenet.demo.cli;

import ai.onnxruntime.OrtException;
import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.extract.StageTimes;
import io.github.mobilenet.core.image.ImageSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sections of {@code bench} that compare the library with what users would write otherwise: (n)
 * the naive pipeline on the same files as (c), (l) per-image time on phone-size photos.
 */
final class BenchBaselines {
  private BenchBaselines() {}

  /**
   * (n): {@link NaivePipeline} over the files (cycling) for {@code seconds}; returns its img/s and
   * prints it next to (c) when {@code figures} has it.
   */
  static double naive(
      FeatureExtractor fx,
      String endpoint,
      List<Path> files,
      int threads,
      boolean spinning,
      double seconds,
      Map<String, Object> figures,
      PrintStream out)
      throws OrtException {
    out.printf(
        "%n(n) naive Java: ImageIO.read + Graphics2D bilinear resize + float[][][][] + one image per session.run,"
            + " same files as (c)%n");
    try (NaivePipeline naive = new NaivePipeline(fx, endpoint, threads, spinning)) {
      int[] next = {0};
      int[] failed = {0};
      BenchRounds.Work work =
          () -> {
            Path f = files.get(next[0]++ % files.size());
            try {
              return naive.run(f);
            } catch (IOException e) {
              failed[0]++;
              return 0;
            }
          };
      BenchRounds.measure(work, Math.min(2, seconds)); // warm-up
      double[] m = BenchRounds.measure(work, seconds);
      Object c = figures.get("end_to_end");
      out.printf(
          "    %.1f img/s, CPU %.2f ms/img%s%s%n",
          m[0],
          m[1],
          c instanceof Double e2e ? String.format("; (c)/(n) = %.2f", e2e / m[0]) : "",
          failed[0] > 0 ? " (" + failed[0] + " unreadable)" : "");
      return m[0];
    }
  }

  /**
   * (l): per-image milliseconds on {@code count} generated 12 MP JPEGs, one image at a time: {@code
   * extractFeatures(path)} against the same with JPEGs decoded by ImageIO ({@code imageIo}, the
   * path before libjpeg-turbo) and the naive pipeline, passes alternating until {@code seconds}
   * have passed (at least two each); then the same photos with a Display P3 profile, library
   * against library-with-ImageIO.
   */
  static LargePhotoFigures largePhotos(
      FeatureExtractor fx,
      FeatureExtractor imageIo,
      String endpoint,
      String layer,
      List<Path> files,
      int count,
      int threads,
      boolean spinning,
      double seconds,
      PrintStream out)
      throws OrtException, IOException {
    List<Path> sources = new ArrayList<>();
    for (int i = 0; i < count && i < files.size(); i++) {
      sources.add(files.get((int) ((long) i * files.size() / Math.min(count, files.size()))));
    }
    long g0 = System.nanoTime();
    try (PhonePhotos photos = new PhonePhotos(sources);
        NaivePipeline naive = new NaivePipeline(fx, endpoint, threads, spinning)) {
      List<Path> big = photos.files();
      if (big.isEmpty()) {
        throw new IOException("none of the source photos could be read");
      }
      out.printf(
          "%n(l) large photos: %d JPEGs of %d×%d (12 MP, %.1f MB on average, upscaled from the images above"
              + " with grain; generated in %.1f s into a temporary folder), one image at a time%n",
          big.size(),
          PhonePhotos.WIDTH,
          PhonePhotos.HEIGHT,
          photos.meanMegabytes(),
          (System.nanoTime() - g0) / 1e9);
      fx.extractFeatures(ImageSource.of(big.get(0)), layer); // warm-up
      naive.run(big.get(0));
      imageIo.extractFeatures(ImageSource.of(big.get(0)), layer);
      long imageIoNanos = 0;
      long libNanos = 0;
      long naiveNanos = 0;
      long libCpu = 0;
      long naiveCpu = 0;
      int libImages = 0;
      int naiveImages = 0;
      StageTimes before = fx.stageTimes();
      long end = System.nanoTime() + (long) (seconds * 1e9);
      for (int pass = 0; pass < 2 || System.nanoTime() < end; pass++) {
        long c0 = BenchRounds.processCpuNanos();
        long t0 = System.nanoTime();
        for (Path p : big) {
          fx.extractFeatures(ImageSource.of(p), layer);
        }
        long t1 = System.nanoTime();
        long c1 = BenchRounds.processCpuNanos();
        for (Path p : big) {
          naive.run(p);
        }
        long t2 = System.nanoTime();
        long t3 = System.nanoTime();
        for (Path p : big) {
          imageIo.extractFeatures(ImageSource.of(p), layer);
        }
        imageIoNanos += System.nanoTime() - t3;
        libCpu += c1 - c0;
        naiveCpu += BenchRounds.processCpuNanos() - c1;
        libNanos += t1 - t0;
        naiveNanos += t2 - t1;
        libImages += big.size();
        naiveImages += big.size();
      }
      StageTimes d = fx.stageTimes().minus(before);
      double lib = libNanos / 1e6 / libImages;
      double nai = naiveNanos / 1e6 / naiveImages;
      double old = imageIoNanos / 1e6 / libImages;
      double per = 1e6 * Math.max(1, d.prepared());
      out.printf(
          "    library %.1f ms/img (CPU %.1f ms; decode %.1f ms CPU, preprocess %.1f ms CPU), naive %.1f ms/img (CPU %.1f ms):"
              + " library/naive = %.3f, CPU %.3f%n",
          lib,
          libCpu / 1e6 / libImages,
          d.decodeCpuNanos() / per,
          d.preprocessCpuNanos() / per,
          nai,
          naiveCpu / 1e6 / naiveImages,
          lib / nai,
          (double) libCpu / naiveCpu);
      out.printf(
          "    library with JPEGs through ImageIO (%s): %.1f ms/img: library/that = %.3f%n",
          imageIo.decoder().jpegDecoder(), old, lib / old);
      double[] p3 = displayP3(fx, imageIo, layer, photos.withDisplayP3(), seconds / 2);
      out.printf(
          "    the same photos with a Display P3 profile (as iPhones embed it; converted to sRGB):"
              + " library %.1f ms/img, library with JPEGs through ImageIO %.1f ms/img: %.3f%n",
          p3[0], p3[1], p3[0] / p3[1]);
      return new LargePhotoFigures(lib, nai, old, p3[0], p3[1]);
    }
  }

  /** Per-image milliseconds of {@code fx} and {@code imageIo} on {@code p3}, passes alternating. */
  private static double[] displayP3(
      FeatureExtractor fx, FeatureExtractor imageIo, String layer, List<Path> p3, double seconds) {
    fx.extractFeatures(ImageSource.of(p3.get(0)), layer); // warm-up of the conversion
    imageIo.extractFeatures(ImageSource.of(p3.get(0)), layer);
    long[] nanos = new long[2];
    int images = 0;
    long end = System.nanoTime() + (long) (seconds * 1e9);
    for (int pass = 0; pass < 2 || System.nanoTime() < end; pass++) {
      for (int side = 0; side < 2; side++) {
        FeatureExtractor x = side == 0 ? fx : imageIo;
        long t0 = System.nanoTime();
        for (Path p : p3) {
          x.extractFeatures(ImageSource.of(p), layer);
        }
        nanos[side] += System.nanoTime() - t0;
      }
      images += p3.size();
    }
    return new double[] {nanos[0] / 1e6 / images, nanos[1] / 1e6 / images};
  }

  /**
   * (l)'s figures, milliseconds per image: the library, the naive pipeline and the library with
   * JPEGs through ImageIO on the phone photos, then the library and the ImageIO path on their
   * Display P3 copies.
   */
  record LargePhotoFigures(
      double library, double naive, double imageIo, double displayP3, double displayP3ImageIo) {}
}
