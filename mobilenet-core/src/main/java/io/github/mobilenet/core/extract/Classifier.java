package io.github.mobilenet.core.extract;

import io.github.mobilenet.core.model.ModelProfile;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns {@code probs} outputs into top-k classes with the profile's labels, read (and verified)
 * once, on first use.
 *
 * <p>Thread-safe: concurrent first uses may both read the labels; both get the same list.
 */
final class Classifier {
  private final ModelProfile profile;
  private volatile List<String> labels;

  Classifier(ModelProfile profile) {
    this.profile = profile;
  }

  /**
   * Fails before any image is read when classification cannot work.
   *
   * @throws IllegalArgumentException for {@code k < 1} or a profile without a {@code probs}
   *     endpoint
   */
  void check(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    if (!profile.endpoints().containsKey("probs")) {
      throw new IllegalArgumentException(
          "model " + profile.id() + " has no 'probs' endpoint, which classify needs");
    }
  }

  /** The {@code k} most probable classes of each {@code probs} output, best first. */
  List<List<Classification>> topK(List<Features> probs, int k) {
    List<String> names = labels();
    List<List<Classification>> out = new ArrayList<>(probs.size());
    for (Features f : probs) {
      out.add(Classifications.topK(f.values(), k, names));
    }
    return out;
  }

  /** Labels by class index; empty when the profile has none. */
  List<String> labels() {
    List<String> l = labels;
    if (l == null) {
      labels = l = profile.readLabels();
    }
    return l;
  }
}
