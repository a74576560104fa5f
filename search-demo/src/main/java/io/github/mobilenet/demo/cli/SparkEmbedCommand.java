package io.github.mobilenet.demo.cli;

import io.github.mobilenet.spark.JobArgs;
import io.github.mobilenet.spark.SparkJobLauncher;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spark-embed}: the Spark extraction job ({@code mobilenet-spark}'s {@code SparkEmbedJob})
 * on a local Spark, in a child JVM on the class path that module's build wrote, so that Spark (~290
 * MB) stays off this CLI's class path.
 */
@Command(
    name = "spark-embed",
    sortOptions = false,
    description = {
      "Embeds a folder of images on Spark and writes Parquet: spark-embed --input PATH --output DIR.",
      "Runs the spark-submit job (mobilenet-spark, docs/SCALE.md) on a local Spark master in a"
          + " child JVM: reads every image under the inputs (by extension, recursively) with Spark's"
          + " binaryFile source, embeds them one extractor per executor, and writes Parquet rows"
          + " (id, path, width, height, embedding, reason, error) with the ids and vectors the local"
          + " index gives the same files. With --solr the embedded rows also go to a SolrCloud"
          + " collection.",
      "stdout: {\"file\": ..., \"reason\": ..., \"error\": ...} per bad file (the first 100), then"
          + " {\"rows\": n, \"failed\": n, \"seconds\": s, ...}. Spark's warnings go to stderr. Exit"
          + " 0 all embedded, 1 some files failed, 2 usage error."
    })
final class SparkEmbedCommand extends CliCommand {
  @Option(
      names = "--master",
      paramLabel = "URL",
      defaultValue = "local[*]",
      description = "Spark master (default: ${DEFAULT-VALUE}; e.g. local[2]).")
  String master;

  @Option(
      names = "--input",
      paramLabel = "PATH",
      required = true,
      description = "A file or folder to embed (repeatable; a Hadoop URI works too).")
  List<String> inputs;

  @Option(
      names = "--output",
      paramLabel = "DIR",
      required = true,
      description = "The Parquet folder to write (must not exist unless --overwrite).")
  String output;

  @Option(names = "--overwrite", description = "Replace an existing output folder.")
  boolean overwrite;

  @Option(
      names = "--solr",
      paramLabel = "URL[,URL...]",
      description = "Also feed the embedded images to this SolrCloud (with --collection).")
  String solr;

  @Option(names = "--collection", paramLabel = "NAME", description = "The Solr collection.")
  String collection;

  @Option(
      names = "--model",
      paramLabel = "ID",
      description = "Model id (default: mobilenet_v2_1.0_224); mobilenet models lists them.")
  String model;

  @Option(names = "--layer", paramLabel = "NAME", description = "Layer (default: layer_19).")
  String layer;

  @Option(
      names = "--pool",
      paramLabel = "gem|avg|max|gem:P",
      description = "Pooling of the layer (default: gem, p = 3).")
  String pool;

  @Option(
      names = "--preprocess",
      paramLabel = "full|center-crop",
      description = "What part of the image the network sees (default: full).")
  String preprocess;

  @Option(
      names = "--resize",
      paramLabel = "antialias|bilinear",
      description = "Resize filter (default: antialias).")
  String resize;

  @Option(
      names = "--size",
      paramLabel = "S|HxW",
      description = "Network input size (default: the model's own).")
  String size;

  @Option(names = "--batch", paramLabel = "N", description = "Images per inference (default: 16).")
  Integer batch;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "ONNX Runtime threads per inference (default: 1; Spark runs a task per core).")
  Integer threads;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      description = "Input partitions suggested to Spark (default: 4 per core).")
  Integer partitions;

  @Override
  public Integer call() throws UsageException {
    List<String> args = jobArgs();
    try {
      JobArgs.parse(args.toArray(String[]::new)); // usage errors before a Spark JVM starts
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    ProcessBuilder pb;
    try {
      pb = SparkJobLauncher.process(args);
    } catch (IllegalStateException e) {
      err().println("mobilenet spark-embed: " + e.getMessage());
      return ExitCode.USAGE;
    }
    Process child;
    try {
      child = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Spark JVM", e);
    }
    // Ctrl-C or a kill of this JVM ends the job too.
    Thread stopChild = new Thread(child::destroy, "spark-embed-stop");
    Runtime.getRuntime().addShutdownHook(stopChild);
    Thread o = pump(child.getInputStream(), out());
    Thread e = pump(child.getErrorStream(), err());
    try {
      int rc = child.waitFor();
      o.join();
      e.join();
      return rc;
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      child.destroy();
      return ExitCode.SOME_FAILED;
    } finally {
      Runtime.getRuntime().removeShutdownHook(stopChild);
    }
  }

  /** The job's command line from the options given (the job's defaults for those not given). */
  List<String> jobArgs() {
    List<String> a = new ArrayList<>(List.of("--master", master, "--output", output));
    inputs.forEach(i -> a.addAll(List.of("--input", i)));
    add(a, "--solr", solr);
    add(a, "--collection", collection);
    add(a, "--model", model);
    add(a, "--layer", layer);
    add(a, "--pool", pool);
    add(a, "--preprocess", preprocess);
    add(a, "--resize", resize);
    add(a, "--size", size);
    add(a, "--batch", batch);
    add(a, "--threads", threads);
    add(a, "--partitions", partitions);
    if (overwrite) {
      a.add("--overwrite");
    }
    return a;
  }

  private static void add(List<String> args, String option, Object value) {
    if (value != null) {
      args.add(option);
      args.add(value.toString());
    }
  }

  private static Thread pump(InputStream from, PrintStream to) {
    Thread t =
        new Thread(
            () -> {
              try (from) {
                byte[] buf = new byte[8192];
                for (int n; (n = from.read(buf)) > 0; ) {
                  to.write(buf, 0, n);
                  to.flush();
                }
              } catch (IOException ignored) {
                // the child has gone; its exit code says how
              }
            },
            "spark-embed-output");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
