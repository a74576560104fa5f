package io.github.mobilenet.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Trimming the outputs of the bundled ONNX graph, checked by ONNX Runtime itself. */
class OnnxGraphsTest {
  private final ModelProfile profile = ModelProfile.mobileNetV2();
  private final ModelProfile.Graph graph = profile.graphs().get(0);
  private final byte[] model = profile.readVerified(graph.file(), graph.sha256());

  @Test
  void outputNamesAreThoseTheProfileDeclares() {
    List<String> names = OnnxGraphs.outputNames(model);
    assertEquals(4, names.size(), names.toString());
    assertEquals(Set.copyOf(graph.outputs()), Set.copyOf(names));
  }

  @Test
  void aTrimmedGraphHasOneOutputWithTheSameValues() throws Exception {
    String pooled = profile.endpoints().get("pooled").output();
    byte[] trimmed = OnnxGraphs.withOnlyOutputs(model, Set.of(pooled));
    assertEquals(List.of(pooled), OnnxGraphs.outputNames(trimmed));
    assertTrue(trimmed.length < model.length, trimmed.length + " vs " + model.length);

    OrtEnvironment env = OrtEnvironment.getEnvironment();
    float[] input = new float[3 * 224 * 224];
    Random r = new Random(7);
    for (int i = 0; i < input.length; i++) {
      input[i] = r.nextFloat() * 2 - 1;
    }
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession full = env.createSession(model, options);
        OrtSession one = env.createSession(trimmed, options);
        OnnxTensor tensor =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {1, 3, 224, 224})) {
      assertEquals(4, full.getOutputNames().size());
      assertEquals(Set.of(pooled), one.getOutputNames());
      Map<String, OnnxTensor> feed = Map.of(profile.input().name(), tensor);
      float[] expected;
      float[] actual;
      try (OrtSession.Result a = full.run(feed, Set.of(pooled));
          OrtSession.Result b = one.run(feed)) {
        expected = flat((OnnxTensor) a.get(0));
        actual = flat((OnnxTensor) b.get(0));
      }
      assertEquals(1280, expected.length);
      assertTrue(Arrays.stream(box(expected)).anyMatch(v -> v != 0), "pooled is all zeros");
      assertArrayEquals(expected, actual);
    }
  }

  @Test
  void unknownOutputsAndBrokenBytesAreRefused() {
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> OnnxGraphs.withOnlyOutputs(model, Set.of("no_such_output")));
    assertTrue(unknown.getMessage().contains("no output 'no_such_output'"), unknown.getMessage());
    byte[] truncated = Arrays.copyOf(model, model.length / 2);
    IllegalArgumentException broken =
        assertThrows(IllegalArgumentException.class, () -> OnnxGraphs.outputNames(truncated));
    assertTrue(broken.getMessage().startsWith("not an ONNX model"), broken.getMessage());
  }

  private static float[] flat(OnnxTensor t) {
    FloatBuffer b = t.getFloatBuffer();
    float[] v = new float[b.remaining()];
    b.get(v);
    return v;
  }

  private static Float[] box(float[] v) {
    Float[] b = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = v[i];
    }
    return b;
  }
}
