package io.github.mobilenet.demo.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mobilenet.core.image.JpegEncoder;
import io.github.mobilenet.embeddings.index.ImageDoc;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The JSON API against a real server on a free loopback port, over the indexed demo samples. */
class WebApiTest extends DemoServerTest {
  // ---- stats ------------------------------------------------------------------------------------

  @Test
  void statsDescribeTheIndex() throws Exception {
    JsonNode s = getJson("/api/stats", 200);
    assertEquals(50, s.get("count").asInt());
    assertEquals("mobilenet_v2_1.0_224", s.get("model").asText());
    assertEquals(
        io.github.mobilenet.embeddings.index.IndexConfig.DEFAULT_LAYER, s.get("layer").asText());
    assertEquals(1280, s.get("dimensions").asInt());
    assertEquals(2, s.get("augment").asInt(), "the demo index uses the default augmentation");
    assertEquals(8, s.at("/tags/tag/bird").asInt(), "birds in samples/demo/tags.csv");
    assertEquals(11, s.at("/tags/tag/person").asInt());
    assertEquals(DemoFixture.MAX_UPLOAD, s.at("/limits/maxUploadBytes").asLong());
  }

  // ---- search -----------------------------------------------------------------------------------

  @Test
  void uploadedVariantFindsItsOriginalFirst() throws Exception {
    byte[] query = variant(demo.sample("test/darknet_eagle.jpg"), 0.6, 0.7f); // not in the index
    JsonNode r = postJson("/api/search?k=5", query, "image/jpeg", 200);
    JsonNode hits = r.get("hits");
    assertEquals(5, hits.size());
    assertEquals("darknet_eagle.jpg", hits.get(0).get("name").asText());
    assertEquals(demo.image("darknet_eagle.jpg").id(), hits.get(0).get("id").asText());
    assertTrue(hits.get(0).get("score").asDouble() > 0.95, "score " + hits.get(0).get("score"));
    assertEquals("JPEG", r.at("/query/upload/format").asText());
    assertEquals(query.length, r.at("/query/upload/bytes").asInt());
    assertScoresDescending(hits);
    for (int i = 0; i < hits.size(); i++) {
      assertEquals(i + 1, hits.get(i).get("rank").asInt());
    }
  }

  @Test
  void uploadTypeIsSniffedNotTrusted() throws Exception {
    // PNG bytes declared as text: the bytes decide.
    byte[] png = Files.readAllBytes(demo.sample("test/skimage_coffee.jpg"));
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    JsonNode r = postJson("/api/search?k=3", out.toByteArray(), "text/plain", 200);
    assertEquals("PNG", r.at("/query/upload/format").asText());
    assertEquals("skimage_coffee.jpg", r.at("/hits/0/name").asText());
  }

  @Test
  void multipartUploadWorksLikeRawBytes() throws Exception {
    byte[] image = Files.readAllBytes(demo.sample("natural/hot_dog.jpg"));
    String boundary = "----mobilenet-test-boundary";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
                + "--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"x.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    body.write(image);
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
    JsonNode r =
        postJson(
            "/api/search?k=2",
            body.toByteArray(),
            "multipart/form-data; boundary=" + boundary,
            200);
    assertEquals(image.length, r.at("/query/upload/bytes").asInt());
    assertEquals("hot_dog.jpg", r.at("/hits/0/name").asText());
    assertEquals("hot_dog_q25.jpg", r.at("/hits/1/name").asText());
  }

  @Test
  void searchByIdFindsItselfThenItsVariant() throws Exception {
    ImageDoc parrot = demo.image("parrot.jpg");
    JsonNode r = getJson("/api/search?id=" + parrot.id() + "&k=4", 200);
    JsonNode hits = r.get("hits");
    assertEquals(4, hits.size());
    assertEquals(parrot.id(), hits.get(0).get("id").asText());
    assertEquals(1.0, hits.get(0).get("score").asDouble(), 1e-4);
    assertEquals("parrot_small.jpg", hits.get(1).get("name").asText());
    assertTrue(hits.get(1).get("score").asDouble() > 0.99);
    assertEquals("parrot.jpg", r.at("/query/name").asText());
    assertEquals("/api/thumb/" + parrot.id(), hits.get(0).get("thumb").asText());
    assertScoresDescending(hits);
  }

