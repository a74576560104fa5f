package io.github.mobilenet.core.extract;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.github.mobilenet.core.model.ModelLoadException;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.core.model.OnnxGraphs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ONNX Runtime sessions of one profile, one per graph file, opened on first use. Each graph is
 * read with its sha256 verified, loaded, and checked against the profile (input name, layout, size,
 * outputs), so that a profile mistake fails at load time and names the graph's real inputs and
 * outputs instead of failing at the first image.
 *
 * <p>Thread-safe: lookups of open sessions take no lock; opening is serialised so each graph loads
 * once. {@link #close()} frees every session; the owner must make sure none is still running.
 */
final class GraphSessions implements AutoCloseable {
  private final ModelProfile profile;
  private final long height;
  private final long width;
  private final int intraOpThreads;
  private final boolean spinning;
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final Map<String, OrtSession> sessions = new ConcurrentHashMap<>();
  private boolean closed; // guarded by this

  /**
   * Sessions for {@code profile}'s graphs, fed {@code height}×{@code width} inputs (both -1: a size
   * per image), each running on {@code intraOpThreads} threads whose idle spinning {@code spinning}
   * allows.
   */
  GraphSessions(ModelProfile profile, int height, int width, int intraOpThreads, boolean spinning) {
    this.profile = profile;
    this.height = height;
    this.width = width;
    this.intraOpThreads = intraOpThreads;
    this.spinning = spinning;
  }

  /** The process-wide ONNX Runtime environment the sessions belong to. */
  OrtEnvironment env() {
    return env;
  }

  /**
   * The session that serves {@code endpoints} (resolved names) from {@code graph}, opening it the
   * first time. ONNX Runtime computes every output of a graph on each run, so a request for vectors
   * only ({@code pooled}, {@code logits}, {@code probs}) on a profile with a single, full graph
   * runs on that graph trimmed to the requested outputs (see {@link OnnxGraphs}): as cheap as a
   * graph made with only those outputs. A profile that lists a lean graph itself (the bundled one)
   * is used as listed.
   */
  OrtSession session(ModelProfile.Graph graph, Collection<String> endpoints) {
    List<String> keep = trimmedOutputs(graph, endpoints);
    String key = keep == null ? graph.file() : graph.file() + "#" + String.join(",", keep);
    OrtSession s = sessions.get(key);
    return s != null ? s : open(graph, keep, key);
  }

  /** The outputs to keep when trimming pays, in graph order; null to run the graph as it is. */
  private List<String> trimmedOutputs(ModelProfile.Graph graph, Collection<String> endpoints) {
    if (profile.graphs().size() != 1) {
      return null;
    }
    Set<String> wanted = new HashSet<>();
    for (String e : endpoints) {
      ModelProfile.Endpoint ep = profile.endpoints().get(e);
      if (ep.spatial()) {
        return null;
      }
      wanted.add(ep.output());
    }
    if (wanted.size() == graph.outputs().size()) {
      return null;
    }
    return graph.outputs().stream().filter(wanted::contains).toList();
  }

  private synchronized OrtSession open(ModelProfile.Graph graph, List<String> keep, String key) {
    if (closed) {
      throw new IllegalStateException("FeatureExtractor is closed");
    }
    OrtSession s = sessions.get(key);
    if (s != null) {
      return s;
    }
    byte[] model = profile.readVerified(graph.file(), graph.sha256());
    if (keep != null) {
      try {
        // Checked before trimming, which would hide the outputs the profile lists wrongly.
        checkOutputs(graph, graph.outputs(), OnnxGraphs.outputNames(model));
        model = OnnxGraphs.withOnlyOutputs(model, new HashSet<>(keep));
      } catch (IllegalArgumentException e) {
        throw mismatch(graph, graph.file() + ": cannot trim its outputs: " + e.getMessage());
      }
    }
    try (OrtSession.SessionOptions options = options(intraOpThreads, spinning)) {
      s = env.createSession(model, options);
    } catch (OrtException e) {
      throw new ModelLoadException(
          ModelLoadException.Reason.RUNTIME_REJECTED,
          graph.file(),
          "ONNX Runtime cannot load " + graph.file() + ": " + e.getMessage(),
          e);
    }
    try {
      checkAgainstProfile(s, graph, keep != null ? keep : graph.outputs());
    } catch (ModelLoadException e) {
      closeQuietly(s);
      throw e;
    }
    sessions.put(key, s);
    return s;
  }

  /** See {@link FeatureExtractor#sessionOptions(int, boolean)}. */
  static OrtSession.SessionOptions options(int intraOpThreads, boolean spinning)
      throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    try {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setIntraOpNumThreads(intraOpThreads);
      options.setInterOpNumThreads(1);
      options.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
      // int8 kernels saturate on x86 CPUs without VNNI unless told otherwise (see QuantPrecision);
      // no effect on float graphs.
      options.addConfigEntry("session.x64quantprecision", QuantPrecision.value());
      return options;
    } catch (OrtException | RuntimeException e) {
      options.close();
      throw e;
    }
  }

  /**
   * Catches profile mistakes (input name, layout, size, outputs) at load time, with the graph's
   * real names.
   */
  private void checkAgainstProfile(OrtSession s, ModelProfile.Graph graph, List<String> outputs) {
    String input = profile.input().name();
    try {
      NodeInfo info = s.getInputInfo().get(input);
      if (info == null) {
        throw mismatch(
            graph,
            graph.file()
                + " has no input '"
                + input
                + "' (its inputs: "
                + String.join(", ", s.getInputNames())
                + "); fix input.name in the profile");
      }
      if (info.getInfo() instanceof TensorInfo t && t.getShape().length == 4) {
        long[] actual = t.getShape();
        boolean nchw = profile.input().layout() == ModelProfile.Layout.NCHW;
        long[] wanted =
            nchw ? new long[] {-1, 3, height, width} : new long[] {-1, height, width, 3};
        checkInputSize(graph, actual, nchw ? 2 : 1);
        for (int d = 1; d < 4; d++) {
          // A negative dimension is symbolic: any size goes.
          if (actual[d] >= 0 && actual[d] != wanted[d]) {
            throw mismatch(
                graph,
                graph.file()
                    + ": input '"
                    + input
                    + "' has shape "
                    + Arrays.toString(actual)
                    + " but the profile asks for "
                    + profile.input().layout()
                    + " "
                    + height
                    + "x"
                    + width
                    + " "
                    + Arrays.toString(wanted)
                    + " (-1 = any); fix input.layout or the input size");
          }
        }
      }
      checkOutputs(graph, outputs, s.getOutputNames());
    } catch (OrtException e) {
      throw new ModelLoadException(
          ModelLoadException.Reason.RUNTIME_REJECTED,
          graph.file(),
          "ONNX Runtime cannot describe " + graph.file() + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Refuses a size other than the profile's for a graph whose height or width is fixed: that is a
   * setting the model cannot take, not a profile mistake, and says so.
   */
  private void checkInputSize(ModelProfile.Graph graph, long[] actual, int hDim) {
    long fixedH = actual[hDim];
    long fixedW = actual[hDim + 1];
    boolean profileSize = height == profile.input().height() && width == profile.input().width();
    boolean fits = (fixedH < 0 || fixedH == height) && (fixedW < 0 || fixedW == width);
    if (fits || profileSize) {
      return; // a profile size that the graph contradicts is reported as a profile mismatch
    }
    String asked = height < 0 ? "a size per image (aspect kept)" : height + "x" + width;
    throw new ModelLoadException(
        ModelLoadException.Reason.FIXED_INPUT_SIZE,
        graph.file(),
        "model "
            + profile.id()
            + " takes a fixed input size of "
            + (fixedH < 0 ? "any" : fixedH)
            + "x"
            + (fixedW < 0 ? "any" : fixedW)
            + " (graph "
            + graph.file()
            + ", input '"
            + profile.input().name()
            + "' "
            + Arrays.toString(actual)
            + "); it cannot run at "
            + asked,
        null);
  }

  private static void checkOutputs(
      ModelProfile.Graph graph, List<String> wanted, Collection<String> present) {
    List<String> missing = new ArrayList<>(wanted);
    missing.removeAll(present);
    if (!missing.isEmpty()) {
      throw mismatch(
          graph,
          graph.file()
              + " lacks outputs the profile lists for it: "
              + missing
              + " (its outputs: "
              + String.join(", ", present)
              + ")");
    }
  }

  private static ModelLoadException mismatch(ModelProfile.Graph graph, String message) {
    return new ModelLoadException(
        ModelLoadException.Reason.PROFILE_MISMATCH, graph.file(), message, null);
  }

  private static void closeQuietly(OrtSession s) {
    try {
      s.close();
    } catch (OrtException e) {
      // already failing or closing; the first error is the one to report
    }
  }

  /** Frees every session; later lookups of unopened graphs fail. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    sessions.values().forEach(GraphSessions::closeQuietly);
    sessions.clear();
  }
}
