package io.github.mobilenet.local.match;

/**
 * Tentative correspondences: query keypoint {@code query[i]} pairs with train keypoint {@code
 * train[i]} at Hamming distance {@code distance[i]}. Arrays are shared, not copied: do not modify.
 */
public record DescriptorMatches(int[] query, int[] train, int[] distance) {
  /** No pairs. */
  public static final DescriptorMatches NONE =
      new DescriptorMatches(new int[0], new int[0], new int[0]);

  /** Checks that the arrays have one length. */
  public DescriptorMatches {
    if (query.length != train.length || query.length != distance.length) {
      throw new IllegalArgumentException("arrays differ in length");
    }
  }

  /** Number of pairs. */
  public int size() {
    return query.length;
  }
}
