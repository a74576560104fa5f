package io.github.mobilenet.core.extract;

import io.github.mobilenet.core.MobileNetException;
import io.github.mobilenet.core.image.ImageSource;

/**
 * The outcome for one image of a streaming extraction: features, or the error that stopped it.
 *
 * @param source the input
 * @param width decoded width (0 on error)
 * @param height decoded height (0 on error)
 * @param features the features, or null on error
 * @param error why it failed, or null on success
 */
public record ExtractionResult(
    ImageSource source, int width, int height, Features features, MobileNetException error) {
  /** True when features were extracted. */
  public boolean ok() {
    return error == null;
  }
}
