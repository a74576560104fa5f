package io.github.mobilenet.eval.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.extract.Pooling;
import io.github.mobilenet.core.preprocess.Preprocessing;
import io.github.mobilenet.core.preprocess.ResizeFilter;
import io.github.mobilenet.eval.data.EmbeddingConfig;
import io.github.mobilenet.eval.head.LinearHead;
import io.github.mobilenet.eval.retrieval.Normalization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoftmaxRegressionTest {
  /** Three separable 2-D clusters around (0, 5), (5, 0) and (−5, −5). */
  private static float[][] clusters(int perClass, long seed, int[] labelsOut) {
    Random r = new Random(seed);
    float[][] centres = {{0, 5}, {5, 0}, {-5, -5}};
    float[][] x = new float[3 * perClass][];
    for (int i = 0; i < x.length; i++) {
      int c = i % 3;
      labelsOut[i] = c;
      x[i] =
          new float[] {
            centres[c][0] + (float) r.nextGaussian(), centres[c][1] + (float) r.nextGaussian()
          };
    }
    return x;
  }

  @Test
  void separatesASeparableToySetAndGeneralises() {
    int[] y = new int[60];
    float[][] x = clusters(20, 1, y);
    SoftmaxRegression.Fit fit = new SoftmaxRegression(1e-3, 500).fit(x, y, 3);
    assertTrue(fit.converged(), "L-BFGS converged");
    LinearHead head =
        new LinearHead(
            "toy",
            EmbeddingConfig.DEFAULT,
            List.of("a", "b", "c"),
            fit.mean(),
            fit.scale(),
            fit.weights(),
            fit.bias(),
            1e-3,
            x.length);
    assertEquals(1.0, head.accuracy(x, y), 0);
    int[] yTest = new int[300];
    float[][] xTest = clusters(100, 2, yTest);
    assertEquals(1.0, head.accuracy(xTest, yTest), 0);
    assertEquals(0, head.predict(new float[] {0, 5}));
    assertEquals(1, head.predict(new float[] {5, 0}));
    assertEquals(2, head.predict(new float[] {-5, -5}));
    double[] p = head.probabilities(new float[] {0, 5});
    assertEquals(1.0, p[0] + p[1] + p[2], 1e-12);
    assertTrue(p[0] > 0.95, "confident at a cluster centre: " + p[0]);
  }

  @Test
  void trainingIsDeterministicAndRegularisationShrinksWeights() {
    int[] y = new int[60];
    float[][] x = clusters(20, 3, y);
    SoftmaxRegression.Fit a = new SoftmaxRegression(1e-2, 300).fit(x, y, 3);
    SoftmaxRegression.Fit b = new SoftmaxRegression(1e-2, 300).fit(x, y, 3);
    for (int k = 0; k < 3; k++) {
      assertArrayEquals(a.weights()[k], b.weights()[k], 0);
    }
    SoftmaxRegression.Fit strong = new SoftmaxRegression(1.0, 300).fit(x, y, 3);
    assertTrue(norm(strong.weights()) < norm(a.weights()), "larger lambda, smaller weights");
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    Random r = new Random(7);
    double[][] z = new double[9][4];
    int[] y = new int[9];
    for (int i = 0; i < z.length; i++) {
      for (int j = 0; j < 4; j++) {
        z[i][j] = r.nextGaussian();
      }
      y[i] = i % 3;
    }
    double[] w = new double[3 * 4 + 3];
    for (int p = 0; p < w.length; p++) {
      w[p] = 0.3 * r.nextGaussian();
    }
    double[] grad = new double[w.length];
    SoftmaxRegression.lossAndGradient(w, grad, z, y, 3, 0.1);
    double h = 1e-6;
    for (int p = 0; p < w.length; p++) {
      double[] plus = w.clone();
      double[] minus = w.clone();
      plus[p] += h;
      minus[p] -= h;
      double numeric =
          (SoftmaxRegression.lossAndGradient(plus, new double[w.length], z, y, 3, 0.1)
                  - SoftmaxRegression.lossAndGradient(minus, new double[w.length], z, y, 3, 0.1))
              / (2 * h);
      assertEquals(numeric, grad[p], 1e-7, "parameter " + p);
    }
    // Zero weights: loss log(3) for every sample, regulariser 0.
    assertEquals(
        Math.log(3),
        SoftmaxRegression.lossAndGradient(new double[w.length], grad, z, y, 3, 0.1),
        1e-12);
  }

  @Test
  void headRoundTripsThroughJson(@TempDir Path dir) throws IOException {
    int[] y = new int[30];
    float[][] x = clusters(10, 5, y);
    EmbeddingConfig cfg =
        new EmbeddingConfig(
            "layer_18",
            Pooling.gem(4),
            Preprocessing.CENTER_CROP,
            ResizeFilter.BILINEAR,
            Normalization.NONE);
    LinearHead head =
        LinearHead.train(
            "mobilenet_v2_1.0_224",
            cfg,
            x,
            y,
            List.of("a", "b", "c"),
            new SoftmaxRegression(1e-2, 200),
            1e-2);
    Path file = dir.resolve("head.json");
    head.save(file);
    LinearHead back = LinearHead.load(file);
    assertEquals(cfg, back.embedding());
    assertEquals(List.of("a", "b", "c"), back.classes());
    assertEquals("mobilenet_v2_1.0_224", back.model());
    for (float[] v : x) {
      assertArrayEquals(head.probabilities(v), back.probabilities(v), 0);
    }
    Files.writeString(file, Files.readString(file).replace(LinearHead.FORMAT, "something-else/9"));
    IOException e = assertThrows(IOException.class, () -> LinearHead.load(file));
    assertTrue(e.getMessage().contains("unsupported head format"), e.getMessage());
    Files.writeString(file, "{\"format\": \"" + LinearHead.FORMAT + "\"}");
    e = assertThrows(IOException.class, () -> LinearHead.load(file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertThrows(IOException.class, () -> LinearHead.load(dir.resolve("missing.json")));
    assertThrows(IllegalArgumentException.class, () -> back.probabilities(new float[3]));
  }

  private static double norm(double[][] w) {
    double s = 0;
    for (double[] row : w) {
      for (double v : row) {
        s += v * v;
      }
    }
    return Math.sqrt(s);
  }
}
