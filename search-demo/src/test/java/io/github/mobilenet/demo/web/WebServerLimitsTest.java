package io.github.mobilenet.demo.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mobilenet.embeddings.index.ImageDoc;
import io.github.mobilenet.embeddings.search.SearchHit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * What keeps the server answering under misuse: stalled clients, concurrent large decodes, floods
 * of filters and malformed parameters, and what answers reveal about the server's disk layout.
 */
class WebServerLimitsTest extends DemoServerTest {
  private static final PrintStream LOG = new PrintStream(System.err, true);

  // ---- slow clients -----------------------------------------------------------------------------

  @Test
  void stalledClientsDoNotStopTheServerAnsweringOthers() throws Exception {
    List<Socket> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < 64; i++) {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), demo.server.port());
        s.getOutputStream().write('G'); // one byte of a request line, then nothing
        s.getOutputStream().flush();
        stalled.add(s);
      }
      Thread.sleep(200); // the server has seen every byte and is waiting for more
      HttpClient fresh = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
      long t0 = System.nanoTime();
      // The bound: with 4 stalled clients the JDK server answered no one for 60 s.
      HttpResponse<String> stats =
          fresh.send(
              HttpRequest.newBuilder(demo.uri("/api/stats")).timeout(Duration.ofSeconds(1)).build(),
              HttpResponse.BodyHandlers.ofString());
      double ms = (System.nanoTime() - t0) / 1e6;
      assertEquals(200, stats.statusCode(), stats.body());
      assertEquals(50, JSON.readTree(stats.body()).get("count").asInt());
      System.out.printf("/api/stats beside 64 stalled clients: %.1f ms%n", ms);
    } finally {
      for (Socket s : stalled) {
        s.close();
      }
    }
  }

  @Test
  void aStalledRequestIsDisconnectedAfterTheIdleTimeout() throws Exception {
    try (WebServer server = serve(options().withIdleTimeout(Duration.ofMillis(300)));
        Socket head = new Socket(InetAddress.getLoopbackAddress(), server.port());
        Socket body = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      head.getOutputStream().write("GET /api/stats HTTP/1.1\r\nHost: 127".getBytes());
      body.getOutputStream()
          .write(
              ("POST /api/search HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5000\r\n\r\nabc")
                  .getBytes());
      for (Socket s : List.of(head, body)) {
        s.setSoTimeout(10_000); // a guard against a hang; the server closes after 0.3 s
        byte[] answer = readToEnd(s.getInputStream());
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        assertTrue(text.isEmpty() || text.startsWith("HTTP/1.1 4"), text);
      }
    }
  }

  @Test
  void workLongerThanTheIdleTimeoutStillGetsItsAnswer() throws Exception {
    SearchBackend slowDups =
        new DelegatingBackend(demo.backend) {
          @Override
          public List<List<SearchHit>> duplicates(double threshold) {
            try {
              Thread.sleep(1500); // five idle timeouts of silence while the server computes
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return super.duplicates(threshold);
          }
        };
    try (WebServer server = serve(slowDups, options().withIdleTimeout(Duration.ofMillis(300)))) {
      assertEquals(11, getJson(server, "/api/dups?threshold=0.92", 200).get("groups").size());
    }
  }

  // ---- bounded decodes --------------------------------------------------------------------------

  @Test
  void decodesBeyondTheBoundGet503WithRetryAfter() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean first = new AtomicBoolean(true);
    SearchBackend slowFirst =
        new DelegatingBackend(demo.backend) {
          @Override
          public List<SearchHit> searchByImage(byte[] encoded, int k, List<TagFilter> filters) {
            if (first.getAndSet(false)) {
              entered.countDown();
              await(release);
            }
            return super.searchByImage(encoded, k, filters);
          }
        };
    byte[] photo = Files.readAllBytes(demo.sample("natural/hot_dog.jpg"));
    // Room for one 512×384 photo at a time (196 608 pixels), not two.
    try (WebServer server = serve(slowFirst, options().withDecodes(300_000, Duration.ZERO))) {
      CompletableFuture<HttpResponse<String>> slow =
          http.sendAsync(upload(server, photo), HttpResponse.BodyHandlers.ofString());
      assertTrue(entered.await(30, TimeUnit.SECONDS), "the first upload reached the decoder");

      HttpResponse<String> refused =
          http.send(upload(server, photo), HttpResponse.BodyHandlers.ofString());
      assertEquals(503, refused.statusCode(), refused.body());
      assertEquals("2", refused.headers().firstValue("Retry-After").orElseThrow());
      JsonNode error = JSON.readTree(refused.body());
      assertEquals(503, error.get("status").asInt());
      assertTrue(error.get("error").asText().contains("busy decoding"), refused.body());
      JsonNode stats = getJson(server, "/api/stats", 200);
      assertEquals(300_000, stats.at("/limits/maxDecodePixels").asLong());
      assertEquals(1, stats.at("/decodes/running").asInt());
      assertEquals(512 * 384, stats.at("/decodes/pixels").asLong());
      assertEquals(1, stats.at("/decodes/refused").asInt());

      release.countDown();
      HttpResponse<String> done = slow.get(30, TimeUnit.SECONDS);
      assertEquals(200, done.statusCode(), done.body());
      assertEquals("hot_dog.jpg", JSON.readTree(done.body()).at("/hits/0/name").asText());
      // The slot is free again.
      HttpResponse<String> again =
          http.send(upload(server, photo), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, again.statusCode(), again.body());
      assertEquals(0, getJson(server, "/api/stats", 200).at("/decodes/running").asInt());
      assertEquals(0, getJson(server, "/api/stats", 200).at("/decodes/pixels").asLong());
    } finally {
      release.countDown();
    }
  }

  // ---- parameters -------------------------------------------------------------------------------

  @Test
  void tooManyFiltersAre400NotAServerError() throws Exception {
    String id = demo.image("parrot.jpg").id();
    StringBuilder q = new StringBuilder("/api/search?id=" + id);
    for (int i = 0; i < 1025; i++) {
      q.append("&filter=t=").append(i);
    }
    JsonNode flood = getJson(demo.server, q.toString(), 400);
    assertTrue(flood.get("error").asText().contains("too many filters"), flood.toString());
    assertEquals(400, flood.get("status").asInt());

    StringBuilder upTo = new StringBuilder("/api/search?id=" + id);
    for (int i = 0; i < WebServer.Options.DEFAULT_MAX_FILTERS; i++) {
      upTo.append("&filter=tag=").append(i == 0 ? "food" : "food" + i);
    }
    assertEquals(0, getJson(demo.server, upTo.toString(), 200).get("hits").size());
    assertEquals(
        400,
        getJson(demo.server, upTo.append("&tag=one-more").toString(), 400).get("status").asInt());

    // An upload with a flood of filters is refused before its body is read.
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(demo.uri(q.toString()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3}))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(400, post.statusCode(), post.body());
  }

  @Test
  void everyMalformedParameterIsA400WithAJsonMessage() throws Exception {
    String id = demo.image("owl.jpg").id();
    for (String bad :
        List.of(
            "/api/search?id=" + id + "&k=-1",
            "/api/search?id=" + id + "&k=99999999999",
            "/api/search?id=" + id + "&k=1.5",
            "/api/search?id=",
            "/api/search?id=..%2F..%2Fetc%2Fpasswd",
            "/api/search?id=" + "a".repeat(129),
            "/api/search?id=" + id + "&filter=novalue=",
            "/api/dups?threshold=NaN",
            "/api/dups?threshold=Infinity",
            "/api/dups?threshold=0.1",
            "/api/images?offset=-1",
            "/api/images?limit=0",
            "/api/images?limit=1001",
            "/api/images?offset=x")) {
      JsonNode e = getJson(demo.server, bad, 400);
      assertEquals(400, e.get("status").asInt(), bad);
      assertFalse(e.get("error").asText().isBlank(), bad);
    }
    assertTrue(
        getJson(demo.server, "/api/search?id=" + id + "&k=abc", 400)
            .get("error")
            .asText()
            .contains("k must be an integer"));
    JsonNode unknown = getJson(demo.server, "/api/no-such-route", 404);
    assertTrue(unknown.get("error").asText().contains("/api/no-such-route"), unknown.toString());
  }

  @Test
  void requestsJettyRefusesAreJsonErrorsToo() throws Exception {
    // A URL longer than the header limit, a malformed Content-Length, an ambiguous path.
    Raw longUrl = raw("GET /api/images?x=" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: 127.0.0.1");
    Raw badLength = raw("POST /api/search HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: lots");
    Raw ambiguous = raw("GET /api/image/..%2F..%2Fpom.xml HTTP/1.1\r\nHost: 127.0.0.1");
    Raw badEscape = raw("GET /api/images?limit=%zz HTTP/1.1\r\nHost: 127.0.0.1");
    assertEquals(400, badEscape.status, badEscape.toString());
    for (Raw r : List.of(longUrl, badLength, ambiguous, badEscape)) {
      assertTrue(r.status >= 400 && r.status < 500, r.toString());
      assertTrue(r.head.toLowerCase().contains("content-type: application/json"), r.head);
      JsonNode e = JSON.readTree(r.body);
      assertEquals(r.status, e.get("status").asInt(), r.toString());
      assertFalse(e.get("error").asText().isBlank(), r.toString());
    }
  }

  // ---- paths in answers -------------------------------------------------------------------------

  @Test
  void pathsAreRelativeToTheIndexedFilesCommonFolderByDefault() throws Exception {
    JsonNode images = getJson(demo.server, "/api/images?limit=1000", 200).get("images");
    assertEquals(50, images.size());
    for (JsonNode i : images) {
      String path = i.get("path").asText();
      assertFalse(path.startsWith("/") || path.contains(demo.root.toString()), path);
      assertTrue(path.endsWith(i.get("name").asText()), path);
    }
    // The samples live under samples/{natural,test,demo}: the common folder is samples/.
    String parrot = demo.image("parrot.jpg").id();
    JsonNode search = getJson(demo.server, "/api/search?k=2&id=" + parrot, 200);
    assertEquals("natural/parrot.jpg", search.at("/query/path").asText());
    assertEquals("natural/parrot.jpg", search.at("/hits/0/path").asText());
    assertEquals("demo/parrot_small.jpg", search.at("/hits/1/path").asText());
    JsonNode dups = getJson(demo.server, "/api/dups", 200);
    for (JsonNode g : dups.get("groups")) {
      for (JsonNode h : g.get("group")) {
        assertFalse(h.get("path").asText().startsWith("/"), h.toString());
      }
    }
  }

  @Test
  void pathsFollowTheOperatorsRootOrAreAbsoluteOnRequest() throws Exception {
    String parrot = demo.image("parrot.jpg").id();
    String eagle = demo.image("darknet_eagle.jpg").id();
    Path natural = demo.root.resolve("samples/natural");
    try (WebServer rooted = serve(options().withPaths(false, natural));
        WebServer absolute = serve(options().withPaths(true, null))) {
      assertEquals(
          "parrot.jpg",
          getJson(rooted, "/api/search?k=1&id=" + parrot, 200).at("/query/path").asText());
      // Outside the root: the file name only, never the folder above it.
      assertEquals(
          "darknet_eagle.jpg",
          getJson(rooted, "/api/search?k=1&id=" + eagle, 200).at("/query/path").asText());
      assertEquals(
          demo.image("parrot.jpg").path(),
          getJson(absolute, "/api/search?k=1&id=" + parrot, 200).at("/query/path").asText());
      assertTrue(Path.of(demo.image("parrot.jpg").path()).isAbsolute());
      // the index folder too: its name only, unless absolute paths were asked for
      String shown = getJson(rooted, "/api/stats", 200).get("index").asText();
      String full = getJson(absolute, "/api/stats", 200).get("index").asText();
      assertEquals(demo.backend.facts().location(), full);
      assertEquals(Path.of(full).getFileName().toString(), shown);
      assertFalse(shown.contains("/"), shown);
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private static WebServer.Options options() {
    return WebServer.Options.defaults().withMaxUploadBytes(DemoFixture.MAX_UPLOAD);
  }

  private static WebServer serve(WebServer.Options options) throws IOException {
    return serve(demo.backend, options);
  }

  private static WebServer serve(SearchBackend backend, WebServer.Options options)
      throws IOException {
    return WebServer.start(
        backend, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), options, LOG);
  }

  private static HttpRequest upload(WebServer server, byte[] image) {
    return HttpRequest.newBuilder(server.uri().resolve("/api/search?k=3"))
        .header("Content-Type", "image/jpeg")
        .POST(HttpRequest.BodyPublishers.ofByteArray(image))
        .build();
  }

  private record Raw(int status, String head, byte[] body) {
    @Override
    public String toString() {
      return status + " " + new String(body, StandardCharsets.UTF_8);
    }
  }

  /** Sends a request head as written (plus a blank line) and reads the answer to the end. */
  private static Raw raw(String head) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), demo.server.port())) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      out.write((head + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      byte[] all = readToEnd(s.getInputStream());
      String text = new String(all, StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      assertTrue(end > 0, "no response head: " + text);
      int status = Integer.parseInt(text.substring(9, 12));
      byte[] body = java.util.Arrays.copyOfRange(all, end + 4, all.length);
      return new Raw(status, text.substring(0, end), body);
    }
  }

  private static byte[] readToEnd(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server kept the connection open: " + out, e);
    } catch (IOException e) {
      // reset by the server after its answer: what was read is the answer
    }
    return out.toByteArray();
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A backend that passes everything to another; tests override what they slow down. */
  static class DelegatingBackend implements SearchBackend {
    private final SearchBackend to;

    DelegatingBackend(SearchBackend to) {
      this.to = to;
    }

    @Override
    public IndexFacts facts() {
      return to.facts();
    }

    @Override
    public List<SearchHit> searchByImage(byte[] encoded, int k, List<TagFilter> filters) {
      return to.searchByImage(encoded, k, filters);
    }

    @Override
    public List<SearchHit> searchById(String id, int k, List<TagFilter> filters) {
      return to.searchById(id, k, filters);
    }

    @Override
    public List<List<SearchHit>> duplicates(double threshold) {
      return to.duplicates(threshold);
    }

    @Override
    public io.github.mobilenet.local.verify.Match match(String a, String b) {
      return to.match(a, b);
    }

    @Override
    public UploadMatch matchUpload(byte[] encoded, String b) {
      return to.matchUpload(encoded, b);
    }

    @Override
    public Optional<ImageDoc> image(String id) {
      return to.image(id);
    }

    @Override
    public List<ImageDoc> images(int offset, int limit) {
      return to.images(offset, limit);
    }

    @Override
    public Path commonFolder() {
      return to.commonFolder();
    }

    @Override
    public void close() {} // the fixture owns the real backend
  }
}
