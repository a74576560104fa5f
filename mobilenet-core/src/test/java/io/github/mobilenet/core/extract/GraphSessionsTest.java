package io.github.mobilenet.core.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.mobilenet.core.model.ModelProfile;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which outputs a session computes: trimmed for vector-only requests on a single-graph profile. */
class GraphSessionsTest {
  static final ModelProfile BUNDLED = ModelProfile.mobileNetV2();

  /** The bundled model as a profile that lists only its full 23-output graph (like int8, V1). */
  static ModelProfile fullGraphOnly() {
    ModelProfile.Graph full = BUNDLED.graphFor("layer_5");
    return new ModelProfile(
        "full-only",
        null,
        BUNDLED.input(),
        List.of(full),
        BUNDLED.endpoints(),
        BUNDLED.aliases(),
        BUNDLED.labels(),
        new ModelProfile.Location(null, "/io/github/mobilenet/models/mobilenet_v2_1.0_224/"));
  }

  @Test
  void aSingleGraphIsTrimmedToTheRequestedVectors() throws Exception {
    ModelProfile p = fullGraphOnly();
    ModelProfile.Graph g = p.graphs().get(0);
    try (GraphSessions s = new GraphSessions(p, 224, 224, 1, false)) {
      assertEquals(Set.of("pooled"), s.session(g, List.of("pooled")).getOutputNames());
      assertEquals(
          Set.of("pooled", "probs"), s.session(g, List.of("probs", "pooled")).getOutputNames());
      // A spatial layer needs the graph as it is.
      assertEquals(23, s.session(g, List.of("layer_5")).getOutputNames().size());
      assertEquals(23, s.session(g, List.of("layer_19", "pooled")).getOutputNames().size());
    }
  }

  @Test
  void aProfileWithItsOwnLeanGraphRunsItAsListed() throws Exception {
    try (GraphSessions s = new GraphSessions(BUNDLED, 224, 224, 1, false)) {
      ModelProfile.Graph lean = BUNDLED.graphFor("pooled");
      assertEquals(Set.copyOf(lean.outputs()), s.session(lean, List.of("pooled")).getOutputNames());
    }
  }
}