  @Test
  void tagFiltersRestrictHits() throws Exception {
    ImageDoc parrot = demo.image("parrot.jpg");
    JsonNode hits =
        getJson("/api/search?id=" + parrot.id() + "&k=10&filter=tag=food", 200).get("hits");
    assertEquals(4, hits.size(), "the demo set has 4 images tagged food");
    for (JsonNode h : hits) {
      assertTrue(strings(h.at("/tags/tag")).contains("food"), h.toString());
    }
    // Two conditions: both must hold; tag=X is shorthand for filter=tag=X.
    JsonNode both =
        getJson("/api/search?id=" + parrot.id() + "&k=10&tag=animal&filter=tag=cat", 200);
    assertEquals(Set.of("tag=animal", "tag=cat"), new HashSet<>(strings(both.get("filters"))));
    Set<String> names = new HashSet<>();
    both.get("hits").forEach(h -> names.add(h.get("name").asText()));
    assertEquals(
        Set.of("cat.bmp", "cat_720p.jpg", "skimage_chelsea.png", "derived_chelsea_exif6.jpg"),
        names);
  }

  @Test
  void duplicatesGroupVariantsAndNothingElse() throws Exception {
    JsonNode r = getJson("/api/dups?threshold=0.92", 200);
    List<Set<String>> groups = new ArrayList<>();
    for (JsonNode g : r.get("groups")) {
      Set<String> names = new HashSet<>();
      g.get("group").forEach(h -> names.add(h.get("name").asText()));
      groups.add(names);
    }
    for (Set<String> pair :
        List.of(
            Set.of("parrot.jpg", "parrot_small.jpg"),
            Set.of("owl.jpg", "owl_exif8.jpg"),
            Set.of("hot_dog.jpg", "hot_dog_q25.jpg"),
            Set.of("cat.bmp", "cat_720p.jpg"),
            Set.of("skimage_chelsea.png", "derived_chelsea_exif6.jpg"),
            Set.of("darknet_horses.jpg", "horses_brighter.jpg"),
            Set.of("kodak_kodim23.jpg", "parrots_mirrored.jpg"),
            Set.of("sunflower.bmp", "sunflower_small.png"),
            Set.of("skimage_camera.png", "derived_camera_gray.jpg"),
            Set.of("darknet_dog.jpg", "dog_crop.jpg"),
            Set.of("kodak_kodim20.jpg", "aeroplane_thumbnail.jpg"))) {
      assertTrue(groups.contains(pair), "expected group " + pair + " in " + groups);
    }
    assertEquals(11, groups.size(), groups.toString());
    // Lower threshold: the looser copies join.
    JsonNode loose = getJson("/api/dups?threshold=0.88", 200);
    assertEquals(12, loose.get("groups").size(), loose.toString());
  }

  // ---- errors -----------------------------------------------------------------------------------

  // ---- match ----------------------------------------------------------------------------------

