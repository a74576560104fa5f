package io.github.mobilenet.solr;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where a {@link SolrImageIndex} lives and how to talk to it. Immutable; start from {@link #of} and
 * chain.
 *
 * @param urls Solr base URLs of some nodes of one SolrCloud, e.g. {@code http://host:8983/solr}
 *     ({@code /solr} is added when missing); requests go to one, moving to the next on failure
 * @param collection the collection name
 * @param shards shards of a collection created by {@link SolrImageIndex#openOrCreate}
 * @param replicas replicas per shard of a created collection (2 keeps searches answering with one
 *     node down)
 * @param retries retries of a request failing transiently (a node restarting, a timeout, HTTP 503)
 * @param timeout connect and response timeout of one request
 * @param notices told each retry, in words (e.g. for standard error)
 */
public record SolrSettings(
    List<String> urls,
    String collection,
    int shards,
    int replicas,
    int retries,
    Duration timeout,
    Consumer<String> notices) {
  /** Default timeout of one request. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  public SolrSettings {
    urls = List.copyOf(urls);
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("no Solr URL given");
    }
    Objects.requireNonNull(collection, "collection");
    if (!collection.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException(
          "collection name '" + collection + "': use letters, digits, '.', '_', '-'");
    }
    if (shards < 1 || replicas < 1) {
      throw new IllegalArgumentException("shards and replicas must be >= 1");
    }
    if (retries < 0) {
      throw new IllegalArgumentException("retries must be >= 0");
    }
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(notices, "notices");
  }

  /**
   * The collection {@code collection} on the nodes {@code urls} (comma-separated), 1 shard, 1
   * replica, 6 retries, notices dropped.
   */
  public static SolrSettings of(String urls, String collection) {
    List<String> list =
        Arrays.stream(urls.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    return new SolrSettings(
        list, collection, 1, 1, SolrNodes.DEFAULT_RETRIES, DEFAULT_TIMEOUT, m -> {});
  }

  public SolrSettings shards(int n) {
    return new SolrSettings(urls, collection, n, replicas, retries, timeout, notices);
  }

  public SolrSettings replicas(int n) {
    return new SolrSettings(urls, collection, shards, n, retries, timeout, notices);
  }

  public SolrSettings retries(int n) {
    return new SolrSettings(urls, collection, shards, replicas, n, timeout, notices);
  }

  public SolrSettings timeout(Duration t) {
    return new SolrSettings(urls, collection, shards, replicas, retries, t, notices);
  }

  public SolrSettings notices(Consumer<String> n) {
    return new SolrSettings(urls, collection, shards, replicas, retries, timeout, n);
  }
}
