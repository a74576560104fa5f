package io.github.mobilenet.core.extract;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.mobilenet.core.MobileNetException;
import io.github.mobilenet.core.model.ModelProfile;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Runs batches of preprocessed images through the graph that serves an endpoint and splits the
 * output into one {@link Features} per image.
 *
 * <p>Thread-safe. Inferences hold a read lock and {@link #close()} takes the write lock, so closing
 * waits for running inferences and never frees a session in use.
 */
final class Inference implements AutoCloseable {
  private final ModelProfile profile;
  private final GraphSessions sessions;
  private final StageTimes.Recorder times;
  private final boolean nchw;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private volatile boolean closed;

  /** Inference over inputs in the profile's layout. */
  Inference(ModelProfile profile, GraphSessions sessions, StageTimes.Recorder times) {
    this.profile = profile;
    this.sessions = sessions;
    this.times = times;
    this.nchw = profile.input().layout() == ModelProfile.Layout.NCHW;
  }

  /** Opens (and so verifies) the graph serving {@code endpoint} now rather than at first use. */
  void open(String endpoint) {
    sessions.session(profile.graphFor(endpoint), List.of(endpoint));
  }

  /**
   * One inference over the first {@code n} images in {@code input}, each {@code height}×{@code
   * width}; {@code first} names the batch in errors.
   *
   * @throws MobileNetException {@link MobileNetException.ErrorCode#INFERENCE} when ONNX Runtime
   *     fails
   * @throws IllegalStateException after {@link #close()}
   */
  List<Features> run(
      FloatBuffer input, int n, int height, int width, String endpoint, String first) {
    List<Map<String, Features>> all = run(input, n, height, width, List.of(endpoint), first);
    List<Features> out = new ArrayList<>(n);
    for (Map<String, Features> m : all) {
      out.add(m.get(endpoint));
    }
    return out;
  }

  /**
   * Like {@link #run(FloatBuffer, int, int, int, String, String)} for several endpoints (resolved
   * names, no duplicates) computed by one run of one graph: per image, endpoint → features.
   */
  List<Map<String, Features>> run(
      FloatBuffer input, int n, int height, int width, List<String> endpoints, String first) {
    Map<String, String> outputs = new LinkedHashMap<>(); // ONNX output -> endpoint
    for (String e : endpoints) {
      outputs.put(profile.endpoints().get(e).output(), e);
    }
    long[] shape = nchw ? new long[] {n, 3, height, width} : new long[] {n, height, width, 3};
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      OrtSession session = sessions.session(profile.graphFor(endpoints), endpoints);
      long t0 = System.nanoTime();
      try (OnnxTensor tensor = OnnxTensor.createTensor(sessions.env(), input, shape);
          OrtSession.Result result =
              session.run(Map.of(profile.input().name(), tensor), outputs.keySet())) {
        List<Map<String, Features>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          out.add(new LinkedHashMap<>());
        }
        for (Map.Entry<String, String> o : outputs.entrySet()) {
          OnnxTensor values = (OnnxTensor) result.get(o.getKey()).orElseThrow();
          List<Features> split = split(o.getValue(), values, n);
          for (int i = 0; i < n; i++) {
            out.get(i).put(o.getValue(), split.get(i));
          }
        }
        times.inferred(n, System.nanoTime() - t0);
        return out;
      }
    } catch (OrtException e) {
      throw new MobileNetException(
          MobileNetException.ErrorCode.INFERENCE,
          first,
          "ONNX Runtime failed on "
              + String.join(", ", endpoints)
              + " for "
              + n
              + " image(s), first "
              + first
              + ": "
              + e.getMessage(),
          e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** Splits a batch output [n, ...] into one Features per image. */
  private static List<Features> split(String endpoint, OnnxTensor output, int n) {
    long[] os = output.getInfo().getShape();
    int[] itemShape = new int[os.length - 1];
    int itemSize = 1;
    for (int d = 1; d < os.length; d++) {
      itemShape[d - 1] = Math.toIntExact(os[d]);
      itemSize *= itemShape[d - 1];
    }
    FloatBuffer values = output.getFloatBuffer(); // a heap copy of the native output
    if (n == 1
        && values.hasArray()
        && values.arrayOffset() == 0
        && values.array().length == itemSize) {
      return List.of(new Features(endpoint, itemShape, values.array())); // no second copy
    }
    List<Features> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[] v = new float[itemSize];
      values.get(i * itemSize, v);
      out.add(new Features(endpoint, itemShape, v));
    }
    return out;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("FeatureExtractor is closed");
    }
  }

  /** Waits for running inferences, then frees the sessions. Idempotent. */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      closed = true;
      sessions.close();
    } finally {
      lifecycle.writeLock().unlock();
    }
  }
}
