package io.github.mobilenet.demo.cli;

import picocli.CommandLine.Option;

/** How {@code index --solr} creates a collection that does not exist yet. */
final class SolrCollectionOptions {
  @Option(
      names = "--shards",
      paramLabel = "N",
      description = "With --solr: shards of a new collection, 1..1024 (default: 1).")
  Integer shards;

  @Option(
      names = "--replicas",
      paramLabel = "R",
      description =
          "With --solr: replicas per shard of a new collection, 1..16 (default: 1; 2 keeps"
              + " searches answering with one node down).")
  Integer replicas;
}
