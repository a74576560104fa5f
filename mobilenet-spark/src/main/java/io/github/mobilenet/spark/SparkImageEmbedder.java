package io.github.mobilenet.spark;

import io.github.mobilenet.core.model.ModelRegistry;
import io.github.mobilenet.embeddings.embed.Embedding;
import java.util.Arrays;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@link Transformer} that embeds encoded images: a binary column in (default {@code
 * content}, as the {@code binaryFile} source reads files), the image's vector out as an ML {@code
 * Vector} (default {@code embedding}), with the decoded {@code width} and {@code height}, and for
 * an image that does not decode a null embedding, the decoder's {@code reason} code ({@code
 * truncated}, {@code not_an_image}, ...) and an {@code error} message; a bad image never fails the
 * job. The vectors are exactly those a local index with the same model, layer, pooling,
 * preprocessing, resize filter and input size holds (L2-normalised).
 *
 * <pre>{@code
 * Dataset<Row> files = spark.read().format("binaryFile").load("photos/");
 * Dataset<Row> out = new SparkImageEmbedder().setBatchSize(16).transform(files);
 * }</pre>
 *
 * <p>Each executor JVM opens one extractor per distinct setting, on first use, shared by all its
 * tasks and closed when the JVM exits; each partition is embedded {@code batchSize} images per
 * inference. Saved and loaded with pipelines ({@link DefaultParamsWritable}, {@link #read()},
 * {@link #load(String)}). A string column {@code path}, when present, names images in error
 * messages.
 */
public final class SparkImageEmbedder extends Transformer implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private static final DefaultParamsReadable<SparkImageEmbedder> READER =
      new DefaultParamsReadable<>() {};

  private final String uid;
  private final Param<String> inputCol;
  private final Param<String> outputCol;
  private final Param<String> widthCol;
  private final Param<String> heightCol;
  private final Param<String> reasonCol;
  private final Param<String> errorCol;
  private final Param<String> modelId;
  private final Param<String> layer;
  private final Param<String> pooling;
  private final Param<String> preprocessing;
  private final Param<String> resize;
  private final Param<String> inputSize;
  private final IntParam batchSize;
  private final IntParam threads;

  /** A transformer with a random uid and the defaults. */
  public SparkImageEmbedder() {
    this(Identifiable$.MODULE$.randomUID("mobilenetEmbedder"));
  }

  /** A transformer with {@code uid} (what pipeline loading calls) and the defaults. */
  public SparkImageEmbedder(String uid) {
    this.uid = uid;
    inputCol = new Param<>(this, "inputCol", "column of encoded image bytes");
    outputCol = new Param<>(this, "outputCol", "output column: the embedding (ML vector)");
    widthCol = new Param<>(this, "widthCol", "output column: decoded width (null on error)");
    heightCol = new Param<>(this, "heightCol", "output column: decoded height (null on error)");
    reasonCol =
        new Param<>(this, "reasonCol", "output column: why an image failed (null when embedded)");
    errorCol =
        new Param<>(this, "errorCol", "output column: the error message (null when embedded)");
    modelId = new Param<>(this, "modelId", "model id on the classpath: " + ModelRegistry.ids());
    layer = new Param<>(this, "layer", "layer to embed, e.g. layer_19, pooled");
    pooling = new Param<>(this, "pooling", "pooling of a spatial layer: avg, max, gem or gem:P");
    preprocessing = new Param<>(this, "preprocessing", "full or center-crop");
    resize = new Param<>(this, "resize", "resize filter: antialias or bilinear");
    inputSize =
        new Param<>(
            this, "inputSize", "network input: S (shorter side), HxW, or empty for the model's");
    batchSize =
        new IntParam(this, "batchSize", "images per inference (>= 1)", ParamValidators.gtEq(1));
    threads =
        new IntParam(
            this,
            "threads",
            "ONNX Runtime intra-op threads per inference (>= 1); Spark already runs one task per"
                + " core",
            ParamValidators.gtEq(1));
    Embedding d = Embedding.defaults();
    setDefault(inputCol, "content");
    setDefault(outputCol, "embedding");
    setDefault(widthCol, "width");
    setDefault(heightCol, "height");
    setDefault(reasonCol, "reason");
    setDefault(errorCol, "error");
    setDefault(modelId, d.modelId());
    setDefault(layer, d.layer());
    setDefault(pooling, d.pooling().toString());
    setDefault(preprocessing, d.preprocessing().cliName());
    setDefault(resize, d.resize().cliName());
    setDefault(inputSize, "");
    setDefault(batchSize, EmbeddingSettings.DEFAULT_BATCH);
    setDefault(threads, 1);
  }

  /** Reads a saved transformer (pipeline loading finds this by reflection). */
  public static MLReader<SparkImageEmbedder> read() {
    return READER.read();
  }

  /** Loads a transformer saved with {@code write().save(path)}. */
  public static SparkImageEmbedder load(String path) {
    return READER.load(path);
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The extractor settings the params describe (what each executor opens). */
  public EmbeddingSettings settings() {
    return new EmbeddingSettings(
        $(modelId),
        $(layer),
        $(pooling),
        $(preprocessing),
        $(resize),
        $(inputSize),
        (Integer) $(batchSize),
        (Integer) $(threads));
  }

  /** Sets every extractor param from {@code s}. */
  public SparkImageEmbedder setSettings(EmbeddingSettings s) {
    return setModelId(s.modelId())
        .setLayer(s.layer())
        .setPooling(s.pooling())
        .setPreprocessing(s.preprocessing())
        .setResize(s.resize())
        .setInputSize(s.inputSize() == null ? "" : s.inputSize())
        .setBatchSize(s.batchSize())
        .setThreads(s.threads());
  }

  /** Checks the settings and the input column and appends the output columns. */
  @Override
  public StructType transformSchema(StructType schema) {
    settings().embedding(); // an unknown model, layer or setting fails here, on the driver
    String in = $(inputCol);
    if (!Arrays.asList(schema.fieldNames()).contains(in)) {
      throw new IllegalArgumentException(
          "input column '" + in + "' not found in " + Arrays.toString(schema.fieldNames()));
    }
    if (!schema.apply(in).dataType().equals(DataTypes.BinaryType)) {
      throw new IllegalArgumentException(
          "input column '" + in + "' must hold image bytes (binary), not " + schema.apply(in));
    }
    StructType out = schema;
    for (StructField f :
        new StructField[] {
          DataTypes.createStructField($(outputCol), SQLDataTypes.VectorType(), true),
          DataTypes.createStructField($(widthCol), DataTypes.IntegerType, true),
          DataTypes.createStructField($(heightCol), DataTypes.IntegerType, true),
          DataTypes.createStructField($(reasonCol), DataTypes.StringType, true),
          DataTypes.createStructField($(errorCol), DataTypes.StringType, true)
        }) {
      if (Arrays.asList(out.fieldNames()).contains(f.name())) {
        throw new IllegalArgumentException("output column '" + f.name() + "' already exists");
      }
      out = out.add(f);
    }
    return out;
  }

  /** Appends the output columns; lazy, as every transformation. */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema());
    StructType in = dataset.schema();
    int name =
        Arrays.asList(in.fieldNames()).contains("path")
                && in.apply("path").dataType().equals(DataTypes.StringType)
            ? in.fieldIndex("path")
            : -1;
    return dataset
        .toDF()
        .mapPartitions(
            new PartitionEmbedder(settings(), in.fieldIndex($(inputCol)), name), Encoders.row(out));
  }

  @Override
  public SparkImageEmbedder copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  // ---- params: each has a getter (for pipelines and PySpark), a value getter and a setter ----

  /** Column of encoded image bytes; default {@code content}. */
  public Param<String> inputCol() {
    return inputCol;
  }

  /** Output column of the embedding; default {@code embedding}. */
  public Param<String> outputCol() {
    return outputCol;
  }

  /** Output column of the decoded width; default {@code width}. */
  public Param<String> widthCol() {
    return widthCol;
  }

  /** Output column of the decoded height; default {@code height}. */
  public Param<String> heightCol() {
    return heightCol;
  }

  /** Output column of the failure reason code; default {@code reason}. */
  public Param<String> reasonCol() {
    return reasonCol;
  }

  /** Output column of the error message; default {@code error}. */
  public Param<String> errorCol() {
    return errorCol;
  }

  /** Model id; default {@code mobilenet_v2_1.0_224}. */
  public Param<String> modelId() {
    return modelId;
  }

  /** Layer; default {@code layer_19}. */
  public Param<String> layer() {
    return layer;
  }

  /** Pooling of a spatial layer; default {@code gem}. */
  public Param<String> pooling() {
    return pooling;
  }

  /** Preprocessing; default {@code full}. */
  public Param<String> preprocessing() {
    return preprocessing;
  }

  /** Resize filter; default {@code antialias}. */
  public Param<String> resize() {
    return resize;
  }

  /** Network input size; default empty: the model's own. */
  public Param<String> inputSize() {
    return inputSize;
  }

  /** Images per inference; default {@value EmbeddingSettings#DEFAULT_BATCH}. */
  public IntParam batchSize() {
    return batchSize;
  }

  /** ONNX Runtime intra-op threads per inference; default 1. */
  public IntParam threads() {
    return threads;
  }

  /** Sets {@link #inputCol()}. */
  public SparkImageEmbedder setInputCol(String value) {
    return with(inputCol, value);
  }

  /** Sets {@link #outputCol()}. */
  public SparkImageEmbedder setOutputCol(String value) {
    return with(outputCol, value);
  }

  /** Sets {@link #widthCol()}. */
  public SparkImageEmbedder setWidthCol(String value) {
    return with(widthCol, value);
  }

  /** Sets {@link #heightCol()}. */
  public SparkImageEmbedder setHeightCol(String value) {
    return with(heightCol, value);
  }

  /** Sets {@link #reasonCol()}. */
  public SparkImageEmbedder setReasonCol(String value) {
    return with(reasonCol, value);
  }

  /** Sets {@link #errorCol()}. */
  public SparkImageEmbedder setErrorCol(String value) {
    return with(errorCol, value);
  }

  /** Sets {@link #modelId()}. */
  public SparkImageEmbedder setModelId(String value) {
    return with(modelId, value);
  }

  /** Sets {@link #layer()}. */
  public SparkImageEmbedder setLayer(String value) {
    return with(layer, value);
  }

  /** Sets {@link #pooling()}. */
  public SparkImageEmbedder setPooling(String value) {
    return with(pooling, value);
  }

  /** Sets {@link #preprocessing()}. */
  public SparkImageEmbedder setPreprocessing(String value) {
    return with(preprocessing, value);
  }

  /** Sets {@link #resize()}. */
  public SparkImageEmbedder setResize(String value) {
    return with(resize, value);
  }

  /** Sets {@link #inputSize()}. */
  public SparkImageEmbedder setInputSize(String value) {
    return with(inputSize, value);
  }

  /** Sets {@link #batchSize()}. */
  public SparkImageEmbedder setBatchSize(int value) {
    set(batchSize, value);
    return this;
  }

  /** Sets {@link #threads()}. */
  public SparkImageEmbedder setThreads(int value) {
    set(threads, value);
    return this;
  }

  private SparkImageEmbedder with(Param<String> param, String value) {
    set(param, value);
    return this;
  }
}
