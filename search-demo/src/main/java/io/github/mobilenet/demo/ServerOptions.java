package io.github.mobilenet.demo;

import io.github.mobilenet.demo.web.SearchBackend;
import io.github.mobilenet.demo.web.WebServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** Options shared by {@code serve} and {@code demo}, and the blocking run of the web server. */
final class ServerOptions {
  static final Set<String> VALUED = Set.of("host", "port", "max-upload-mb", "threads");
  static final int DEFAULT_PORT = 8080;

  private ServerOptions() {}

  static String usage() {
    return "[--host 127.0.0.1] [--port 8080] [--max-upload-mb 20] [--threads N]";
  }

  static Set<String> with(Set<String> more) {
    java.util.HashSet<String> all = new java.util.HashSet<>(VALUED);
    all.addAll(more);
    return all;
  }

  /**
   * Starts the server and blocks until the JVM is asked to stop (Ctrl-C), then closes server and backend.
   * Without {@code --port}, a busy 8080 falls back to a free port.
   */
  static int serve(SearchBackend backend, Args a, PrintStream out, PrintStream err) throws UsageException {
    String host = a.get("host", "127.0.0.1");
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new UsageException("--host: unknown host '" + host + "'");
    }
    int port = a.getInt("port", DEFAULT_PORT, 0, 65535);
    WebServer.Options options = WebServer.Options.defaults()
        .withMaxUploadBytes((long) a.getInt("max-upload-mb", 20, 1, 1024) << 20);
    if (a.has("threads")) {
      WebServer.Options d = options;
      options = new WebServer.Options(d.maxUploadBytes(), a.getInt("threads", d.threads(), 1, 256), d.queueLength(),
          d.thumbnailBox(), d.thumbnailCacheBytes(), d.maxK());
    }
    WebServer server;
    try {
      server = start(backend, new InetSocketAddress(address, port), options, err);
    } catch (BindException e) {
      if (a.has("port")) {
        err.println("mobilenet: cannot listen on " + host + ":" + port + ": " + e.getMessage());
        backend.close();
        return Command.SOME_FAILED;
      }
      try {
        server = start(backend, new InetSocketAddress(address, 0), options, err);
        err.println("mobilenet: port " + port + " is busy; using " + server.port() + " instead");
      } catch (IOException e2) {
        err.println("mobilenet: cannot listen on " + host + ": " + e2.getMessage());
        backend.close();
        return Command.SOME_FAILED;
      }
    } catch (IOException e) {
      err.println("mobilenet: cannot listen on " + host + ":" + port + ": " + e.getMessage());
      backend.close();
      return Command.SOME_FAILED;
    }
    if (!address.isLoopbackAddress()) {
      err.println("mobilenet: WARNING: listening on " + host + ", not loopback: anyone who can reach this machine"
          + " can search the index and view its images");
    }
    WebServer running = server;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      running.close();
      backend.close();
      stopped.countDown();
    }, "mobilenet-web-shutdown"));
    out.println("Serving " + backend.facts().count() + " images at " + server.uri() + "  (Ctrl-C to stop)");
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Command.OK;
  }

  private static WebServer start(SearchBackend backend, InetSocketAddress address, WebServer.Options options,
      PrintStream err) throws IOException {
    return WebServer.start(backend, address, options, err);
  }
}