  @Test
  void matchGivesPointPairsThatFollowTheHomography() throws Exception {
    ImageDoc parrot = demo.image("parrot.jpg");
    ImageDoc small = demo.image("parrot_small.jpg");
    JsonNode r = getJson("/api/match?a=" + parrot.id() + "&b=" + small.id(), 200);
    int inliers = r.get("inliers").asInt();
    assertTrue(inliers >= 100, r.toString());
    assertEquals("scale", r.get("transform").asText(), "parrot_small.jpg is the photo at 50 %");
    assertTrue(r.get("samePhoto").asBoolean());
    assertEquals(parrot.id(), r.at("/a/id").asText());
    assertEquals(small.id(), r.at("/b/id").asText());
    JsonNode h = r.get("homography");
    assertEquals(9, h.size());
    assertEquals(0.5, h.get(0).asDouble(), 0.03, "half size: x' ≈ x / 2");
    JsonNode pairs = r.get("pairs");
    assertEquals(inliers, pairs.size());
    for (JsonNode p : pairs) {
      double ax = p.get(0).asDouble();
      double ay = p.get(1).asDouble();
      double bx = p.get(2).asDouble();
      double by = p.get(3).asDouble();
      assertTrue(ax >= 0 && ax < parrot.width() && ay >= 0 && ay < parrot.height(), p.toString());
      assertTrue(bx >= 0 && bx < small.width() && by >= 0 && by < small.height(), p.toString());
      double w = h.get(6).asDouble() * ax + h.get(7).asDouble() * ay + h.get(8).asDouble();
      double hx = (h.get(0).asDouble() * ax + h.get(1).asDouble() * ay + h.get(2).asDouble()) / w;
      double hy = (h.get(3).asDouble() * ax + h.get(4).asDouble() * ay + h.get(5).asDouble()) / w;
      assertTrue(Math.hypot(hx - bx, hy - by) < 10, "pair " + p + " maps to " + hx + "," + hy);
    }
    // two different photos: few or no consistent pairs
    JsonNode other =
        getJson("/api/match?a=" + parrot.id() + "&b=" + demo.image("hot_dog.jpg").id(), 200);
    assertTrue(other.get("inliers").asInt() < 30, other.get("inliers").toString());
    assertFalse(other.get("samePhoto").asBoolean());
  }

  @Test
  void uploadedPhotoMatchesItsMirroredCopy() throws Exception {
    byte[] query = variant(demo.sample("test/kodak_kodim23.jpg"), 0.7, 0.75f); // not indexed
    ImageDoc mirrored = demo.image("parrots_mirrored.jpg");
    JsonNode r = postJson("/api/match?b=" + mirrored.id(), query, "image/jpeg", 200);
    assertEquals("hflip", r.get("transform").asText(), r.get("transform").toString());
    assertTrue(r.get("mirrored").asBoolean());
    assertTrue(r.get("inliers").asInt() >= 100, r.get("inliers").toString());
    assertEquals("JPEG", r.at("/a/upload/format").asText());
    BufferedImage sent = ImageIO.read(new ByteArrayInputStream(query));
    assertEquals(sent.getWidth(), r.at("/a/width").asInt(), r.get("a").toString());
    assertEquals(sent.getHeight(), r.at("/a/height").asInt(), r.get("a").toString());
    assertEquals(r.get("inliers").asInt(), r.get("pairs").size());
  }

  @Test
  void matchErrorsAreJson() throws Exception {
    String parrot = demo.image("parrot.jpg").id();
    String unknown = "0123456789abcdef0123456789abcdef";
    JsonNode missing = getJson("/api/match?a=" + parrot + "&b=" + unknown, 404);
    assertTrue(missing.get("error").asText().contains(unknown), missing.toString());
    assertEquals(404, missing.get("status").asInt());
    assertTrue(
        getJson("/api/match?a=" + unknown + "&b=" + parrot, 404)
            .get("error")
            .asText()
            .contains(unknown));
    assertTrue(getJson("/api/match?a=" + parrot, 400).get("error").asText().contains("b=ID"));
    getJson("/api/match?a=../etc&b=" + parrot, 400);
    JsonNode notImage =
        postJson(
            "/api/match?b=" + parrot,
            "not an image".getBytes(StandardCharsets.UTF_8),
            "image/jpeg",
            400);
    assertTrue(notImage.get("error").asText().contains("not an image"), notImage.toString());
    postJson("/api/match?b=" + unknown, new byte[] {1, 2, 3}, "image/jpeg", 404);
  }

