package io.github.mobilenet.embeddings.index;

import io.github.mobilenet.local.extract.OrbExtractor;
import io.github.mobilenet.local.verify.Verifier;

/**
 * The one ORB extractor and verifier the index's searches share (both thread-safe), made on first
 * use so that indexes without local features never load OpenCV.
 */
final class LocalMatching {
  private LocalMatching() {}

  private static final class Holder {
    static final OrbExtractor EXTRACTOR = new OrbExtractor();
    static final Verifier VERIFIER = new Verifier();
  }

  static OrbExtractor extractor() {
    return Holder.EXTRACTOR;
  }

  static Verifier verifier() {
    return Holder.VERIFIER;
  }
}
