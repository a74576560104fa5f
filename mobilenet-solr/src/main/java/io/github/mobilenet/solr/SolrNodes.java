package io.github.mobilenet.solr;

import io.github.mobilenet.embeddings.EmbeddingsException;
import io.github.mobilenet.embeddings.EmbeddingsException.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.SolrResponse;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.HttpJdkSolrClient;
import org.apache.solr.common.SolrException;

/**
 * The Solr nodes a {@link SolrImageIndex} talks to, one HTTP client each (the JDK's, so no Jetty
 * client joins the classpath), and the retry policy: a request goes to one node; a transient
 * failure (connection refused or reset, a timeout, HTTP 502/503/504, a shard with no live replica)
 * moves to the next node after a backoff (0.25 s doubling up to 4 s) until the attempts run out.
 * Any node of a SolrCloud routes updates to shard leaders and fans queries out to every shard, so
 * each request needs just one live node. Thread-safe.
 */
final class SolrNodes implements AutoCloseable {
  /** Retries of one request after its first attempt by default. */
  static final int DEFAULT_RETRIES = 6;

  private static final long FIRST_BACKOFF_MS = 250;
  private static final long MAX_BACKOFF_MS = 4000;

  private final List<String> urls;
  private final List<SolrClient> clients = new ArrayList<>();
  private final AtomicInteger next = new AtomicInteger();
  private final int retries;
  private final Consumer<String> notices;

  /** A request to one node; {@link #call} retries it. */
  @FunctionalInterface
  interface Call<T> {
    T on(SolrClient client) throws SolrServerException, IOException;
  }

  SolrNodes(List<String> urls, int retries, long timeoutMs, Consumer<String> notices) {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("no Solr URL given");
    }
    this.urls = List.copyOf(urls);
    this.retries = retries;
    this.notices = notices;
    for (String u : this.urls) {
      clients.add(
          new HttpJdkSolrClient.Builder(normalise(u))
              .useHttp1_1(true)
              .withConnectionTimeout(Math.min(timeoutMs, 10_000), TimeUnit.MILLISECONDS)
              .withIdleTimeout(timeoutMs, TimeUnit.MILLISECONDS)
              .withRequestTimeout(timeoutMs, TimeUnit.MILLISECONDS)
              .build());
    }
  }

  /** A base URL as SolrJ wants it: {@code http://host:port/solr}, no trailing slash. */
  static String normalise(String url) {
    String u = url.strip();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    try {
      URI uri = URI.create(u);
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "Solr URL " + url + " is not an http(s) URL like http://host:8983/solr");
      }
    } catch (IllegalArgumentException e) {
      throw new EmbeddingsException(
          Reason.NOT_FOUND,
          null,
          e.getMessage() != null && e.getMessage().startsWith("Solr URL")
              ? e.getMessage()
              : "Solr URL " + url + " is not a URL: " + e.getMessage());
    }
    return u.endsWith("/solr") ? u : u + "/solr";
  }

  List<String> urls() {
    return urls;
  }

  /**
   * Sends {@code request} with {@link #call}.
   *
   * @param doing what the request does, for messages, e.g. {@code "search collection photos"}
   */
  <R extends SolrResponse> R send(SolrRequest<R> request, String collection, String doing) {
    return call(c -> request.process(c, collection), doing);
  }

  /**
   * Runs {@code call} against one node after another until it succeeds, a non-transient error comes
   * back, or the retries are used up; each retry is told to the notices.
   *
   * @throws EmbeddingsException {@link Reason#NOT_FOUND} when no node answers as a Solr (wrong URL,
   *     HTTP 404), {@link Reason#IO_ERROR} for other failures and for transient ones that outlast
   *     the retries
   */
  <T> T call(Call<T> call, String doing) {
    long backoff = FIRST_BACKOFF_MS;
    for (int attempt = 0; ; attempt++) {
      int node = Math.floorMod(next.getAndIncrement(), clients.size());
      try {
        return call.on(clients.get(node));
      } catch (SolrServerException | IOException | SolrException e) {
        boolean transientError = isTransient(e);
        if (!transientError || attempt >= retries) {
          throw failure(e, doing, node, transientError, attempt);
        }
        notices.accept(
            "Solr "
                + urls.get(node)
                + ": "
                + doing
                + ": "
                + brief(e)
                + "; retry "
                + (attempt + 1)
                + " of "
                + retries
                + " in "
                + backoff
                + " ms");
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new EmbeddingsException(Reason.INTERRUPTED, null, doing + ": interrupted", ie);
        }
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
      }
    }
  }

  /** Failures a retry, possibly on another node, may cure. */
  static boolean isTransient(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof HttpTimeoutException
          || t instanceof java.net.SocketTimeoutException
          || t instanceof java.nio.channels.ClosedChannelException) {
        return true;
      }
      if (t instanceof SolrException se) {
        int code = se.code();
        if (code == 502 || code == 503 || code == 504 || code == 510) {
          return true;
        }
        String m = String.valueOf(se.getMessage());
        if (m.contains("No active replicas")
            || m.contains("no servers hosting shard")
            || m.contains("No registered leader")
            || m.contains("is not active")) {
          return true;
        }
      }
      if (t instanceof IOException io
          && String.valueOf(io.getMessage()).matches("(?is).*(reset|closed|broken pipe|EOF).*")) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private EmbeddingsException failure(
      Exception e, String doing, int node, boolean transientError, int attempts) {
    String where = "Solr " + urls.get(node);
    if (e instanceof SolrException r && r.code() == 404) {
      return new EmbeddingsException(
          Reason.NOT_FOUND,
          null,
          where
              + ": "
              + doing
              + ": HTTP 404: no Solr there, or no such collection (give the base URL, e.g."
              + " http://host:8983/solr)",
          e);
    }
    if (transientError && refused(e)) {
      return new EmbeddingsException(
          Reason.NOT_FOUND,
          null,
          "no Solr answers at "
              + String.join(", ", urls)
              + " ("
              + doing
              + ": "
              + brief(e)
              + (attempts > 0 ? ", after " + attempts + " retries" : "")
              + ")",
          e);
    }
    return new EmbeddingsException(
        Reason.IO_ERROR,
        null,
        where
            + ": "
            + doing
            + ": "
            + brief(e)
            + (transientError ? " (still failing after " + attempts + " retries)" : ""),
        e);
  }

  /** Whether the node refused the connection (nothing listens there). */
  static boolean refused(Throwable e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return true;
      }
    }
    return false;
  }

  static Throwable rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  /** The most telling message: Solr's own, else the innermost cause's. */
  static String brief(Throwable e) {
    if (refused(e)) {
      return "connection refused";
    }
    if (e instanceof SolrException se && se.getMessage() != null) {
      String m = se.getMessage();
      return (m.length() > 300 ? m.substring(0, 300) + "..." : m).replace('\n', ' ');
    }
    Throwable root = rootCause(e);
    return root.getClass().getSimpleName()
        + (root.getMessage() != null ? ": " + root.getMessage() : "");
  }

  @Override
  public void close() {
    for (SolrClient c : clients) {
      try {
        c.close();
      } catch (IOException ignored) {
        // closing an HTTP client frees memory only
      }
    }
  }
}
