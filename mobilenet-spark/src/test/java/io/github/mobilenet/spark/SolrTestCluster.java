package io.github.mobilenet.spark;

import io.github.mobilenet.solrtest.TestServerClasspath;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real SolrCloud (embedded ZooKeeper, Jetty nodes) in a child JVM on the test server module's
 * Solr 9 classpath; ended by {@link #close()} or when this JVM dies (the child quits at the end of
 * its input).
 */
final class SolrTestCluster implements AutoCloseable {
  private final Process process;
  private final PrintStream in;
  final List<String> urls = new ArrayList<>();

  SolrTestCluster(int nodes) throws IOException {
    Path log = Path.of("target", "solr-test-server-" + ProcessHandle.current().pid() + ".log");
    process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-Dsolr.log.dir=" + log.toAbsolutePath().getParent(),
                "-cp",
                TestServerClasspath.classpath(),
                TestServerClasspath.MAIN,
                "--nodes",
                Integer.toString(nodes))
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    for (String line = out.readLine(); !"ready".equals(line); line = out.readLine()) {
      if (line == null) {
        throw new IOException("the Solr test server ended before it was ready; see " + log);
      }
      if (line.startsWith("node ")) {
        urls.add(line.split(" ")[2]);
      }
    }
  }

  /** All node URLs, comma-separated (the job's --solr). */
  String allUrls() {
    return String.join(",", urls);
  }

  @Override
  public void close() throws Exception {
    in.println("quit");
    in.close();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
