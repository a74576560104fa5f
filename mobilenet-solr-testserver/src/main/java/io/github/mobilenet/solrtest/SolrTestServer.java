package io.github.mobilenet.solrtest;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * A real SolrCloud on one machine: {@link MiniSolrCloudCluster} with an embedded ZooKeeper and N
 * Solr nodes, each a Jetty on its own port. Prints {@code zk HOST:PORT}, {@code node I URL} per
 * node, then {@code ready}; then reads commands from standard input: {@code stop I} (prints {@code
 * stopped I}), {@code start I} (prints {@code started I URL}), {@code quit}. End of input quits too
 * (unless {@code --no-stdin}), so a parent that dies takes the cluster with it.
 *
 * <p>Arguments: {@code [--nodes N] [--port P] [--dir DIR] [--no-stdin]}; port 0 (default) picks
 * free ports, otherwise node I listens on P + I. Without {@code --dir} the cluster's files go to a
 * temporary folder deleted at exit.
 */
public final class SolrTestServer {
  private static final String USAGE =
      "usage: mobilenet solr-dev [--nodes N] [--port P] [--dir DIR] [--no-stdin]\n"
          + "A local SolrCloud (embedded ZooKeeper, N nodes, default 2) for trying index/search"
          + " --solr; not for production.\n"
          + "Prints zk HOST:PORT, node I URL per node, then ready; commands on stdin: stop I,"
          + " start I, quit (end of input quits too, unless --no-stdin).";

  private SolrTestServer() {}

  /** Starts the cluster; see the class comment. */
  public static void main(String[] args) throws Exception {
    int nodes = 2;
    int port = 0;
    Path dir = null;
    boolean stdin = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--nodes" -> nodes = Integer.parseInt(args[++i]);
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--dir" -> dir = Path.of(args[++i]);
        case "--no-stdin" -> stdin = false;
        case "-h", "--help" -> {
          System.out.println(USAGE);
          return;
        }
        default -> {
          System.err.println("solr-dev: unknown argument " + args[i]);
          System.err.println(USAGE);
          System.exit(2);
        }
      }
    }
    boolean temporary = dir == null;
    Path base = temporary ? Files.createTempDirectory("mobilenet-solr") : dir;
    Files.createDirectories(base);
    MiniSolrCloudCluster cluster =
        new MiniSolrCloudCluster.Builder(port == 0 ? nodes : 0, base)
            .withJettyConfig(j -> j.setPort(0))
            .build();
    List<JettySolrRunner> runners = new ArrayList<>(cluster.getJettySolrRunners());
    for (int i = 0; port != 0 && i < nodes; i++) {
      runners.add(
          cluster.startJettySolrRunner(
              "node" + i, "/solr", JettyConfig.builder().setPort(port + i).build()));
    }
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> shutdown(cluster, temporary ? base : null)));
    System.out.println("zk " + cluster.getZkServer().getZkAddress());
    for (int i = 0; i < runners.size(); i++) {
      System.out.println("node " + i + " " + runners.get(i).getBaseUrl());
    }
    System.out.println("ready");
    System.out.flush();
    if (!stdin) {
      Thread.currentThread().join(); // until killed; the hook shuts down
    }
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] cmd = line.strip().split("\\s+");
      try {
        switch (cmd[0]) {
          case "stop" -> {
            int i = Integer.parseInt(cmd[1]);
            cluster.stopJettySolrRunner(runners.get(i));
            cluster.waitForJettyToStop(runners.get(i));
            System.out.println("stopped " + i);
          }
          case "start" -> {
            int i = Integer.parseInt(cmd[1]);
            cluster.startJettySolrRunner(runners.get(i), true);
            System.out.println("started " + i + " " + runners.get(i).getBaseUrl());
          }
          case "quit" -> {
            System.exit(0);
          }
          case "" -> {}
          default -> System.out.println("error unknown command " + cmd[0]);
        }
      } catch (Exception e) {
        System.out.println("error " + e);
      }
      System.out.flush();
    }
    System.exit(0);
  }

  private static void shutdown(MiniSolrCloudCluster cluster, Path delete) {
    try {
      cluster.shutdown();
    } catch (Exception e) {
      System.err.println("solr-test-server: shutdown: " + e);
    }
    if (delete != null) {
      try (Stream<Path> files = Files.walk(delete)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (Exception e) {
        System.err.println("solr-test-server: cannot delete " + delete + ": " + e);
      }
    }
  }
}
