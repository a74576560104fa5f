package io.github.mobilenet.spark;

import io.github.mobilenet.embeddings.embed.Embedding;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@link SparkEmbedJob}, parsed and checked; unknown or incomplete options are
 * an {@link IllegalArgumentException} whose message says which (exit 2).
 *
 * @param inputs files or folders (local paths or any Hadoop filesystem URI)
 * @param output the Parquet folder
 * @param master the Spark master, or null for spark-submit's
 * @param solr Solr base URLs (comma-separated), or null
 * @param collection the Solr collection, or null
 * @param settings the extractor settings
 * @param partitions the suggested number of input partitions, or 0 for 4 per core
 * @param overwrite whether an existing output is replaced
 * @param help whether only the usage was asked for
 */
public record JobArgs(
    List<String> inputs,
    String output,
    String master,
    String solr,
    String collection,
    EmbeddingSettings settings,
    int partitions,
    boolean overwrite,
    boolean help) {

  /** The usage text. */
  public static final String USAGE =
      """
      Usage: SparkEmbedJob --input PATH [--input PATH]... --output DIR [--master URL]
                           [--solr URL[,URL...] --collection NAME] [--model ID] [--layer NAME]
                           [--pool gem|avg|max|gem:P] [--preprocess full|center-crop]
                           [--resize antialias|bilinear] [--size S|HxW] [--batch N] [--threads N]
                           [--partitions N] [--overwrite]
      Embeds every image under the inputs (by extension, recursively) on Spark and writes Parquet
      rows (id, path, width, height, embedding, reason, error, size, modified, content_hash) to DIR:
      id is the one the local index gives the file, embedding the L2-normalised vector (array of
      float), null with reason and error for a file that does not decode. With --solr, the embedded rows also go to the
      collection. stdout: {"file": ..., "reason": ..., "error": ...} per bad file (the first
      100), then {"rows": n, "failed": n, "seconds": s, ...}. Exit 0 all embedded, 1 some files
      failed, 2 usage error.
        --batch N       images per inference (default 16)
        --threads N     ONNX Runtime threads per inference (default 1: Spark runs a task per core)
        --partitions N  input partitions suggested to Spark (default: 4 per core)
      """;

  /** Parses {@code args}. */
  public static JobArgs parse(String... args) {
    List<String> inputs = new ArrayList<>();
    String output = null;
    String master = null;
    String solr = null;
    String collection = null;
    Embedding d = Embedding.defaults();
    String model = d.modelId();
    String layer = d.layer();
    String pool = d.pooling().toString();
    String preprocess = d.preprocessing().cliName();
    String resize = d.resize().cliName();
    String size = "";
    int batch = EmbeddingSettings.DEFAULT_BATCH;
    int threads = 1;
    int partitions = 0;
    boolean overwrite = false;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--overwrite" -> overwrite = true;
        case "--help", "-h" -> help = true;
        default -> {
          if (!a.startsWith("--")) {
            throw new IllegalArgumentException("unexpected argument '" + a + "'");
          }
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(a + " needs a value");
          }
          String v = args[++i];
          switch (a) {
            case "--input" -> inputs.add(v);
            case "--output" -> output = v;
            case "--master" -> master = v;
            case "--solr" -> solr = v;
            case "--collection" -> collection = v;
            case "--model" -> model = v;
            case "--layer" -> layer = v;
            case "--pool" -> pool = v;
            case "--preprocess" -> preprocess = v;
            case "--resize" -> resize = v;
            case "--size" -> size = v;
            case "--batch" -> batch = positive(a, v);
            case "--threads" -> threads = positive(a, v);
            case "--partitions" -> partitions = positive(a, v);
            default -> throw new IllegalArgumentException("unknown option " + a);
          }
        }
      }
    }
    EmbeddingSettings settings =
        new EmbeddingSettings(model, layer, pool, preprocess, resize, size, batch, threads);
    if (!help) {
      if (inputs.isEmpty()) {
        throw new IllegalArgumentException("missing --input PATH");
      }
      if (output == null) {
        throw new IllegalArgumentException("missing --output DIR");
      }
      if ((solr == null) != (collection == null)) {
        throw new IllegalArgumentException("--solr and --collection go together");
      }
      settings.embedding(); // an unknown model, layer or setting is a usage error
    }
    return new JobArgs(
        List.copyOf(inputs),
        output,
        master,
        solr,
        collection,
        settings,
        partitions,
        overwrite,
        help);
  }

  private static int positive(String option, String value) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through to the message
    }
    throw new IllegalArgumentException(option + " must be a positive integer, not '" + value + "'");
  }
}