  @Test
  void badUploadsAre400() throws Exception {
    JsonNode text =
        postJson(
            "/api/search",
            "hello, not an image".getBytes(StandardCharsets.UTF_8),
            "image/jpeg",
            400);
    assertTrue(text.get("error").asText().contains("not an image"), text.toString());
    assertEquals(400, text.get("status").asInt());

    byte[] jpeg = Files.readAllBytes(demo.sample("natural/hot_dog.jpg"));
    byte[] truncated = java.util.Arrays.copyOf(jpeg, jpeg.length / 2);
    JsonNode cut = postJson("/api/search", truncated, "image/jpeg", 400);
    assertTrue(cut.get("error").asText().contains("truncated"), cut.toString());

    JsonNode empty = postJson("/api/search", new byte[0], "image/jpeg", 400);
    assertTrue(empty.get("error").asText().contains("empty"), empty.toString());
  }

  @Test
  void unknownIdsAre404() throws Exception {
    String unknown = "0123456789abcdef0123456789abcdef";
    assertTrue(getJson("/api/search?id=" + unknown, 404).get("error").asText().contains(unknown));
    getJson("/api/thumb/" + unknown, 404);
    getJson("/api/image/" + unknown, 404);
    getJson("/api/image/", 404);
    getJson("/api/nothing-here", 404);
    getJson("/no-such-page.html", 404);
  }

