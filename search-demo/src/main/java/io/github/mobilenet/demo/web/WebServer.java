package io.github.mobilenet.demo.web;

import io.github.mobilenet.core.image.ImageDecoder;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * The demo's HTTP server: one static page and a JSON API over a {@link SearchBackend}, on Jetty.
 *
 * <pre>
 * GET  /                     the page (index.html, app.js, style.css, favicon.svg)
 * GET  /api/stats            index facts
 * POST /api/search?k=&amp;filter=key=value  nearest neighbours of the image in the request body
 * GET  /api/search?id=&amp;k=&amp;filter=   nearest neighbours of an indexed image
 * GET  /api/dups?threshold=  near-duplicate groups
 * GET  /api/images?offset=&amp;limit= indexed images, for browsing
 * GET  /api/thumb/{id}       JPEG thumbnail of an indexed image (cached)
 * GET  /api/image/{id}       the indexed file itself
 * </pre>
 *
 * <p>Each route is its own small type; this class only wires them. Safety: files are addressed only
 * by index id, never by a path from the request; uploads are size-limited and sniffed, whatever
 * their declared type; decodes are bounded ({@link DecodeGate}); a connection that stalls holds no
 * thread and is closed after the idle timeout; when bound to a loopback address, requests naming
 * another host (DNS rebinding) are refused. Errors are JSON {@code {"error": ..., "status": ...}}.
 * Thread-safe; {@link #close()} stops it.
 */
public final class WebServer implements AutoCloseable {

  /**
   * Server settings.
   *
   * @param maxUploadBytes larger uploads get 413
   * @param threads request threads
   * @param queueLength requests waiting for a thread; beyond it, new work is refused
   * @param thumbnailBox longer side of thumbnails, pixels
   * @param thumbnailCacheBytes thumbnail cache capacity
   * @param maxK largest k a search may ask for
   * @param maxFilters most filter conditions one search may carry (more is a 400)
   * @param maxDecodePixels pixels decoded at once (uploads, thumbnails, TIFF originals; each decode
   *     counts its width × height); beyond it an upload gets 503 with Retry-After at once
   * @param decodeWait how long a thumbnail or TIFF original waits for a decode slot before its 503
   *     (uploads never wait: a waiting request holds a thread)
   * @param idleTimeout a connection that sends or reads nothing this long is closed (headers and
   *     body alike); stalled clients hold no thread meanwhile
   * @param absolutePaths answers show absolute server paths (else relative to {@code pathRoot})
   * @param pathRoot paths in answers are relative to this folder; null: the deepest folder that
   *     holds every indexed file
   */
  public record Options(
      long maxUploadBytes,
      int threads,
      int queueLength,
      int thumbnailBox,
      long thumbnailCacheBytes,
      int maxK,
      int maxFilters,
      long maxDecodePixels,
      Duration decodeWait,
      Duration idleTimeout,
      boolean absolutePaths,
      Path pathRoot) {
    /** Filters per search by default; Lucene refuses queries of more than 1 024 clauses. */
    public static final int DEFAULT_MAX_FILTERS = 64;

    /**
     * Heap a decode of the largest image the decoder accepts (100 megapixels) may take, for sizing
     * the default decode budget.
     */
    public static final long BYTES_PER_LARGEST_DECODE = 768L << 20;

    public Options {
      if (maxUploadBytes < 1
          || maxUploadBytes > Integer.MAX_VALUE - 16
          || threads < 1
          || queueLength < 1
          || thumbnailBox < 16
          || thumbnailCacheBytes < 0
          || maxK < 1
          || maxFilters < 0
          || maxFilters > 1000
          || maxDecodePixels < 1
          || decodeWait == null
          || decodeWait.isNegative()
          || idleTimeout == null
          || idleTimeout.toMillis() < 1) {
        throw new IllegalArgumentException("invalid server options " + this);
      }
    }

    /** The first six settings, the rest as in {@link #defaults()}. */
    public Options(
        long maxUploadBytes,
        int threads,
        int queueLength,
        int thumbnailBox,
        long thumbnailCacheBytes,
        int maxK) {
      this(
          maxUploadBytes,
          threads,
          queueLength,
          thumbnailBox,
          thumbnailCacheBytes,
          maxK,
          DEFAULT_MAX_FILTERS,
          defaultDecodePixels(),
          Duration.ofSeconds(5),
          Duration.ofSeconds(5),
          false,
          null);
    }

    /**
     * 20 MB uploads, 2 threads per core (at least 4), 256×256 thumbnails in a 64 MB cache, k ≤ 200,
     * 64 filters, {@link #defaultDecodePixels()} pixels decoded at once (thumbnails wait up to 5 s
     * for room), a 5 s idle timeout, paths relative to the indexed files' common folder.
     */
    public static Options defaults() {
      return new Options(
          20L << 20,
          Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
          1024,
          256,
          64L << 20,
          200);
    }

    /**
     * Room for one largest (100-megapixel) decode per core, but no more than the heap holds at
     * {@link #BYTES_PER_LARGEST_DECODE} each, and at least one.
     */
    public static long defaultDecodePixels() {
      long byHeap = Runtime.getRuntime().maxMemory() / BYTES_PER_LARGEST_DECODE;
      long decodes = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), byHeap));
      return decodes * ImageDecoder.DEFAULT_MAX_PIXELS;
    }

    /** A builder that starts from {@link #defaults()}. */
    public static Builder builder() {
      return defaults().toBuilder();
    }

    /** A builder that starts from these settings. */
    public Builder toBuilder() {
      return new Builder(this);
    }

    public Options withMaxUploadBytes(long bytes) {
      return toBuilder().maxUploadBytes(bytes).build();
    }

    public Options withMaxFilters(int n) {
      return toBuilder().maxFilters(n).build();
    }

    /**
     * @param pixels pixels decoded at once
     * @param wait how long a thumbnail waits for room
     */
    public Options withDecodes(long pixels, Duration wait) {
      return toBuilder().maxDecodePixels(pixels).decodeWait(wait).build();
    }

    public Options withIdleTimeout(Duration timeout) {
      return toBuilder().idleTimeout(timeout).build();
    }

    /**
     * @param absolute show absolute server paths
     * @param root show paths relative to this folder (null: the indexed files' common folder)
     */
    public Options withPaths(boolean absolute, Path root) {
      return toBuilder().absolutePaths(absolute).pathRoot(root).build();
    }

    /**
     * Changes some settings and keeps the rest; {@link #build()} checks them all at once, as the
     * record's constructor does. Not thread-safe; the {@link Options} it builds are immutable.
     */
    public static final class Builder {
      private long maxUploadBytes;
      private int threads;
      private int queueLength;
      private int thumbnailBox;
      private long thumbnailCacheBytes;
      private int maxK;
      private int maxFilters;
      private long maxDecodePixels;
      private Duration decodeWait;
      private Duration idleTimeout;
      private boolean absolutePaths;
      private Path pathRoot;

      private Builder(Options from) {
        maxUploadBytes = from.maxUploadBytes;
        threads = from.threads;
        queueLength = from.queueLength;
        thumbnailBox = from.thumbnailBox;
        thumbnailCacheBytes = from.thumbnailCacheBytes;
        maxK = from.maxK;
        maxFilters = from.maxFilters;
        maxDecodePixels = from.maxDecodePixels;
        decodeWait = from.decodeWait;
        idleTimeout = from.idleTimeout;
        absolutePaths = from.absolutePaths;
        pathRoot = from.pathRoot;
      }

      public Builder maxUploadBytes(long bytes) {
        maxUploadBytes = bytes;
        return this;
      }

      public Builder threads(int n) {
        threads = n;
        return this;
      }

      public Builder queueLength(int n) {
        queueLength = n;
        return this;
      }

      public Builder thumbnailBox(int pixels) {
        thumbnailBox = pixels;
        return this;
      }

      public Builder thumbnailCacheBytes(long bytes) {
        thumbnailCacheBytes = bytes;
        return this;
      }

      public Builder maxK(int k) {
        maxK = k;
        return this;
      }

      public Builder maxFilters(int n) {
        maxFilters = n;
        return this;
      }

      public Builder maxDecodePixels(long pixels) {
        maxDecodePixels = pixels;
        return this;
      }

      public Builder decodeWait(Duration wait) {
        decodeWait = wait;
        return this;
      }

      public Builder idleTimeout(Duration timeout) {
        idleTimeout = timeout;
        return this;
      }

      public Builder absolutePaths(boolean absolute) {
        absolutePaths = absolute;
        return this;
      }

      public Builder pathRoot(Path root) {
        pathRoot = root;
        return this;
      }

      /**
       * @throws IllegalArgumentException when a setting is out of range
       */
      public Options build() {
        return new Options(
            maxUploadBytes,
            threads,
            queueLength,
            thumbnailBox,
            thumbnailCacheBytes,
            maxK,
            maxFilters,
            maxDecodePixels,
            decodeWait,
            idleTimeout,
            absolutePaths,
            pathRoot);
      }
    }
  }

  private final Server jetty;
  private final ServerConnector connector;
  private final InetSocketAddress address;

  private WebServer(
      SearchBackend backend, InetSocketAddress address, Options options, PrintStream log) {
    this.address = address;
    QueuedThreadPool pool =
        new QueuedThreadPool(
            options.threads() + 2, // + the acceptor and the selector
            Math.min(options.threads() + 2, 4),
            60_000,
            0,
            new BlockingArrayQueue<>(options.queueLength(), 0, options.queueLength()),
            null);
    pool.setName("mobilenet-web");
    pool.setDaemon(true);
    this.jetty =
        new Server(pool, new ScheduledExecutorScheduler("mobilenet-web-timer", true), null);
    jetty.setStopTimeout(1000);

    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setRequestHeaderSize(16 << 10); // room for a URL with many filter= conditions
    this.connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(address.getAddress() == null ? null : address.getAddress().getHostAddress());
    connector.setPort(address.getPort());
    connector.setIdleTimeout(options.idleTimeout().toMillis());
    connector.setAcceptQueueSize(128);
    jetty.addConnector(connector);

    ErrorResponses errors = new ErrorResponses(log);
    jetty.setErrorHandler(new ErrorResponses.JsonErrorHandler());
    jetty.setHandler(routes(backend, options, errors, address));
  }

  private static Router routes(
      SearchBackend backend, Options options, ErrorResponses errors, InetSocketAddress address) {
    Thumbnails thumbnails = new Thumbnails(options.thumbnailBox(), options.thumbnailCacheBytes());
    DecodeGate decodes = new DecodeGate(options.maxDecodePixels());
    ImageJson json =
        new ImageJson(backend, new PathDisplay(options.absolutePaths(), options.pathRoot()));
    boolean loopback = address.getAddress() != null && address.getAddress().isLoopbackAddress();
    Router r = new Router(new HostGuard(loopback), errors, options.maxUploadBytes());
    Route stats = new StatsRoute(backend, options, thumbnails, decodes);
    Route dups = new DuplicatesRoute(backend, json);
    Route images = new ImagesRoute(backend, json);
    Route thumb =
        new ThumbnailRoute(
            backend, thumbnails, decodes, options.decodeWait(), options.thumbnailBox());
    Route original = new OriginalRoute(backend, decodes, options.decodeWait());
    r.at("/api/stats", "GET", stats, "HEAD", stats)
        .at(
            "/api/search",
            "GET",
            new SearchByIdRoute(backend, json, options),
            "POST",
            new UploadSearchRoute(backend, json, options, decodes))
        .at("/api/dups", "GET", dups, "HEAD", dups)
        .at(
            "/api/match",
            "GET",
            new MatchRoute(backend, json, decodes, options.decodeWait()),
            "POST",
            new UploadMatchRoute(backend, json, decodes))
        .at("/api/images", "GET", images, "HEAD", images)
        .under(ThumbnailRoute.PREFIX, "GET", thumb, "HEAD", thumb)
        .under(OriginalRoute.PREFIX, "GET", original, "HEAD", original);
    StaticFiles page = new StaticFiles();
    for (String path : page.paths()) {
      r.at(path, "GET", page, "HEAD", page);
    }
    return r;
  }

  /**
   * Binds and starts serving.
   *
   * @param address host and port (port 0 picks a free one)
   * @param log where server-side failures are reported
   * @throws BindException when the address is in use or cannot be bound
   */
  public static WebServer start(
      SearchBackend backend, InetSocketAddress address, Options options, PrintStream log)
      throws IOException {
    WebServer server = new WebServer(backend, address, options, log);
    try {
      server.jetty.start();
    } catch (Exception e) {
      server.close();
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof BindException b) {
          throw b;
        }
      }
      throw e instanceof IOException io ? io : new IOException("cannot start the server: " + e, e);
    }
    return server;
  }

  public int port() {
    return connector.getLocalPort();
  }

  /** The page's address, e.g. {@code http://127.0.0.1:8080/}. */
  public URI uri() {
    String host =
        address.getAddress() == null || address.getAddress().isAnyLocalAddress()
            ? "127.0.0.1"
            : address.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + port() + "/");
  }

  /** Stops accepting, lets running requests finish for up to a second, and stops the threads. */
  @Override
  public void close() {
    try {
      jetty.stop();
    } catch (Exception e) {
      // Stopping is best effort: the threads are daemons and the port is released either way.
    }
  }
}
