package io.github.mobilenet.demo.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;

/** Tests against the shared demo server ({@link DemoFixture}) over HTTP, reading JSON answers. */
abstract class DemoServerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static DemoFixture demo;
  static HttpClient http;

  @BeforeAll
  static void startDemo() throws IOException {
    demo = DemoFixture.get();
    http = HttpClient.newHttpClient();
  }

  /** GETs {@code path} from {@code server}; the answer must have this status and be JSON. */
  static JsonNode getJson(WebServer server, String path, int expectedStatus) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(server.uri().resolve(path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(expectedStatus, r.statusCode(), path + " → " + r.body());
    assertTrue(
        r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), path);
    return JSON.readTree(r.body());
  }
}
