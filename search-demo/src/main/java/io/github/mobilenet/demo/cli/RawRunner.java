package io.github.mobilenet.demo.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.model.ModelProfile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Set;

/**
 * A raw session on one graph with a preallocated direct input tensor of batch n: the baseline of
 * {@code bench}. Not thread-safe.
 */
final class RawRunner implements BenchRounds.Work, AutoCloseable {
  private final OrtSession session;
  private final OnnxTensor tensor;
  private final Map<String, OnnxTensor> inputs;
  private final Set<String> outputs;
  private final int n;

  RawRunner(
      ModelProfile profile,
      byte[] model,
      String output,
      float[] data,
      int n,
      int h,
      int w,
      int threads,
      boolean spinning)
      throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = FeatureExtractor.sessionOptions(threads, spinning)) {
      session = env.createSession(model, options);
    }
    int per = 3 * h * w;
    FloatBuffer buf =
        ByteBuffer.allocateDirect(n * per * Float.BYTES)
            .order(ByteOrder.nativeOrder())
            .asFloatBuffer();
    buf.put(data, 0, n * per).rewind();
    long[] shape =
        profile.input().layout() == ModelProfile.Layout.NCHW
            ? new long[] {n, 3, h, w}
            : new long[] {n, h, w, 3};
    tensor = OnnxTensor.createTensor(env, buf, shape);
    inputs = Map.of(profile.input().name(), tensor);
    outputs = Set.of(output);
    this.n = n;
  }

  @Override
  public int run() throws OrtException {
    try (OrtSession.Result r = session.run(inputs, outputs)) {
      return n;
    }
  }

  @Override
  public void close() throws OrtException {
    tensor.close();
    session.close();
  }
}
