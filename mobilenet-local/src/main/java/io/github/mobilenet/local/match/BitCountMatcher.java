package io.github.mobilenet.local.match;

import io.github.mobilenet.local.features.LocalFeatures;
import java.util.Arrays;

/**
 * Brute-force Hamming 2-nearest-neighbour matching in plain Java: four XORs and {@link
 * Long#bitCount}s (one POPCNT instruction each on x86-64 and ARMv8) per descriptor pair. Gives the
 * same pairs as OpenCV's {@code BFMatcher(NORM_HAMMING).knnMatch(k = 2)} with the ratio test, up to
 * ties, with no native call and no copying. Stateless: thread-safe.
 */
public final class BitCountMatcher implements DescriptorMatcher {
  private final double ratio;

  /** Ratio test at {@link #DEFAULT_RATIO}. */
  public BitCountMatcher() {
    this(DEFAULT_RATIO);
  }

  /**
   * @param ratio a pair is kept when nearest {@literal <} ratio × second nearest (0 {@literal <}
   *     ratio ≤ 1)
   */
  public BitCountMatcher(double ratio) {
    if (!(ratio > 0 && ratio <= 1)) {
      throw new IllegalArgumentException("ratio must be in (0, 1]: " + ratio);
    }
    this.ratio = ratio;
  }

  @Override
  public DescriptorMatches match(LocalFeatures query, LocalFeatures train) {
    int nq = query.count();
    int nt = train.count();
    if (nq == 0 || nt < 2) {
      return DescriptorMatches.NONE;
    }
    long[] q = query.descriptors();
    long[] t = train.descriptors();
    int[] qi = new int[nq];
    int[] ti = new int[nq];
    int[] di = new int[nq];
    int kept = 0;
    for (int i = 0; i < nq; i++) {
      long q0 = q[4 * i];
      long q1 = q[4 * i + 1];
      long q2 = q[4 * i + 2];
      long q3 = q[4 * i + 3];
      int best = Integer.MAX_VALUE;
      int second = Integer.MAX_VALUE;
      int bestJ = -1;
      for (int j = 0, o = 0; j < nt; j++, o += 4) {
        int d =
            Long.bitCount(q0 ^ t[o])
                + Long.bitCount(q1 ^ t[o + 1])
                + Long.bitCount(q2 ^ t[o + 2])
                + Long.bitCount(q3 ^ t[o + 3]);
        if (d < second) {
          if (d < best) {
            second = best;
            best = d;
            bestJ = j;
          } else {
            second = d;
          }
        }
      }
      if (best < ratio * second) {
        qi[kept] = i;
        ti[kept] = bestJ;
        di[kept] = best;
        kept++;
      }
    }
    return new DescriptorMatches(
        Arrays.copyOf(qi, kept), Arrays.copyOf(ti, kept), Arrays.copyOf(di, kept));
  }
}
