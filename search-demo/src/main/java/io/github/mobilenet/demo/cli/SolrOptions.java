package io.github.mobilenet.demo.cli;

import io.github.mobilenet.solr.SolrSettings;
import java.io.PrintStream;
import picocli.CommandLine.Option;

/**
 * {@code --solr URL[,URL...] --collection NAME} of {@code index} and {@code search}: a SolrCloud
 * collection instead of {@code --index DIR}. The URLs are Solr base URLs of some nodes ({@code
 * http://host:8983/solr}; requests go to one and move to the next on failure).
 */
final class SolrOptions {
  @Option(
      names = "--solr",
      paramLabel = "URL[,URL...]",
      description =
          "A SolrCloud instead of --index: base URLs of some of its nodes, e.g."
              + " http://host:8983/solr (any node routes to every shard; more URLs survive a node"
              + " down). Needs --collection.")
  String urls;

  @Option(
      names = "--collection",
      paramLabel = "NAME",
      description = "The Solr collection (with --solr).")
  String collection;

  /** Whether a Solr option was given. */
  boolean given() {
    return urls != null || collection != null;
  }

  /** The collection the options name; retries are told on {@code err}. */
  SolrSettings settings(String command, PrintStream err) throws UsageException {
    if (urls == null || collection == null) {
      throw new UsageException(
          urls == null ? "--collection needs --solr" : "--solr needs --collection");
    }
    try {
      return SolrSettings.of(urls, collection)
          .notices(m -> err.println("mobilenet " + command + ": " + m));
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          (e.getMessage().startsWith("no Solr") ? "--solr: " : "--collection: ") + e.getMessage());
    }
  }
}
