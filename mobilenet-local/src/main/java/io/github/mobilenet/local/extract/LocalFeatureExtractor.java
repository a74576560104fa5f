package io.github.mobilenet.local.extract;

import io.github.mobilenet.core.image.RgbImage;
import io.github.mobilenet.local.features.LocalFeatures;

/**
 * Finds keypoints with binary descriptors in a decoded image. Implementations report keypoints in
 * the given image's pixel coordinates and must be thread-safe.
 */
public interface LocalFeatureExtractor {
  /** Features of the image as it is: what an index stores. */
  LocalFeatures extract(RgbImage image);

  /**
   * Features of the horizontally mirrored image, with keypoints mapped back to {@code image}'s
   * coordinates ({@link LocalFeatures#mirrored()} is true).
   */
  LocalFeatures extractMirrored(RgbImage image);

  /**
   * Features for a query: the image as it is with its mirrored companion attached, so that a
   * mirrored copy is found too.
   */
  default LocalFeatures extractQuery(RgbImage image) {
    return extract(image).withMirror(extractMirrored(image));
  }
}
