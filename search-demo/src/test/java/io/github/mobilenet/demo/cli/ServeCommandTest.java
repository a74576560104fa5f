package io.github.mobilenet.demo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.demo.web.DemoFixture;
import io.github.mobilenet.demo.web.IndexBackend;
import io.github.mobilenet.demo.web.WebServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code serve} and {@code demo}: argument errors, opening an index read-only, binding. */
class ServeCommandTest {
  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
  private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

  private int run(String... args) {
    return Cli.run(args, out, err);
  }

  private String out() {
    return outBytes.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void usageErrors() {
    assertEquals(2, run("serve"));
    assertTrue(err().contains("--index is required"), err());
    assertEquals(2, run("serve", "--index", "x", "extra"));
    assertEquals(2, run("serve", "--index", "x", "--port", "70000"));
    assertEquals(2, run("serve", "--index", "x", "--max-upload-mb", "0"));
    assertEquals(2, run("demo", "some/folder"));
    assertEquals(2, run("demo", "--bogus"));
    // help is asked for, so it goes to stdout (a usage error's synopsis goes to stderr)
    assertTrue(
        run("--help") == 0 && out().contains("serve --index DIR") && out().contains("demo"), out());
  }

  @Test
  void servingAFolderWithoutAnIndexFails() throws IOException {
    Path empty =
        Files.createTempDirectory(Files.createDirectories(Path.of("target/tmp")), "no-index-");
    assertEquals(2, run("serve", "--index", empty.toString(), "--port", "0"));
    assertTrue(err().contains("no image index at " + empty), err());
  }

  @Test
  void servesAnIndexReadOnlyOnTheGivenPort() throws Exception {
    DemoFixture demo = DemoFixture.get();
    try (IndexBackend backend = IndexBackend.open(demo.indexFolder);
        WebServer server = ServerOptions.listen(backend, settings("--port", "0"), err)) {
      assertEquals(50, backend.facts().count());
      assertEquals("127.0.0.1", server.uri().getHost());
      HttpResponse<String> stats =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(server.uri().resolve("/api/stats")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, stats.statusCode());
      assertTrue(stats.body().contains("\"count\":50"), stats.body());
    }
  }

  @Test
  void aBusyPortIsAnErrorWhenGivenAndAvoidedOtherwise() throws Exception {
    DemoFixture demo = DemoFixture.get();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThrows(
          BindException.class,
          () ->
              ServerOptions.listen(demo.backend, settings("--port", "" + taken.getLocalPort()), err)
                  .close());
    }
    ServerSocket default8080 = null;
    try {
      default8080 =
          new ServerSocket(ServerOptions.DEFAULT_PORT, 1, InetAddress.getLoopbackAddress());
    } catch (BindException e) {
      // already in use by something else: just as good for this test
    }
    try (WebServer server = ServerOptions.listen(demo.backend, settings(), err)) {
      assertNotEquals(ServerOptions.DEFAULT_PORT, server.port());
      assertTrue(err().contains("port 8080 is busy; using " + server.port()), err());
    } finally {
      if (default8080 != null) {
        default8080.close();
      }
    }
  }

  @Test
  void serverLimitsAndPathDisplayComeFromTheCommandLine() throws UsageException {
    WebServer.Options d = settings().options();
    assertEquals(WebServer.Options.DEFAULT_MAX_FILTERS, d.maxFilters());
    assertFalse(d.absolutePaths());
    WebServer.Options o =
        settings(
                "--max-filters",
                "7",
                "--idle-timeout",
                "9",
                "--max-decode-megapixels",
                "150",
                "--path-root",
                "/srv/photos")
            .options();
    assertEquals(7, o.maxFilters());
    assertEquals(java.time.Duration.ofSeconds(9), o.idleTimeout());
    assertEquals(150_000_000L, o.maxDecodePixels());
    assertEquals(Path.of("/srv/photos"), o.pathRoot());
    assertTrue(settings("--absolute-paths").options().absolutePaths());
    UsageException both =
        assertThrows(
            UsageException.class, () -> settings("--absolute-paths", "--path-root", "/srv"));
    assertTrue(both.getMessage().contains("--absolute-paths"), both.getMessage());
    UsageException filters =
        assertThrows(UsageException.class, () -> settings("--max-filters", "1001"));
    assertTrue(filters.getMessage().startsWith("--max-filters must be between 0 and 1000"));
  }

  private static ServerOptions.Settings settings(String... argv) throws UsageException {
    ServerOptions options = new ServerOptions();
    new CommandLine(options).parseArgs(argv);
    return options.settings();
  }
}
