package io.github.mobilenet.eval.head;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.mobilenet.core.extract.Pooling;
import io.github.mobilenet.core.preprocess.Preprocessing;
import io.github.mobilenet.core.preprocess.ResizeFilter;
import io.github.mobilenet.eval.data.EmbeddingConfig;
import io.github.mobilenet.eval.learn.SoftmaxRegression;
import io.github.mobilenet.eval.retrieval.Normalization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A trained softmax classifier over embeddings ("a new last layer"), with everything needed to use
 * it: the model id and {@link EmbeddingConfig} its inputs must be made with, the class names, the
 * input standardisation and the weights. Saved as a small JSON file ({@value #FORMAT}).
 *
 * <p>This is a product feature, not an evaluation tool: the CLI's {@code train-head} writes head
 * files and {@code predict} applies them, so the file layout and {@link #load} checks are a
 * contract. It depends only on the embedding recipe ({@link EmbeddingConfig}) and on {@link
 * SoftmaxRegression}, which trains it; the probes in {@code eval.probe} merely reuse it.
 *
 * <p>Immutable and thread-safe.
 */
public final class LinearHead implements VectorClassifier {
  /** The {@code format} value of head files this version writes and reads. */
  public static final String FORMAT = "mobilenet-linear-head/1";

  private final String model;
  private final EmbeddingConfig embedding;
  private final List<String> classes;
  private final double[] mean;
  private final double[] scale;
  private final double[][] weights;
  private final double[] bias;
  private final double lambda;
  private final int trainedOn;

  /**
   * A head from its parts (as {@link #load} reads them); the arrays are copied.
   *
   * @throws IllegalArgumentException when fewer than 2 classes or the sizes disagree
   */
  public LinearHead(
      String model,
      EmbeddingConfig embedding,
      List<String> classes,
      double[] mean,
      double[] scale,
      double[][] weights,
      double[] bias,
      double lambda,
      int trainedOn) {
    this.model = Objects.requireNonNull(model, "model");
    this.embedding = Objects.requireNonNull(embedding, "embedding");
    this.classes = List.copyOf(classes);
    int d = mean.length;
    if (classes.size() < 2
        || weights.length != classes.size()
        || bias.length != classes.size()
        || scale.length != d) {
      throw new IllegalArgumentException(
          "inconsistent head: "
              + classes.size()
              + " classes, "
              + weights.length
              + " weight rows, "
              + bias.length
              + " biases, "
              + d
              + " means, "
              + scale.length
              + " scales");
    }
    for (double[] row : weights) {
      if (row.length != d) {
        throw new IllegalArgumentException(
            "weight row of " + row.length + " values, expected " + d);
      }
    }
    this.mean = mean.clone();
    this.scale = scale.clone();
    this.weights = new double[weights.length][];
    for (int k = 0; k < weights.length; k++) {
      this.weights[k] = weights[k].clone();
    }
    this.bias = bias.clone();
    this.lambda = lambda;
    this.trainedOn = trainedOn;
  }

  /**
   * Trains a head on embeddings made with {@code embedding} (already normalised).
   *
   * @param labels class index of each vector, into {@code classNames}
   */
  public static LinearHead train(
      String model,
      EmbeddingConfig embedding,
      float[][] vectors,
      int[] labels,
      List<String> classNames,
      SoftmaxRegression trainer,
      double lambda) {
    SoftmaxRegression.Fit fit = trainer.fit(vectors, labels, classNames.size());
    return new LinearHead(
        model,
        embedding,
        classNames,
        fit.mean(),
        fit.scale(),
        fit.weights(),
        fit.bias(),
        lambda,
        vectors.length);
  }

  public String model() {
    return model;
  }

  public EmbeddingConfig embedding() {
    return embedding;
  }

  public List<String> classes() {
    return classes;
  }

  /** Input dimension. */
  public int dimension() {
    return mean.length;
  }

  /** Class probabilities for one embedding (made with {@link #embedding()}). */
  public double[] probabilities(float[] vector) {
    if (vector.length != mean.length) {
      throw new IllegalArgumentException(
          "embedding has "
              + vector.length
              + " dimensions, this head expects "
              + mean.length
              + " ("
              + embedding
              + ")");
    }
    double[] z = SoftmaxRegression.standardise(vector, mean, scale);
    double[] p = new double[classes.size()];
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < p.length; k++) {
      double s = bias[k];
      for (int j = 0; j < z.length; j++) {
        s += weights[k][j] * z[j];
      }
      p[k] = s;
      max = Math.max(max, s);
    }
    double sum = 0;
    for (int k = 0; k < p.length; k++) {
      p[k] = Math.exp(p[k] - max);
      sum += p[k];
    }
    for (int k = 0; k < p.length; k++) {
      p[k] /= sum;
    }
    return p;
  }

  /** The most probable class index (ties: the smaller index). */
  @Override
  public int predict(float[] vector) {
    double[] p = probabilities(vector);
    int best = 0;
    for (int k = 1; k < p.length; k++) {
      if (p[k] > p[best]) {
        best = k;
      }
    }
    return best;
  }

  // ---- JSON -------------------------------------------------------------------------------------

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

  /** The file layout; names are the JSON keys. */
  record HeadFile(
      @JsonProperty(value = "format", required = true) String format,
      @JsonProperty(value = "model", required = true) String model,
      @JsonProperty(value = "layer", required = true) String layer,
      @JsonProperty(value = "pooling", required = true) String pooling,
      @JsonProperty(value = "preprocessing", required = true) String preprocessing,
      @JsonProperty(value = "resize", required = true) String resize,
      @JsonProperty(value = "normalization", required = true) String normalization,
      @JsonProperty(value = "lambda", required = true) double lambda,
      @JsonProperty(value = "trainedOn", required = true) int trainedOn,
      @JsonProperty(value = "classes", required = true) List<String> classes,
      @JsonProperty(value = "mean", required = true) double[] mean,
      @JsonProperty(value = "scale", required = true) double[] scale,
      @JsonProperty(value = "bias", required = true) double[] bias,
      @JsonProperty(value = "weights", required = true) double[][] weights) {}

  /** Writes the head as JSON (atomically: a temporary file renamed over {@code file}). */
  public void save(Path file) throws IOException {
    HeadFile h =
        new HeadFile(
            FORMAT,
            model,
            embedding.layer(),
            embedding.pooling().toString(),
            embedding.preprocessing().cliName(),
            embedding.resize().cliName(),
            embedding.normalization().cliName(),
            lambda,
            trainedOn,
            classes,
            mean,
            scale,
            bias,
            weights);
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      JSON.writeValue(tmp.toFile(), h);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Reads a head file; a missing, malformed or inconsistent file is an IOException naming it and
   * the problem.
   */
  public static LinearHead load(Path file) throws IOException {
    HeadFile h;
    try {
      h = JSON.readValue(file.toFile(), HeadFile.class);
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      throw new NoSuchFileException(file.toString(), null, "head file not found");
    } catch (JsonProcessingException e) {
      throw new IOException(file + ": not a valid head file: " + e.getOriginalMessage(), e);
    }
    if (!FORMAT.equals(h.format())) {
      throw new IOException(
          file + ": unsupported head format '" + h.format() + "' (expected " + FORMAT + ")");
    }
    List<String> problems = new ArrayList<>();
    checkFinite(h.mean(), "mean", problems);
    checkFinite(h.scale(), "scale", problems);
    checkFinite(h.bias(), "bias", problems);
    for (double[] row : h.weights()) {
      checkFinite(row, "weights", problems);
    }
    if (!problems.isEmpty()) {
      throw new IOException(file + ": " + String.join("; ", problems));
    }
    try {
      EmbeddingConfig cfg =
          new EmbeddingConfig(
              h.layer(),
              Pooling.parse(h.pooling()),
              Preprocessing.parse(h.preprocessing()),
              ResizeFilter.parse(h.resize()),
              Normalization.parse(h.normalization()));
      return new LinearHead(
          h.model(),
          cfg,
          h.classes(),
          h.mean(),
          h.scale(),
          h.weights(),
          h.bias(),
          h.lambda(),
          h.trainedOn());
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  private static void checkFinite(double[] values, String name, List<String> problems) {
    if (values == null) {
      problems.add(name + " is missing");
      return;
    }
    for (double v : values) {
      if (!Double.isFinite(v)) {
        problems.add(name + " contains " + v);
        return;
      }
    }
  }
}
