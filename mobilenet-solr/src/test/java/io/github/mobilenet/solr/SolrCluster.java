package io.github.mobilenet.solr;

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
 * A real SolrCloud (embedded ZooKeeper, N Jetty nodes) in a child JVM on the test server module's
 * Solr 9 classpath: started by the constructor, nodes stopped and started by command, ended by
 * {@link #close()} (or when this JVM dies: the child quits at the end of its input).
 */
final class SolrCluster implements AutoCloseable {
  private final Process process;
  private final BufferedReader out;
  private final PrintStream in;
  final String zk;
  final List<String> urls = new ArrayList<>();

  SolrCluster(int nodes) throws IOException {
    Path log = Path.of("target", "solr-test-server-" + ProcessHandle.current().pid() + ".log");
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx1g",
            "-Dsolr.log.dir=" + log.toAbsolutePath().getParent(),
            "-cp",
            TestServerClasspath.classpath(),
            TestServerClasspath.MAIN,
            "--nodes",
            Integer.toString(nodes));
    process =
        new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    String zkLine = null;
    for (String line = out.readLine(); ; line = out.readLine()) {
      if (line == null) {
        throw new IOException("the Solr test server ended before it was ready; see " + log);
      }
      if (line.startsWith("zk ")) {
        zkLine = line.substring(3);
      } else if (line.startsWith("node ")) {
        urls.add(line.split(" ")[2]);
      } else if (line.equals("ready")) {
        break;
      }
    }
    zk = zkLine;
  }

  /** All node URLs, comma-separated (the CLI's --solr). */
  String allUrls() {
    return String.join(",", urls);
  }

  void stop(int node) throws IOException {
    command("stop " + node, "stopped " + node);
  }

  void start(int node) throws IOException {
    command("start " + node, "started " + node);
  }

  private void command(String command, String expected) throws IOException {
    in.println(command);
    String line = out.readLine();
    while (line != null && !line.startsWith(expected) && !line.startsWith("error ")) {
      line = out.readLine(); // the server's logging
    }
    if (line == null || !line.startsWith(expected)) {
      throw new IOException(command + ": the test server answered " + line);
    }
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