  @Test
  void oversizeUploadsAre413() throws Exception {
    // Declared too large: refused before reading the body.
    Raw declared =
        raw(
            "POST /api/search HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/jpeg\r\nContent-Length: "
                + (DemoFixture.MAX_UPLOAD + 1)
                + "\r\nConnection: close\r\n\r\n",
            new byte[0]);
    assertEquals(413, declared.status);
    assertTrue(JSON.readTree(declared.body).get("error").asText().contains("exceeds the limit"));

    // Chunked (no length declared): refused once the limit is passed.
    byte[] big = new byte[(int) DemoFixture.MAX_UPLOAD + 4096];
    System.arraycopy(Files.readAllBytes(demo.sample("natural/hot_dog.jpg")), 0, big, 0, 1000);
    HttpResponse<String> chunked =
        http.send(
            HttpRequest.newBuilder(demo.uri("/api/search"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(413, chunked.statusCode(), chunked.body());
  }

  @Test
  void badParametersAre400AndWrongMethods405() throws Exception {
    String id = demo.image("owl.jpg").id();
    getJson("/api/search?id=" + id + "&k=0", 400);
    getJson("/api/search?id=" + id + "&k=abc", 400);
    getJson("/api/search?id=" + id + "&k=100000", 400);
    getJson("/api/search", 400);
    getJson("/api/dups?threshold=1.5", 400);
    getJson("/api/dups?threshold=abc", 400);
    getJson("/api/search?id=" + id + "&filter==x", 400);

    HttpResponse<String> delete =
        http.send(
            HttpRequest.newBuilder(demo.uri("/api/stats")).DELETE().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, delete.statusCode());
    assertEquals("GET, HEAD", delete.headers().firstValue("Allow").orElseThrow());
    HttpResponse<String> put =
        http.send(
            HttpRequest.newBuilder(demo.uri("/api/search"))
                .PUT(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, put.statusCode());
  }

  // ---- files by id ------------------------------------------------------------------------------

  @Test
  void imageByIdIsTheIndexedFile() throws Exception {
    for (String name : List.of("owl_exif8.jpg", "sunflower.bmp", "skimage_camera.png")) {
      ImageDoc img = demo.image(name);
      HttpResponse<byte[]> r =
          http.send(
              HttpRequest.newBuilder(demo.uri("/api/image/" + img.id())).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, r.statusCode());
      assertArrayEquals(Files.readAllBytes(Path.of(img.path())), r.body(), name);
      String type = r.headers().firstValue("Content-Type").orElseThrow();
      assertEquals(
          name.endsWith(".jpg") ? "image/jpeg" : name.endsWith(".bmp") ? "image/bmp" : "image/png",
          type);
      assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElseThrow());
    }
  }

  @Test
  void thumbnailsAreSmallUprightJpegsAndCached() throws Exception {
    ImageDoc owl = demo.image("owl_exif8.jpg"); // stored sideways, upright by EXIF
    long hitsBefore = getJson("/api/stats", 200).at("/thumbnails/hits").asLong();
    HttpResponse<byte[]> first =
        http.send(
            HttpRequest.newBuilder(demo.uri("/api/thumb/" + owl.id())).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, first.statusCode());
    assertEquals("image/jpeg", first.headers().firstValue("Content-Type").orElseThrow());
    BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(first.body()));
    assertEquals(256, thumb.getWidth(), "landscape once upright: 512x384 → 256x192");
    assertEquals(192, thumb.getHeight());

    HttpResponse<byte[]> second =
        http.send(
            HttpRequest.newBuilder(demo.uri("/api/thumb/" + owl.id())).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertArrayEquals(first.body(), second.body());
    JsonNode after = getJson("/api/stats", 200).get("thumbnails");
    assertTrue(after.get("hits").asLong() >= hitsBefore + 1, after.toString());
    assertTrue(after.get("cached").asInt() >= 1);

    String etag = first.headers().firstValue("ETag").orElseThrow();
    HttpResponse<byte[]> revalidated =
        http.send(
            HttpRequest.newBuilder(demo.uri("/api/thumb/" + owl.id()))
                .header("If-None-Match", etag)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(304, revalidated.statusCode());
  }

  // ---- safety -----------------------------------------------------------------------------------

  @Test
  void traversalNeverEscapesTheIndex() throws Exception {
    String id = demo.image("parrot.jpg").id();
    List<String> attempts =
        List.of(
            "/../../../../etc/passwd",
            "/..%2f..%2f..%2f..%2fetc%2fpasswd",
            "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
            "/api/image/../../../../etc/passwd",
            "/api/image/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
            "/api/image/%2e%2e%2f%2e%2e%2fpom.xml",
            "/api/thumb/..%2f..%2f..%2fpom.xml",
            "/api/thumb/....//....//pom.xml",
            "/api/image/" + id + "/../../../pom.xml",
            "/api/image/" + id + "%2f..%2f..%2fpom.xml",
            "/api/image/" + id + "%00.jpg",
            "/api/image/%2Fetc%2Fpasswd",
            "/api/image/..\\..\\..\\pom.xml",
            "/index.html/../../pom.xml",
            "/app.js%2f..%2f..%2fpom.xml",
            "/api/image?path=/etc/passwd",
            "/api/search?id=../../../etc/passwd",
            "/api/search?id=%2e%2e%2f%2e%2e%2fpom.xml",
            "/" + demo.root.relativize(demo.sample("natural/parrot.jpg")),
            "/samples/natural/parrot.jpg",
            "/pom.xml",
            "/%2e%2e/pom.xml");
    byte[] pom = Files.readAllBytes(demo.root.resolve("pom.xml"));
    for (String target : attempts) {
      Raw r =
          raw(
              "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
              new byte[0]);
      assertTrue(r.status == 404 || r.status == 400, target + " → " + r.status);
      String body = new String(r.body, StandardCharsets.UTF_8);
      assertFalse(body.contains("root:"), target);
      assertFalse(body.contains("<project"), target);
      assertFalse(body.length() > 400, target + " → " + body.length() + " bytes");
      assertFalse(java.util.Arrays.equals(r.body, pom), target);
      if (r.status == 404) {
        assertTrue(
            r.header("content-type").startsWith("application/json"),
            target + " → " + r.header("content-type"));
        assertNotNull(JSON.readTree(r.body).get("error"), target);
      } // else the JDK's HTTP parser refused the request line before any handler ran
    }
  }

  @Test
  void foreignHostHeadersAreRefused() throws Exception {
    // A web page on another site may point its own name at 127.0.0.1 (DNS rebinding).
    assertEquals(403, statsForHost("attacker.example").status);
    assertEquals(200, statsForHost("localhost").status);
  }

  /** {@code GET /api/stats} naming {@code host} (and the server's port) in its Host header. */
  private static Raw statsForHost(String host) throws IOException {
    return raw(
        "GET /api/stats HTTP/1.1\r\nHost: "
            + host
            + ":"
            + demo.server.port()
            + "\r\nConnection: close\r\n\r\n",
        new byte[0]);
  }

  @Test
  void pageIsServedWithAStrictPolicy() throws Exception {
    HttpResponse<String> page =
        http.send(
            HttpRequest.newBuilder(demo.uri("/")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, page.statusCode());
    assertEquals(
        "text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElseThrow());
    assertTrue(page.body().contains("<script src=\"/app.js\""));
    String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertTrue(csp.contains("default-src 'none'") && csp.contains("script-src 'self'"), csp);
    for (String file : List.of("/app.js", "/style.css", "/favicon.svg")) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(demo.uri(file)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), file);
      assertTrue(r.body().length() > 100, file);
    }
  }

  @Test
  void concurrentRequestsAllSucceed() throws Exception {
    List<String> ids = demo.backend.images(0, 50).stream().map(ImageDoc::id).toList();
    ExecutorService clients = Executors.newFixedThreadPool(12);
    try {
      List<Callable<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 48; i++) {
        String id = ids.get(i % ids.size());
        String path =
            switch (i % 3) {
              case 0 -> "/api/search?k=5&id=" + id;
              case 1 -> "/api/thumb/" + id;
              default -> "/api/stats";
            };
        calls.add(
            () ->
                http.send(
                        HttpRequest.newBuilder(demo.uri(path)).build(),
                        HttpResponse.BodyHandlers.discarding())
                    .statusCode());
      }
      for (Future<Integer> f : clients.invokeAll(calls)) {
        assertEquals(200, f.get());
      }
    } finally {
      clients.shutdownNow();
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private static void assertScoresDescending(JsonNode hits) {
    for (int i = 1; i < hits.size(); i++) {
      assertTrue(
          hits.get(i - 1).get("score").asDouble() >= hits.get(i).get("score").asDouble(),
          hits.toString());
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static JsonNode getJson(String path, int expectedStatus) throws Exception {
    return getJson(demo.server, path, expectedStatus);
  }

  private static JsonNode postJson(String path, byte[] body, String contentType, int expectedStatus)
      throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(demo.uri(path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(expectedStatus, r.statusCode(), path + " → " + r.body());
    return JSON.readTree(r.body());
  }

  /** A resized, re-encoded copy: a query image that is not in the index. */
  static byte[] variant(Path source, double scale, float quality) throws IOException {
    BufferedImage in = ImageIO.read(source.toFile());
    int w = (int) Math.round(in.getWidth() * scale);
    int h = (int) Math.round(in.getHeight() * scale);
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(in, 0, 0, w, h, null);
    g.dispose();
    return JpegEncoder.encode(out, quality);
  }

  /** A response read from a raw socket, so request targets reach the server exactly as written. */
  record Raw(int status, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
    }
  }

  static Raw raw(String head, byte[] body) throws IOException {
    try (Socket s = new Socket(demo.server.uri().getHost(), demo.server.port())) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      while (!response.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("connection closed inside the response head: " + response);
        }
        response.write(b);
      }
      String[] lines = response.toString(StandardCharsets.ISO_8859_1).strip().split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
      String length = headers.get("content-length");
      // By length, not EOF: a server may still be draining a request body it refused.
      byte[] content = length == null ? in.readAllBytes() : in.readNBytes(Integer.parseInt(length));
      return new Raw(status, headers, content);
    }
  }
}
