package io.github.mobilenet.core.extract;

import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.core.preprocess.InputSize;
import io.github.mobilenet.core.preprocess.Preprocessing;
import io.github.mobilenet.core.preprocess.Preprocessor;
import io.github.mobilenet.core.preprocess.ResizeFilter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The preprocessor for each input size an extractor uses: one for an exact size, one per distinct
 * size (made on first use) when the shorter side is given. Thread-safe.
 */
final class Preprocessors {
  private final ModelProfile.Input input;
  private final Preprocessing mode;
  private final ResizeFilter filter;
  private final InputSize size;
  private final Preprocessor reference;
  private final Map<Long, Preprocessor> bySize = new ConcurrentHashMap<>();

  Preprocessors(ModelProfile.Input input, Preprocessing mode, ResizeFilter filter, InputSize size) {
    this.input = input;
    this.mode = mode;
    this.filter = filter;
    this.size = size;
    int h = size.isExact() ? size.height() : size.shorterSide();
    int w = size.isExact() ? size.width() : size.shorterSide();
    this.reference = get(h, w);
  }

  /** How the input size is chosen. */
  InputSize size() {
    return size;
  }

  /** The preprocessor of an exact size; for a shorter side S, the one at S × S. */
  Preprocessor reference() {
    return reference;
  }

  /** The preprocessor for an image of this decoded size. */
  Preprocessor forImage(int imageWidth, int imageHeight) {
    if (size.isExact()) {
      return reference;
    }
    int[] hw = size.forImage(imageWidth, imageHeight, mode);
    return get(hw[0], hw[1]);
  }

  private Preprocessor get(int h, int w) {
    return bySize.computeIfAbsent(
        (long) h << 32 | w, k -> new Preprocessor(input, mode, filter, h, w));
  }
}
