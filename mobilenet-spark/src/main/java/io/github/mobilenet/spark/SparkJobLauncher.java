package io.github.mobilenet.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts {@link SparkEmbedJob} in a child JVM whose class path is Spark's and this module's, for a
 * caller that has no Spark on its own (the CLI's {@code spark-embed}). The class path is the one
 * the build wrote into this jar ({@code runtime.classpath}: the jars in the local Maven repository
 * and the sibling modules' builds), so it works from a source build; on a cluster, use {@code
 * spark-submit}. Names no Spark class, so it loads without Spark.
 */
public final class SparkJobLauncher {
  /** The resource, beside this class, holding the job's class path (one line). */
  public static final String CLASSPATH_RESOURCE = "runtime.classpath";

  /** The job started: {@link SparkEmbedJob}, by name, so that this class loads without Spark. */
  static final String JOB_CLASS = "io.github.mobilenet.spark.SparkEmbedJob";

  private SparkJobLauncher() {}

  /**
   * A process running the job with {@code jobArgs} (see {@link JobArgs#USAGE}) on this JVM's java;
   * the driver binds to 127.0.0.1 ({@code SPARK_LOCAL_IP}) and Spark logs warnings only.
   *
   * @throws IllegalStateException when the class path file is missing or names missing jars (the
   *     module was not built here), saying how to build it
   */
  public static ProcessBuilder process(List<String> jobArgs) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED"); // ONNX Runtime and Hadoop load native code
    if (Runtime.version().feature() >= 24) {
      command.add("--sun-misc-unsafe-memory-access=allow"); // Spark's own Unsafe use warns else
    }
    command.add("-Dspark.log.level=WARN");
    command.add("-cp");
    command.add(classPath());
    command.add(JOB_CLASS);
    command.addAll(jobArgs);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return pb;
  }

  /** This module's jar (or classes folder) followed by the class path the build wrote. */
  static String classPath() {
    String written;
    try (InputStream in = SparkJobLauncher.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
      if (in == null) {
        throw missing("no " + CLASSPATH_RESOURCE + " beside " + SparkJobLauncher.class.getName());
      }
      written = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String entry : written.split(java.io.File.pathSeparator)) {
      if (!Files.exists(Path.of(entry))) {
        throw missing("the Spark class path names " + entry + ", which is not there");
      }
    }
    return self() + java.io.File.pathSeparator + written;
  }

  private static String self() {
    try {
      return Path.of(
              SparkJobLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static IllegalStateException missing(String what) {
    return new IllegalStateException(
        what
            + "; build the project on this machine first (mvn -DskipTests package, or ./mobilenet"
            + " builds it), or run the job with spark-submit");
  }
}
