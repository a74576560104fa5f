package io.github.mobilenet.demo.cli;

import io.github.mobilenet.demo.web.IndexBackend;
import io.github.mobilenet.demo.web.WebServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Option;

/** Options shared by {@code serve} and {@code demo}, and running the web server until Ctrl-C. */
final class ServerOptions {
  static final int DEFAULT_PORT = 8080;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      defaultValue = "127.0.0.1",
      description =
          "Address to bind (default: ${DEFAULT-VALUE}; others can reach a non-loopback one).")
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Port, 0..65535 (default: 8080, or a free one when 8080 is busy).")
  Integer port;

  @Option(
      names = "--max-upload-mb",
      paramLabel = "MB",
      defaultValue = "20",
      description = "Largest query image upload, 1..1024 (default: ${DEFAULT-VALUE}).")
  int maxUploadMb;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Request threads, 1..256 (default: the server's).")
  Integer threads;

  @Option(
      names = "--absolute-paths",
      description =
          "Answers show absolute server paths (default: paths relative to --path-root, so the"
              + " server's folder layout stays private).")
  boolean absolutePaths;

  @Option(
      names = "--path-root",
      paramLabel = "DIR",
      description =
          "Paths in answers are relative to DIR; a file outside it shows as its file name"
              + " (default: the deepest folder holding every indexed file).")
  java.nio.file.Path pathRoot;

  @Option(
      names = "--max-filters",
      paramLabel = "N",
      description = "Most filter= parameters per search, 0..1000 (default: 64).")
  Integer maxFilters;

  @Option(
      names = "--max-decode-megapixels",
      paramLabel = "MP",
      description =
          "Pixels decoded at once across all requests, in megapixels, 1..100000; an upload that"
              + " does not fit gets 503 with Retry-After (default: 100 per core, as the heap allows).")
  Integer maxDecodeMegapixels;

  @Option(
      names = "--idle-timeout",
      paramLabel = "SECONDS",
      description =
          "A connection that sends or reads nothing this long is closed, 1..600 (default: 5).")
  Integer idleTimeoutSeconds;

  /** Where and how to listen, parsed and checked before any slow work starts. */
  record Settings(
      String host, InetAddress address, int port, boolean portGiven, WebServer.Options options) {}

  Settings settings() throws UsageException {
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new UsageException("--host: unknown host '" + host + "'");
    }
    int p = Check.range("--port", port, DEFAULT_PORT, 0, 65535);
    WebServer.Options d = WebServer.Options.defaults();
    WebServer.Options options =
        new WebServer.Options(
            (long) Check.range("--max-upload-mb", maxUploadMb, 20, 1, 1024) << 20,
            Check.range("--threads", threads, d.threads(), 1, 256),
            d.queueLength(),
            d.thumbnailBox(),
            d.thumbnailCacheBytes(),
            d.maxK());
    options =
        options
            .withMaxFilters(Check.range("--max-filters", maxFilters, d.maxFilters(), 0, 1000))
            .withIdleTimeout(
                java.time.Duration.ofSeconds(
                    Check.range(
                        "--idle-timeout",
                        idleTimeoutSeconds,
                        (int) d.idleTimeout().toSeconds(),
                        1,
                        600)))
            .withPaths(absolutePaths, pathRoot);
    if (maxDecodeMegapixels != null) {
      long pixels =
          1_000_000L * Check.range("--max-decode-megapixels", maxDecodeMegapixels, 100, 1, 100_000);
      options = options.withDecodes(pixels, d.decodeWait());
    }
    if (absolutePaths && pathRoot != null) {
      throw new UsageException("--absolute-paths and --path-root exclude each other");
    }
    return new Settings(host, address, p, port != null, options);
  }

  /**
   * Starts the server, prints its address and blocks until the JVM is asked to stop (Ctrl-C), then
   * closes server and backend. Returns 1 when it cannot listen.
   */
  static int serve(IndexBackend backend, Settings settings, PrintStream out, PrintStream err) {
    WebServer server;
    try {
      server = listen(backend, settings, err);
    } catch (IOException e) {
      err.println(
          "mobilenet: cannot listen on "
              + settings.host()
              + ":"
              + settings.port()
              + ": "
              + e.getMessage());
      backend.close();
      return ExitCode.SOME_FAILED;
    } catch (RuntimeException e) {
      backend.close();
      throw e;
    }
    backend.warmUp();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  backend.close();
                  stopped.countDown();
                },
                "mobilenet-web-shutdown"));
    out.println(
        "Serving " + backend.facts().count() + " images at " + server.uri() + "  (Ctrl-C to stop)");
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return ExitCode.OK;
  }

  /**
   * Binds as the settings say. Without {@code --port}, a busy 8080 falls back to a free port (and
   * says so).
   *
   * @throws IOException when the address cannot be bound
   */
  static WebServer listen(IndexBackend backend, Settings settings, PrintStream err)
      throws IOException {
    WebServer server;
    try {
      server =
          WebServer.start(
              backend,
              new InetSocketAddress(settings.address(), settings.port()),
              settings.options(),
              err);
    } catch (BindException e) {
      if (settings.portGiven()) {
        throw e;
      }
      server =
          WebServer.start(
              backend, new InetSocketAddress(settings.address(), 0), settings.options(), err);
      err.println(
          "mobilenet: port " + settings.port() + " is busy; using " + server.port() + " instead");
    }
    if (!settings.address().isLoopbackAddress()) {
      err.println(
          "mobilenet: WARNING: listening on "
              + settings.host()
              + ", not loopback: anyone who can reach this"
              + " machine can search the index and view its images");
    }
    return server;
  }
}
