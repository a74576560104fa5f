package io.github.mobilenet.demo.web;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.mobilenet.core.image.ImageDecodeException;
import io.github.mobilenet.core.image.ImageDecoder;
import io.github.mobilenet.core.image.ImageFormat;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.util.Hashing;
import io.github.mobilenet.demo.cli.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The demo's HTTP server: one static page and a JSON API over a {@link SearchBackend}.
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
 * <p>Safety: files are addressed only by index id, never by a path from the request; uploads are
 * size-limited and sniffed, whatever their declared type; requests run on a bounded pool; when
 * bound to a loopback address, requests naming another host (DNS rebinding) are refused. Errors are
 * JSON {@code {"error": ..., "status": ...}}.
 */
public final class WebServer implements AutoCloseable {
  static {
    // A client that never finishes sending its request must not hold a pool thread for ever. The
    // JDK
    // server reads this once, before its first use.
    if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
      System.setProperty("sun.net.httpserver.maxReqTime", "60");
    }
  }

  /** Ids are content hashes: letters, digits, '-' and '_' only, so no id can spell a path. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  private static final String RESOURCES = "/io/github/mobilenet/demo/web/";
  private static final Map<String, String> PAGE_FILES =
      Map.of(
          "/index.html", "text/html; charset=utf-8",
          "/app.js", "text/javascript; charset=utf-8",
          "/style.css", "text/css; charset=utf-8",
          "/favicon.svg", "image/svg+xml");
  private static final String PAGE_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; "
          + "img-src 'self' blob: data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  /**
   * Server settings.
   *
   * @param maxUploadBytes larger uploads get 413
   * @param threads request threads
   * @param queueLength requests waiting for a thread; beyond it, accepting new connections waits
   * @param thumbnailBox longer side of thumbnails, pixels
   * @param thumbnailCacheBytes thumbnail cache capacity
   * @param maxK largest k a search may ask for
   */
  public record Options(
      long maxUploadBytes,
      int threads,
      int queueLength,
      int thumbnailBox,
      long thumbnailCacheBytes,
      int maxK) {
    public Options {
      if (maxUploadBytes < 1
          || maxUploadBytes > Integer.MAX_VALUE - 16
          || threads < 1
          || queueLength < 1
          || thumbnailBox < 16
          || thumbnailCacheBytes < 0
          || maxK < 1) {
        throw new IllegalArgumentException("invalid server options " + this);
      }
    }

    /**
     * 20 MB uploads, 2 threads per core (at least 4), 256×256 thumbnails in a 64 MB cache, k ≤ 200.
     */
    public static Options defaults() {
      return new Options(
          20L << 20,
          Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
          64,
          256,
          64L << 20,
          200);
    }

    public Options withMaxUploadBytes(long bytes) {
      return new Options(bytes, threads, queueLength, thumbnailBox, thumbnailCacheBytes, maxK);
    }
  }

  private final SearchBackend backend;
  private final Options options;
  private final HttpServer http;
  private final ThreadPoolExecutor pool;
  private final Thumbnails thumbnails;
  private final Map<String, StaticFile> page;
  private final boolean loopbackOnly;
  private final PrintStream log;

  private record StaticFile(byte[] body, String type, String etag) {}

  private WebServer(
      SearchBackend backend, InetSocketAddress address, Options options, PrintStream log)
      throws IOException {
    this.backend = backend;
    this.options = options;
    this.log = log;
    this.page = loadPage();
    this.thumbnails = new Thumbnails(options.thumbnailBox(), options.thumbnailCacheBytes());
    this.loopbackOnly = address.getAddress() != null && address.getAddress().isLoopbackAddress();
    AtomicInteger n = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            options.threads(),
            options.threads(),
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(options.queueLength()),
            r -> {
              Thread t = new Thread(r, "mobilenet-web-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            (r, executor) -> {
              // Queue full: the accepting thread waits for room (back-pressure) instead of dropping
              // the connection.
              try {
                if (executor.isShutdown()) {
                  throw new RejectedExecutionException("server stopped");
                }
                executor.getQueue().put(r);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RejectedExecutionException("interrupted", e);
              }
            });
    this.http = HttpServer.create(address, 128);
    http.createContext("/", this::handle);
    http.setExecutor(pool);
  }

  /**
   * Binds and starts serving.
   *
   * @param address host and port (port 0 picks a free one)
   * @param log where server-side failures are reported
   */
  public static WebServer start(
      SearchBackend backend, InetSocketAddress address, Options options, PrintStream log)
      throws IOException {
    WebServer server = new WebServer(backend, address, options, log);
    server.http.start();
    return server;
  }

  public int port() {
    return http.getAddress().getPort();
  }

  /** The page's address, e.g. {@code http://127.0.0.1:8080/}. */
  public URI uri() {
    InetSocketAddress a = http.getAddress();
    String host =
        a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + a.getPort() + "/");
  }

  /** Stops accepting, lets running requests finish for up to a second, and stops the threads. */
  @Override
  public void close() {
    http.stop(1);
    pool.shutdownNow();
  }

  // ---- dispatch ---------------------------------------------------------------------------------

  private void handle(HttpExchange ex) {
    try (ex) {
      try {
        if (!hostAllowed(ex.getRequestHeaders().getFirst("Host"))) {
          throw new ApiException(
              403, "this server answers only requests addressed to a loopback host");
        }
        route(ex);
      } catch (ApiException e) {
        e.headers.forEach(ex.getResponseHeaders()::set);
        sendError(ex, e.status, e.getMessage());
      } catch (SearchBackend.UnknownImageException e) {
        sendError(ex, 404, e.getMessage());
      } catch (ImageDecodeException e) {
        sendError(ex, decodeStatus(e), e.getMessage());
      } catch (IllegalArgumentException e) {
        sendError(ex, 400, e.getMessage());
      } catch (RuntimeException e) {
        log.println(
            "mobilenet serve: "
                + ex.getRequestMethod()
                + " "
                + ex.getRequestURI().getRawPath()
                + " failed: "
                + e);
        sendError(ex, 500, "internal error: " + e.getClass().getSimpleName());
      }
    } catch (IOException e) {
      // The client went away; nothing to answer.
    }
  }

  static int decodeStatus(ImageDecodeException e) {
    return switch (e.reason()) {
      case TOO_LARGE -> 413;
      case IO_ERROR -> 500;
      default -> 400;
    };
  }

  private void route(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getRawPath();
    if (path == null || path.isEmpty()) {
      throw new ApiException(400, "no request path");
    }
    if (!path.startsWith("/api/")) {
      StaticFile f = page.get(path.equals("/") ? "/index.html" : path);
      if (f == null) {
        throw new ApiException(404, "not found");
      }
      allow(method, "GET", "HEAD");
      sendStatic(ex, f);
      return;
    }
    Map<String, List<String>> q = query(ex.getRequestURI().getRawQuery());
    switch (path) {
      case "/api/stats" -> {
        allow(method, "GET", "HEAD");
        sendJson(ex, 200, stats());
      }
      case "/api/search" -> {
        allow(method, "GET", "POST");
        sendJson(ex, 200, method.equals("POST") ? searchUpload(ex, q) : searchById(q));
      }
      case "/api/dups" -> {
        allow(method, "GET", "HEAD");
        sendJson(ex, 200, duplicates(q));
      }
      case "/api/images" -> {
        allow(method, "GET", "HEAD");
        sendJson(ex, 200, images(q));
      }
      default -> {
        if (path.startsWith("/api/thumb/")) {
          allow(method, "GET", "HEAD");
          thumbnail(ex, indexed(path.substring("/api/thumb/".length())));
        } else if (path.startsWith("/api/image/")) {
          allow(method, "GET", "HEAD");
          original(ex, indexed(path.substring("/api/image/".length())));
        } else {
          throw new ApiException(404, "no such API endpoint");
        }
      }
    }
  }

  private static void allow(String method, String... allowed) {
    for (String a : allowed) {
      if (a.equals(method)) {
        return;
      }
    }
    throw new ApiException(
            405, method + " is not allowed here (allowed: " + String.join(", ", allowed) + ")")
        .header("Allow", String.join(", ", allowed));
  }

  /** DNS rebinding guard: a page on another site may resolve its own name to 127.0.0.1. */
  boolean hostAllowed(String host) {
    if (!loopbackOnly || host == null) {
      return true;
    }
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      h = end < 0 ? h : h.substring(0, end + 1);
    } else if (h.indexOf(':') >= 0) {
      h = h.substring(0, h.indexOf(':'));
    }
    return h.equals("localhost")
        || h.equals("[::1]")
        || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }

  // ---- endpoints --------------------------------------------------------------------------------

  private Map<String, Object> stats() {
    IndexFacts f = backend.facts();
    Map<String, Object> m =
        Json.obj(
            "count", f.count(),
            "model", f.model(),
            "layer", f.layer(),
            "pooling", f.pooling(),
            "preprocessing", f.preprocessing(),
            "format", f.format(),
            "dimensions", f.dimensions(),
            "augment", f.augment(),
            "tags", f.tags(),
            "index", f.location());
    m.put("limits", Json.obj("maxUploadBytes", options.maxUploadBytes(), "maxK", options.maxK()));
    m.put("thumbnails", thumbnails.stats());
    return m;
  }

  private Map<String, Object> searchUpload(HttpExchange ex, Map<String, List<String>> q)
      throws IOException {
    int k = intParam(q, "k", 10, 1, options.maxK());
    List<TagFilter> filters = filters(q);
    byte[] body = readUpload(ex);
    String contentType = ex.getRequestHeaders().getFirst("Content-Type");
    if (contentType != null
        && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      body = Multipart.firstFile(body, contentType);
    }
    ImageFormat format = ImageFormat.sniff(body);
    if (body.length == 0) {
      throw new ApiException(400, "upload: empty request body (send the image bytes as the body)");
    }
    if (format == null) {
      // Content is sniffed; a declared type or file name never makes bytes an image.
      throw new ApiException(
          400,
          "upload: not an image (unrecognised signature; JPEG, PNG, GIF, BMP, WebP and TIFF are accepted)");
    }
    long t0 = System.nanoTime();
    List<Hit> hits = backend.searchByImage(body, k, filters);
    return Json.obj(
        "query", Json.obj("upload", Json.obj("bytes", body.length, "format", format.name())),
        "k", k,
        "filters", filters.stream().map(TagFilter::toString).toList(),
        "tookMs", millisSince(t0),
        "hits", hitsJson(hits));
  }

  private Map<String, Object> searchById(Map<String, List<String>> q) {
    String id = param(q, "id");
    if (id == null) {
      throw new ApiException(400, "GET /api/search needs ?id=ID (or POST the image bytes)");
    }
    IndexedImage query = indexed(id);
    int k = intParam(q, "k", 10, 1, options.maxK());
    List<TagFilter> filters = filters(q);
    long t0 = System.nanoTime();
    List<Hit> hits = backend.searchById(query.id(), k, filters);
    return Json.obj(
        "query", imageJson(query),
        "k", k,
        "filters", filters.stream().map(TagFilter::toString).toList(),
        "tookMs", millisSince(t0),
        "hits", hitsJson(hits));
  }

  private Map<String, Object> duplicates(Map<String, List<String>> q) {
    double threshold = doubleParam(q, "threshold", 0.92, 0.5, 1.0);
    long t0 = System.nanoTime();
    List<List<Hit>> groups = backend.duplicates(threshold);
    List<Object> out = new ArrayList<>(groups.size());
    for (List<Hit> g : groups) {
      out.add(Json.obj("group", hitsJson(g)));
    }
    return Json.obj("threshold", threshold, "tookMs", millisSince(t0), "groups", out);
  }

  private Map<String, Object> images(Map<String, List<String>> q) {
    int offset = intParam(q, "offset", 0, 0, Integer.MAX_VALUE);
    int limit = intParam(q, "limit", 100, 1, 1000);
    List<Object> out = new ArrayList<>();
    for (IndexedImage i : backend.images(offset, limit)) {
      out.add(imageJson(i));
    }
    return Json.obj("total", backend.facts().count(), "offset", offset, "images", out);
  }

  private void thumbnail(HttpExchange ex, IndexedImage image) throws IOException {
    String etag = "\"t" + options.thumbnailBox() + "-" + image.id() + "\"";
    if (notModified(ex, etag)) {
      return;
    }
    Path file = unchanged(image);
    byte[] jpeg;
    try {
      jpeg = thumbnails.get(image.id(), ImageSource.of(file));
    } catch (ImageDecodeException e) {
      throw new ApiException(404, image.name() + " can no longer be decoded: " + e.getMessage());
    }
    Headers h = ex.getResponseHeaders();
    h.set("ETag", etag);
    h.set("Cache-Control", "private, max-age=86400");
    send(ex, 200, "image/jpeg", jpeg);
  }

  private void original(HttpExchange ex, IndexedImage image) throws IOException {
    String etag = "\"i-" + image.id() + "\"";
    if (notModified(ex, etag)) {
      return;
    }
    Path file = unchanged(image);
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(16);
    }
    ImageFormat format = ImageFormat.sniff(head);
    if (format == null) {
      throw new ApiException(404, image.name() + " is no longer an image");
    }
    Headers h = ex.getResponseHeaders();
    h.set("ETag", etag);
    h.set("Cache-Control", "private, max-age=86400");
    h.set("Content-Disposition", "inline; filename*=UTF-8''" + encodeRfc5987(image.name()));
    if (format == ImageFormat.TIFF) {
      // Browsers do not show TIFF: send it upright as PNG.
      send(
          ex,
          200,
          "image/png",
          Thumbnails.png(
              Thumbnails.toBufferedImage(new ImageDecoder().decode(ImageSource.of(file)))));
      return;
    }
    h.set("Content-Type", mediaType(format));
    addCommonHeaders(h);
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(200, -1);
      return;
    }
    ex.sendResponseHeaders(200, image.bytes());
    try (OutputStream out = ex.getResponseBody()) {
      Files.copy(file, out);
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  /** The indexed image with this id; 404 for anything else, including strings that are not ids. */
  private IndexedImage indexed(String id) {
    if (!ID.matcher(id).matches()) {
      throw new ApiException(404, "not an image id (ids are letters, digits, '-' and '_')");
    }
    return backend.image(id).orElseThrow(() -> new SearchBackend.UnknownImageException(id));
  }

  /**
   * The image's file, if it is still the file that was indexed (same size and modification time).
   */
  private static Path unchanged(IndexedImage image) {
    Path file = image.path();
    try {
      if (!Files.isRegularFile(file)) {
        throw new ApiException(404, image.name() + " is no longer on disk (re-run the index job)");
      }
      long size = Files.size(file);
      long modified = Files.getLastModifiedTime(file).toMillis();
      if (size != image.bytes()
          || (image.modifiedMillis() >= 0 && modified != image.modifiedMillis())) {
        throw new ApiException(
            404, image.name() + " has changed on disk since it was indexed (re-run the index job)");
      }
      return file;
    } catch (NoSuchFileException e) {
      throw new ApiException(404, image.name() + " is no longer on disk (re-run the index job)");
    } catch (IOException e) {
      throw new ApiException(500, image.name() + " cannot be read: " + e.getMessage());
    }
  }

  private byte[] readUpload(HttpExchange ex) throws IOException {
    long max = options.maxUploadBytes();
    String declared = ex.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      try {
        long n = Long.parseLong(declared.trim());
        if (n > max) {
          throw tooLarge(n + " bytes", max);
        }
      } catch (NumberFormatException e) {
        throw new ApiException(400, "bad Content-Length '" + declared + "'");
      }
    }
    byte[] body =
        ex.getRequestBody().readNBytes((int) max + 1); // chunked uploads declare no length
    if (body.length > max) {
      throw tooLarge("more than " + max + " bytes", max);
    }
    return body;
  }

  private static ApiException tooLarge(String what, long max) {
    return new ApiException(
        413,
        "upload of " + what + " exceeds the limit of " + max + " bytes (" + (max >> 20) + " MB)");
  }

  private List<Object> hitsJson(List<Hit> hits) {
    List<Object> out = new ArrayList<>(hits.size());
    int rank = 1;
    for (Hit h : hits) {
      Map<String, Object> m = Json.obj("rank", rank++, "score", (float) h.score());
      m.putAll(imageJson(h.image()));
      out.add(m);
    }
    return out;
  }

  private static Map<String, Object> imageJson(IndexedImage i) {
    return Json.obj(
        "id", i.id(),
        "name", i.name(),
        "path", i.path().toString(),
        "width", i.width(),
        "height", i.height(),
        "bytes", i.bytes(),
        "tags", i.tags(),
        "thumb", "/api/thumb/" + i.id(),
        "image", "/api/image/" + i.id());
  }

  private static double millisSince(long t0) {
    return Math.round((System.nanoTime() - t0) / 1e4) / 100.0;
  }

  static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      try {
        String name =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        out.computeIfAbsent(name, x -> new ArrayList<>()).add(value);
      } catch (IllegalArgumentException e) {
        throw new ApiException(400, "malformed query string: " + e.getMessage());
      }
    }
    return out;
  }

  private static String param(Map<String, List<String>> q, String name) {
    List<String> v = q.get(name);
    return v == null || v.isEmpty() ? null : v.get(v.size() - 1);
  }

  private static int intParam(
      Map<String, List<String>> q, String name, int fallback, int min, int max) {
    String v = param(q, name);
    if (v == null || v.isEmpty()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) {
        throw new ApiException(
            400, name + " must be between " + min + " and " + max + ", got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ApiException(400, name + " must be an integer, got '" + abbreviate(v) + "'");
    }
  }

  private static double doubleParam(
      Map<String, List<String>> q, String name, double fallback, double min, double max) {
    String v = param(q, name);
    if (v == null || v.isEmpty()) {
      return fallback;
    }
    try {
      double d = Double.parseDouble(v.trim());
      if (!(d >= min && d <= max)) {
        throw new ApiException(
            400, name + " must be between " + min + " and " + max + ", got " + abbreviate(v));
      }
      return d;
    } catch (NumberFormatException e) {
      throw new ApiException(400, name + " must be a number, got '" + abbreviate(v) + "'");
    }
  }

  /**
   * {@code filter=key=value} (repeatable) and the shorthand {@code tag=value}: hits must meet all
   * of them.
   */
  private static List<TagFilter> filters(Map<String, List<String>> q) {
    Set<TagFilter> filters = new LinkedHashSet<>();
    for (String f : q.getOrDefault("filter", List.of())) {
      if (!f.isBlank()) {
        filters.add(TagFilter.parse(f));
      }
    }
    for (String t : q.getOrDefault("tag", List.of())) {
      if (!t.isBlank()) {
        filters.add(new TagFilter(TagFilter.DEFAULT_KEY, t.strip()));
      }
    }
    return List.copyOf(filters);
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }

  private static String mediaType(ImageFormat f) {
    return switch (f) {
      case JPEG -> "image/jpeg";
      case PNG -> "image/png";
      case GIF -> "image/gif";
      case BMP -> "image/bmp";
      case WEBP -> "image/webp";
      case TIFF -> "image/tiff";
    };
  }

  private static String encodeRfc5987(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(String.format("%02X", c));
      }
    }
    return out.toString();
  }

  private static boolean notModified(HttpExchange ex, String etag) throws IOException {
    String inm = ex.getRequestHeaders().getFirst("If-None-Match");
    if (inm != null && (inm.equals(etag) || inm.contains(etag))) {
      Headers h = ex.getResponseHeaders();
      h.set("ETag", etag);
      addCommonHeaders(h);
      ex.sendResponseHeaders(304, -1);
      return true;
    }
    return false;
  }

  private void sendStatic(HttpExchange ex, StaticFile f) throws IOException {
    if (notModified(ex, f.etag)) {
      return;
    }
    Headers h = ex.getResponseHeaders();
    h.set("ETag", f.etag);
    h.set("Cache-Control", "no-cache");
    if (f.type.startsWith("text/html")) {
      h.set("Content-Security-Policy", PAGE_POLICY);
    }
    send(ex, 200, f.type, f.body);
  }

  private void sendJson(HttpExchange ex, int status, Object value) throws IOException {
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    send(
        ex,
        status,
        "application/json; charset=utf-8",
        Json.write(value).getBytes(StandardCharsets.UTF_8));
  }

  private void sendError(HttpExchange ex, int status, String message) throws IOException {
    if (ex.getResponseCode() != -1) {
      return; // headers already went out; the connection closes with the exchange
    }
    if (status == 405 || status == 413) {
      // Unread request bodies are drained only up to a limit; closing is cleaner than reading 1 GB.
      ex.getResponseHeaders().set("Connection", "close");
    }
    sendJson(ex, status, Json.obj("error", message, "status", status));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    Headers h = ex.getResponseHeaders();
    h.set("Content-Type", type);
    addCommonHeaders(h);
    if (ex.getRequestMethod().equals("HEAD") || body.length == 0) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static void addCommonHeaders(Headers h) {
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "no-referrer");
    h.set("X-Frame-Options", "DENY");
    // Other sites may not embed these images or read these responses.
    h.set("Cross-Origin-Resource-Policy", "same-origin");
  }

  private static Map<String, StaticFile> loadPage() {
    Map<String, StaticFile> files = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : PAGE_FILES.entrySet()) {
      String resource = RESOURCES + e.getKey().substring(1);
      try (InputStream in = WebServer.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + resource);
        }
        byte[] body = in.readAllBytes();
        String etag = "\"" + HexFormat.of().formatHex(Hashing.sha256().digest(body), 0, 8) + "\"";
        files.put(e.getKey(), new StaticFile(body, e.getValue(), etag));
      } catch (IOException ex) {
        throw new IllegalStateException("cannot read resource " + resource, ex);
      }
    }
    return Map.copyOf(files);
  }

  /** A request the API refuses, with the HTTP status that says why. */
  static final class ApiException extends RuntimeException {
    final int status;

    ApiException(int status, String message) {
      super(message);
      this.status = status;
    }

    final Map<String, String> headers = new LinkedHashMap<>();

    ApiException header(String name, String value) {
      headers.put(name, value);
      return this;
    }
  }
}
