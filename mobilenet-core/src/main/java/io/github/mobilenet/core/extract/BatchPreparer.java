package io.github.mobilenet.core.extract;

import io.github.mobilenet.core.image.ImageDecoder;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.image.RgbImage;
import io.github.mobilenet.core.preprocess.PreparedImage;
import io.github.mobilenet.core.preprocess.Preprocessing;
import io.github.mobilenet.core.preprocess.Preprocessor;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Decodes and preprocesses images into input tensors: one image into its own array ({@link
 * #prepare}), or a whole batch straight into the slices of one input buffer ({@link #fill}).
 *
 * <p>Thread-safe: it holds no per-call state, and concurrent fills write to disjoint slices.
 */
final class BatchPreparer {
  private final ImageDecoder decoder;
  private final Preprocessors preprocessors;
  private final Preprocessor preprocessor;
  private final int decodeMinSide;
  private final int scaledMinSide;
  private final StageTimes.Recorder times;

  /**
   * Decodes with {@code decoder}, reduced while the shorter side stays at least {@code
   * decodeMinSide} (0 = full resolution), then applies the preprocessor for the image's input size.
   * {@link #tensorSize} and {@link #fill} need an exact input size.
   */
  BatchPreparer(
      ImageDecoder decoder,
      Preprocessors preprocessors,
      int decodeMinSide,
      StageTimes.Recorder times) {
    this.decoder = decoder;
    this.preprocessors = preprocessors;
    this.preprocessor = preprocessors.reference();
    this.decodeMinSide = decodeMinSide;
    // Reduced decoding also lets JPEGs decode at a DCT scale, while the part of the image that is
    // resized (all of it, or the central crop) keeps at least twice the input's pixels per side.
    // Down to 1x, pooled features moved by cosine 0.985-0.998 on 500-pixel photos; at 2x they stay
    // above 0.999 (docs/PERFORMANCE.md).
    int side = 2 * Math.max(preprocessor.width(), preprocessor.height());
    this.scaledMinSide =
        decodeMinSide == 0
            ? 0
            : preprocessor.mode() == Preprocessing.FULL
                ? side
                : (int) Math.ceil(side / Preprocessing.CENTRAL_FRACTION);
    this.times = times;
  }

  /** Floats per image in the input tensor (exact input size). */
  int tensorSize() {
    return preprocessor.tensorSize();
  }

  /** Input height of an exact size. */
  int height() {
    return preprocessor.height();
  }

  /** Input width of an exact size. */
  int width() {
    return preprocessor.width();
  }

  /** The preprocessor that a prepared image of this decoded size went through. */
  Preprocessor preprocessorFor(PreparedImage image) {
    return preprocessors.forImage(image.width(), image.height());
  }

  /** Decodes and preprocesses one image into a tensor of its own. */
  PreparedImage prepare(ImageSource image) {
    return prepare(image, rgb -> {});
  }

  /**
   * {@link #prepare(ImageSource)}, handing the decoded image to {@code decoded} first (on this
   * thread), so other per-image work can use the same pixels without a second decode.
   */
  PreparedImage prepare(ImageSource image, java.util.function.Consumer<RgbImage> decoded) {
    long[] t0 = StageTimes.Recorder.now();
    RgbImage rgb = decoder.decode(image, decodeMinSide, scaledMinSide);
    decoded.accept(rgb);
    long[] t1 = StageTimes.Recorder.now();
    float[] tensor = preprocessors.forImage(rgb.width(), rgb.height()).apply(rgb);
    times.prepared(t0, t1, StageTimes.Recorder.now());
    return new PreparedImage(image.name(), rgb.width(), rgb.height(), tensor);
  }

  /**
   * Decodes and preprocesses {@code batch} into {@code input}, image i at floats [i·size, (i+1)·
   * size), on several cores when there is decoding or resizing to do.
   *
   * @throws RuntimeException the error of the first failing image in list order, whichever failed
   *     first in time
   */
  void fill(List<ImageSource> batch, FloatBuffer input) {
    int per = preprocessor.tensorSize();
    RuntimeException[] errors = new RuntimeException[batch.size()];
    // Decoding and big resizes are worth spreading over cores; copying small in-memory images is
    // not (waking pool threads costs more than the copies: measured in docs/PERFORMANCE.md).
    long small = 4L * preprocessor.width() * preprocessor.height();
    boolean heavy =
        batch.stream()
            .anyMatch(
                s ->
                    !(s instanceof ImageSource.DecodedSource d)
                        || (long) d.image().getWidth() * d.image().getHeight() > small);
    IntStream slots = IntStream.range(0, batch.size());
    (batch.size() > 1 && heavy ? slots.parallel() : slots)
        .forEach(
            i -> {
              try {
                fillOne(batch.get(i), input, i * per);
              } catch (RuntimeException e) {
                errors[i] = e;
              }
            });
    for (RuntimeException e : errors) {
      if (e != null) {
        throw e;
      }
    }
  }

  private void fillOne(ImageSource source, FloatBuffer input, int offset) {
    long[] t0 = StageTimes.Recorder.now();
    if (source instanceof ImageSource.DecodedSource d
        && fitsAsIs(d.image())
        && preprocessor.applyDirect(d.image(), input, offset)) { // skips the RGB copy
      times.prepared(t0, t0, StageTimes.Recorder.now()); // already decoded: all preprocessing
      return;
    }
    fill(source, rgb -> {}, input, offset); // disjoint slices of one buffer: safe in parallel
  }

  /**
   * Decodes and preprocesses one image into {@code input} at float {@code offset} (exact input
   * size), handing the decoded pixels to {@code decoded} first; returns the decoded image.
   */
  RgbImage fill(
      ImageSource source,
      java.util.function.Consumer<RgbImage> decoded,
      FloatBuffer input,
      int offset) {
    long[] t0 = StageTimes.Recorder.now();
    RgbImage rgb = decoder.decode(source, decodeMinSide, scaledMinSide);
    decoded.accept(rgb);
    long[] t1 = StageTimes.Recorder.now();
    preprocessor.apply(rgb, input, offset);
    times.prepared(t0, t1, StageTimes.Recorder.now());
    return rgb;
  }

  /**
   * Copies already prepared tensors into {@code input}, image i at floats [i·size, (i+1)·size).
   *
   * @throws IllegalArgumentException for a tensor of the wrong size (prepared for other settings)
   */
  void copy(List<PreparedImage> batch, FloatBuffer input) {
    for (int i = 0; i < batch.size(); i++) {
      int per = preprocessorFor(batch.get(i)).tensorSize();
      float[] t = batch.get(i).tensor();
      if (t.length != per) {
        throw new IllegalArgumentException(
            batch.get(i).name()
                + ": prepared tensor has "
                + t.length
                + " floats, this extractor expects "
                + per);
      }
      input.put(i * per, t);
    }
  }

  /** True when the decoder would pass this image through unchanged: within limits, not reduced. */
  private boolean fitsAsIs(BufferedImage image) {
    long pixels = (long) image.getWidth() * image.getHeight();
    return pixels <= decoder.maxPixels()
        && (decodeMinSide == 0
            || Math.min(image.getWidth(), image.getHeight()) < 2 * decodeMinSide);
  }
}
