package io.github.mobilenet.local.match;

import io.github.mobilenet.local.features.LocalFeatures;

/**
 * Pairs each query descriptor with its nearest train descriptor by Hamming distance, keeping only
 * distinctive pairs (Lowe's ratio test: the nearest is clearly nearer than the second nearest).
 * Implementations must be thread-safe.
 */
public interface DescriptorMatcher {
  /**
   * Lowe's ratio: a pair is kept when nearest {@literal <} 0.8 × second nearest (the study's
   * setting).
   */
  double DEFAULT_RATIO = 0.8;

  /** The distinctive pairs, in query order; none when either side has fewer than 2 keypoints. */
  DescriptorMatches match(LocalFeatures query, LocalFeatures train);
}
