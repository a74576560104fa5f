package io.github.mobilenet.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.unix_millis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mobilenet.embeddings.index.ContentHash;
import io.github.mobilenet.embeddings.index.ImageIds;
import io.github.mobilenet.embeddings.index.IndexConfigMismatchException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The ready job for {@code spark-submit} (and the CLI's {@code spark-embed}): reads every image
 * under the inputs with the {@code binaryFile} source, embeds them with {@link SparkImageEmbedder}
 * and writes Parquet rows {@code (id, path, width, height, embedding, reason, error, size,
 * modified, content_hash)}; {@code id}, {@code path} and {@code content_hash} are what a local
 * index records for the same file, {@code embedding} is an array of floats (null, with reason and
 * error, for a file that does not decode). With {@code --solr} the embedded rows then go to the
 * collection from the executors ({@link SolrFeed}). Ends with one JSON line: {@code {"rows": n,
 * "failed": n, "seconds": s, ...}}. See {@link JobArgs#USAGE}.
 */
public final class SparkEmbedJob {
  /** Failure lines printed at most (all of them are in the Parquet output). */
  static final int MAX_FAILURES_SHOWN = 100;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The Parquet schema. */
  static final StructType OUTPUT =
      new StructType()
          .add("id", DataTypes.StringType, false)
          .add("path", DataTypes.StringType, false)
          .add("width", DataTypes.IntegerType, true)
          .add("height", DataTypes.IntegerType, true)
          .add("embedding", DataTypes.createArrayType(DataTypes.FloatType, false), true)
          .add("reason", DataTypes.StringType, true)
          .add("error", DataTypes.StringType, true)
          .add("size", DataTypes.LongType, false)
          .add("modified", DataTypes.LongType, false)
          .add("content_hash", DataTypes.StringType, false);

  /**
   * What a run did.
   *
   * @param rows images read (embedded or failed)
   * @param failed images that did not decode
   * @param seconds wall time from reading to the last output
   * @param output the Parquet folder
   * @param solrDocuments documents in the Solr collection after feeding it, or -1 without Solr
   */
  public record Summary(
      long rows, long failed, double seconds, String output, long solrDocuments) {}

  private SparkEmbedJob() {}

  /** Runs the job and exits 0 (all embedded), 1 (some failed) or 2 (usage error). */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the job on a session of its own (stopped at the end); returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    JobArgs a;
    try {
      a = JobArgs.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("spark-embed: " + e.getMessage());
      err.print(JobArgs.USAGE);
      return 2;
    }
    if (a.help()) {
      out.print(JobArgs.USAGE);
      return 0;
    }
    SparkSession spark = session(a.master());
    try {
      Summary s = run(spark, a, out);
      return s.failed() == 0 ? 0 : 1;
    } catch (Exception e) {
      // a missing input, an existing output, a collection of other vectors: the run cannot go as
      // written (Scala throws AnalysisException, checked for Java, undeclared)
      if (e instanceof IllegalArgumentException
          || e instanceof AnalysisException
          || e instanceof IndexConfigMismatchException) {
        err.println("spark-embed: " + e.getMessage());
        return 2;
      }
      throw e;
    } finally {
      spark.stop();
    }
  }

  /**
   * A session on {@code master} (null: spark-submit's). A local master binds the driver to
   * 127.0.0.1 and has no web UI, so it runs on a machine without a resolvable host name and beside
   * other jobs.
   */
  public static SparkSession session(String master) {
    SparkSession.Builder b = SparkSession.builder().appName("mobilenet-spark-embed");
    if (master != null) {
      b.master(master);
    }
    String m = master != null ? master : System.getProperty("spark.master", "");
    if (m.startsWith("local")) {
      b.config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.ui.enabled", "false");
    }
    return b.getOrCreate();
  }

  /**
   * Runs the job on {@code spark}: writes the Parquet output, prints failure lines and the summary
   * line to {@code out}.
   *
   * @throws IllegalArgumentException when the output exists (without overwrite)
   */
  public static Summary run(SparkSession spark, JobArgs a, PrintStream out) {
    long start = System.nanoTime();
    refuseExistingOutput(spark, a);
    int partitions =
        a.partitions() > 0 ? a.partitions() : 4 * spark.sparkContext().defaultParallelism();
    // Small splits (no shuffle): a slow last partition then holds few images.
    spark.conf().set("spark.sql.files.minPartitionNum", Integer.toString(partitions));
    UserDefinedFunction key = udf((UDF1<String, String>) ImagePaths::key, DataTypes.StringType);
    UserDefinedFunction hash = udf((UDF1<byte[], String>) ContentHash::of, DataTypes.StringType);
    UserDefinedFunction id = udf((UDF2<String, String, String>) ImageIds::of, DataTypes.StringType);
    Dataset<Row> files =
        spark
            .read()
            .format("binaryFile")
            .option("pathGlobFilter", ImagePaths.globFilter())
            .option("recursiveFileLookup", "true")
            .load(a.inputs().toArray(String[]::new))
            .withColumn("path", key.apply(col("path")))
            .withColumn("content_hash", hash.apply(col("content")))
            .withColumn("id", id.apply(col("content_hash"), col("path")));
    new SparkImageEmbedder()
        .setSettings(a.settings())
        .transform(files)
        .select(
            col("id"),
            col("path"),
            col("width"),
            col("height"),
            col("embedding"),
            col("reason"),
            col("error"),
            col("length").as("size"),
            unix_millis(col("modificationTime")).as("modified"),
            col("content_hash"))
        .map((MapFunction<Row, Row>) SparkEmbedJob::toOutput, Encoders.row(OUTPUT))
        .write()
        .mode(a.overwrite() ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
        .parquet(a.output());

    // Counted from what was written: exact, whatever tasks were retried.
    Dataset<Row> written = spark.read().parquet(a.output());
    Row counts = written.agg(count(lit(1)), count(col("error"))).first();
    List<Row> failures =
        written
            .where(col("error").isNotNull())
            .select("path", "reason", "error")
            .orderBy("path")
            .limit(MAX_FAILURES_SHOWN)
            .collectAsList();
    for (Row f : failures) {
      out.println(json("file", f.getString(0), "reason", f.getString(1), "error", f.getString(2)));
    }
    long solrDocuments =
        a.solr() == null ? -1 : SolrFeed.feed(written, a.solr(), a.collection(), a.settings());
    Summary s =
        new Summary(
            counts.getLong(0),
            counts.getLong(1),
            (System.nanoTime() - start) / 1e9,
            a.output(),
            solrDocuments);
    out.println(
        json(
            "rows",
            s.rows(),
            "failed",
            s.failed(),
            "embedded",
            s.rows() - s.failed(),
            "seconds",
            Math.round(s.seconds() * 1000) / 1000.0,
            "images_per_second",
            s.seconds() > 0 ? Math.round(s.rows() / s.seconds() * 10) / 10.0 : 0,
            "partitions",
            partitions,
            "output",
            s.output(),
            "solr_documents",
            a.solr() == null ? null : s.solrDocuments()));
    return s;
  }

  /** The row written: the embedding as floats, what every Parquet reader takes. */
  private static Row toOutput(Row r) {
    float[] floats = null;
    if (!r.isNullAt(4)) {
      double[] v = ((Vector) r.get(4)).toArray();
      floats = new float[v.length];
      for (int i = 0; i < v.length; i++) {
        floats[i] = (float) v[i]; // the extractor's floats, exactly
      }
    }
    Object[] values = new Object[r.length()];
    for (int i = 0; i < values.length; i++) {
      values[i] = i == 4 ? floats : r.get(i);
    }
    return RowFactory.create(values);
  }

  private static void refuseExistingOutput(SparkSession spark, JobArgs a) {
    Path out = new Path(a.output());
    try {
      FileSystem fs = out.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!a.overwrite() && fs.exists(out)) {
        throw new IllegalArgumentException(
            "output " + a.output() + " exists; give another folder or --overwrite");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check output " + a.output(), e);
    }
  }

  /** One JSON object from alternating keys and values, in order. */
  static String json(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
