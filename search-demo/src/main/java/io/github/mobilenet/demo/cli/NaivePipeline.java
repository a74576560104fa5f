package io.github.mobilenet.demo.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.model.ModelProfile;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * The baseline {@code bench} compares against: what a Java user writes from the ONNX Runtime
 * examples. {@code ImageIO.read}, a {@code Graphics2D} bilinear resize to the input size, a {@code
 * float[][][][]} tensor filled pixel by pixel through {@code getRGB}, one image per {@code
 * session.run}, the output copied into Java arrays. Same graph, normalisation and session options
 * (threads, spinning) as the library, so that the ratio measures the Java side only. Not
 * thread-safe.
 */
final class NaivePipeline implements AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final String inputName;
  private final Set<String> outputs;
  private final int h;
  private final int w;
  private final boolean nchw;
  private final int[] source = new int[3];
  private final float[] mean = new float[3];
  private final float[] std = new float[3];

  NaivePipeline(FeatureExtractor fx, String endpoint, int threads, boolean spinning)
      throws OrtException {
    ModelProfile profile = fx.profile();
    ModelProfile.Graph graph = profile.graphFor(endpoint);
    try (OrtSession.SessionOptions options = FeatureExtractor.sessionOptions(threads, spinning)) {
      session = env.createSession(profile.readVerified(graph.file(), graph.sha256()), options);
    }
    inputName = profile.input().name();
    outputs = Set.of(profile.endpoints().get(endpoint).output());
    h = fx.preprocessor().height();
    w = fx.preprocessor().width();
    nchw = profile.input().layout() == ModelProfile.Layout.NCHW;
    for (int c = 0; c < 3; c++) {
      source[c] = profile.input().channelOrder() == ModelProfile.ChannelOrder.BGR ? 2 - c : c;
      mean[c] = (float) profile.input().mean()[source[c]];
      std[c] = (float) profile.input().std()[source[c]];
    }
  }

  /** Runs one file through; returns 1, or throws when ImageIO cannot read it. */
  int run(Path file) throws IOException, OrtException {
    BufferedImage src = ImageIO.read(file.toFile());
    if (src == null) {
      throw new IOException(file + ": no ImageIO reader");
    }
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(src, 0, 0, w, h, null);
    g.dispose();
    float[][][][] t = nchw ? new float[1][3][h][w] : new float[1][h][w][3];
    int[] rgb = new int[3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = img.getRGB(x, y);
        rgb[0] = (p >> 16) & 0xFF;
        rgb[1] = (p >> 8) & 0xFF;
        rgb[2] = p & 0xFF;
        for (int c = 0; c < 3; c++) {
          float v = (rgb[source[c]] - mean[c]) / std[c];
          if (nchw) {
            t[0][c][y][x] = v;
          } else {
            t[0][y][x][c] = v;
          }
        }
      }
    }
    try (OnnxTensor in = OnnxTensor.createTensor(env, t);
        OrtSession.Result r = session.run(Map.of(inputName, in), outputs)) {
      r.get(0).getValue(); // the user's float[][]: a copy into Java arrays
    }
    return 1;
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
