package io.github.mobilenet.demo.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A minimal W3C WebDriver client for a local chromedriver driving headless Chromium: just what the
 * end-to-end test needs (navigate, find, click, type a file path, read text, screenshot).
 */
final class WebDriver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The W3C key under which an element reference is returned. */
  private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

  /** Flags for this sandboxed, offline machine (see issue 5). */
  static final List<String> CHROMIUM_FLAGS =
      List.of(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--hide-scrollbars");

  private final Process driver;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URI base;
  private final String session;

  private WebDriver(Process driver, URI base, String session) {
    this.driver = driver;
    this.base = base;
    this.session = session;
  }

  /**
   * Starts chromedriver on a free loopback port and opens a headless Chromium session.
   *
   * @param profile a fresh, empty folder for Chromium's user data
   */
  static WebDriver start(
      Path chromedriver, Path chromium, Path profile, int width, int height, Path log)
      throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Process p =
        new ProcessBuilder(chromedriver.toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    URI base = URI.create("http://127.0.0.1:" + port + "/");
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(base.resolve("status")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (JSON.readTree(r.body()).at("/value/ready").asBoolean()) {
          break;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (!p.isAlive() || System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IOException("chromedriver did not start (see " + log + ")");
      }
      Thread.sleep(100);
    }
    List<String> args = new ArrayList<>(CHROMIUM_FLAGS);
    args.add("--user-data-dir=" + profile);
    args.add("--window-size=" + width + "," + height);
    Map<String, Object> caps =
        Map.of(
            "capabilities",
            Map.of(
                "alwaysMatch",
                Map.of(
                    "browserName",
                    "chrome",
                    "goog:chromeOptions",
                    Map.of("binary", chromium.toString(), "args", args))));
    try {
      JsonNode created = call(http, "POST", base.resolve("session"), caps);
      return new WebDriver(p, base, created.at("/value/sessionId").asText());
    } catch (IOException | RuntimeException e) {
      p.destroyForcibly();
      throw e;
    }
  }

  void navigate(String url) throws IOException {
    command("POST", "url", Map.of("url", url));
  }

  /** Element references matching a CSS selector, in document order. */
  List<String> findAll(String css) throws IOException {
    List<String> out = new ArrayList<>();
    for (JsonNode e :
        command("POST", "elements", Map.of("using", "css selector", "value", css)).get("value")) {
      out.add(e.get(ELEMENT).asText());
    }
    return out;
  }

  String find(String css) throws IOException {
    List<String> all = findAll(css);
    if (all.isEmpty()) {
      throw new IOException("no element matches " + css);
    }
    return all.get(0);
  }

  String text(String element) throws IOException {
    return command("GET", "element/" + element + "/text", null).get("value").asText();
  }

  void click(String element) throws IOException {
    command("POST", "element/" + element + "/click", Map.of());
  }

  /** For a file input: the absolute path of the file to choose. */
  void sendKeys(String element, String text) throws IOException {
    command("POST", "element/" + element + "/value", Map.of("text", text));
  }

  /** Runs JavaScript in the page and returns its result. */
  JsonNode script(String js, Object... args) throws IOException {
    return command("POST", "execute/sync", Map.of("script", js, "args", List.of(args)))
        .get("value");
  }

  byte[] screenshot() throws IOException {
    return Base64.getDecoder().decode(command("GET", "screenshot", null).get("value").asText());
  }

  /**
   * Polls until {@code condition} holds, failing with {@code what} and the last state after the
   * timeout.
   */
  static <T> T await(
      String what, Duration timeout, Supplier<T> probe, java.util.function.Predicate<T> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Object last = null;
    while (System.nanoTime() < deadline) {
      try {
        T value = probe.get();
        last = value;
        if (condition.test(value)) {
          return value;
        }
      } catch (RuntimeException e) {
        last = e; // e.g. an element replaced while being read: try again
      }
      Thread.sleep(100);
    }
    throw new AssertionError("timed out waiting for " + what + "; last seen: " + last);
  }

  private JsonNode command(String method, String path, Object body) throws IOException {
    return call(http, method, base.resolve("session/" + session + "/" + path), body);
  }

  private static JsonNode call(HttpClient http, String method, URI uri, Object body)
      throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json; charset=utf-8")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = JSON.readTree(r.body());
      if (r.statusCode() != 200) {
        throw new IOException(
            "WebDriver "
                + method
                + " "
                + uri.getPath()
                + " → "
                + r.statusCode()
                + ": "
                + json.at("/value/error").asText()
                + ": "
                + json.at("/value/message").asText());
      }
      return json;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public void close() {
    try {
      call(http, "DELETE", base.resolve("session/" + session), null);
    } catch (IOException | RuntimeException e) {
      // the driver is stopped below in any case
    }
    driver.destroy();
    try {
      if (!driver.waitFor(5, TimeUnit.SECONDS)) {
        driver.destroyForcibly();
      }
    } catch (InterruptedException e) {
      driver.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The first existing file among {@code candidates}; a missing browser is a test failure, not a
   * skip.
   */
  static Path require(String what, String... candidates) {
    for (String c : candidates) {
      Path p = Path.of(c);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new AssertionError(
        what
            + " not found (looked at "
            + String.join(", ", candidates)
            + "); install Debian's chromium and chromium-driver: apt-get install chromium chromium-driver");
  }
}
