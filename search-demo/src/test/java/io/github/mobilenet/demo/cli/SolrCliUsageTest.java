package io.github.mobilenet.demo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.TestFiles;
import org.junit.jupiter.api.Test;

/**
 * index/search --solr: what is refused before any request (a real SolrCloud is exercised in
 * mobilenet-solr's tests); the local --index contract is unchanged.
 */
class SolrCliUsageTest {
  private static final String PHOTOS = TestFiles.root().resolve("samples/natural").toString();
  private static final String URL = "http://127.0.0.1:1/solr";

  @Test
  void refusesIncompleteOrConflictingSolrOptions() {
    assertUsage(CliRun.run("index", "--solr", URL, PHOTOS), "--solr needs --collection");
    assertUsage(
        CliRun.run("search", "--collection", "c", "--id", "x"), "--collection needs --solr");
    assertUsage(
        CliRun.run("index", "--index", "x.idx", "--solr", URL, "--collection", "c", PHOTOS),
        "give --index DIR or --solr URL --collection NAME, not both");
    assertUsage(
        CliRun.run("index", "--solr", URL, "--collection", "c", "--dba", "2", PHOTOS),
        "--dba is local-only");
    assertUsage(
        CliRun.run("index", "--solr", URL, "--collection", "c", "--format", "int7", PHOTOS),
        "--format int7 is local-only");
    assertUsage(
        CliRun.run("index", "--solr", URL, "--collection", "c", "--shards", "0", PHOTOS),
        "--shards");
    assertUsage(
        CliRun.run("search", "--solr", "ftp://host/solr", "--collection", "c", "--id", "x"),
        "Solr URL ftp://host/solr is not an http(s) URL");
    assertUsage(
        CliRun.run("search", "--solr", URL, "--collection", "c", "--image", "a.jpg", "--id", "x"),
        "give exactly one of --image, --id, --vector, --images");
    assertUsage(CliRun.run("search", "--id", "x"), "--index is required");
    assertUsage(CliRun.run("index", PHOTOS), "--index is required");
  }

  private static void assertUsage(CliRun r, String message) {
    assertEquals(ExitCode.USAGE, r.exit(), r.err());
    assertTrue(r.err().contains(message), r.err());
  }
}
