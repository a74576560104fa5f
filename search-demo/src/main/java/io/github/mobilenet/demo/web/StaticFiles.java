package io.github.mobilenet.demo.web;

import io.github.mobilenet.core.util.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /} and the page's other files: a fixed list of resources read from the jar once, so no
 * request can name any other file. The page gets a strict Content-Security-Policy.
 */
final class StaticFiles implements Route {
  private static final String RESOURCES = "/io/github/mobilenet/demo/web/";
  private static final Map<String, String> PAGE_FILES =
      Map.of(
          "/index.html", "text/html; charset=utf-8",
          "/app.js", "text/javascript; charset=utf-8",
          "/style.css", "text/css; charset=utf-8",
          "/favicon.svg", "image/svg+xml");
  private static final String PAGE_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private record StaticFile(byte[] body, String type, String etag) {}

  private final Map<String, StaticFile> files = load();

  /** The request paths served: {@code /} and each file's own path. */
  Iterable<String> paths() {
    java.util.List<String> out = new java.util.ArrayList<>(files.keySet());
    out.add("/");
    return out;
  }

  @Override
  public void handle(Exchange ex) {
    String path = ex.path();
    StaticFile f = files.get(path.equals("/") ? "/index.html" : path);
    if (f == null) {
      throw ApiError.notFound("not found");
    }
    if (ex.notModified(f.etag())) {
      return;
    }
    ex.header("ETag", f.etag());
    ex.header("Cache-Control", "no-cache");
    if (f.type().startsWith("text/html")) {
      ex.header("Content-Security-Policy", PAGE_POLICY);
    }
    ex.send(200, f.type(), f.body());
  }

  private static Map<String, StaticFile> load() {
    Map<String, StaticFile> files = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : PAGE_FILES.entrySet()) {
      String resource = RESOURCES + e.getKey().substring(1);
      try (InputStream in = StaticFiles.class.getResourceAsStream(resource)) {
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
}
