package io.github.mobilenet.core.extract;

import io.github.mobilenet.core.MobileNetException;
import io.github.mobilenet.core.image.ImageSource;
import java.util.Map;

/**
 * The outcome for one image of a streaming extraction of several layers: a map layer → features
 * (the caller's names, in the caller's order), or the error that stopped it.
 *
 * @param source the input
 * @param width decoded width (0 on error)
 * @param height decoded height (0 on error)
 * @param features the features by layer (unmodifiable), or null on error
 * @param error why it failed, or null on success
 */
public record MultiLayerResult(
    ImageSource source,
    int width,
    int height,
    Map<String, Features> features,
    MobileNetException error) {
  /** True when features were extracted. */
  public boolean ok() {
    return error == null;
  }

  /** This outcome with only the features of {@code layer}, one of its keys. */
  ExtractionResult only(String layer) {
    return new ExtractionResult(source, width, height, ok() ? features.get(layer) : null, error);
  }
}
