package io.github.mobilenet.demo.web;

import io.github.mobilenet.core.image.ImageFormat;
import io.github.mobilenet.embeddings.search.SearchHit;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /api/search?k=&filter=}: the nearest neighbours of the image in the request body (raw
 * bytes or the first file of a multipart form). The format is sniffed from the bytes; the decode
 * and embedding run under the {@link DecodeGate}.
 */
record UploadSearchRoute(
    SearchBackend backend, ImageJson json, WebServer.Options options, DecodeGate decodes)
    implements Route {
  @Override
  public boolean readsBody() {
    return true;
  }

  @Override
  public void precheck(Exchange ex) {
    ex.query().intValue("k", 10, 1, options.maxK());
    ex.query().filters(options.maxFilters());
  }

  @Override
  public void handle(Exchange ex) {
    int k = ex.query().intValue("k", 10, 1, options.maxK());
    List<TagFilter> filters = ex.query().filters(options.maxFilters());
    byte[] body = ex.body();
    String contentType = ex.header("Content-Type");
    if (contentType != null
        && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      body = Multipart.firstFile(body, contentType);
    }
    if (body.length == 0) {
      throw ApiError.badRequest("upload: empty request body (send the image bytes as the body)");
    }
    ImageFormat format = ImageFormat.sniff(body);
    if (format == null) {
      // Content is sniffed; a declared type or file name never makes bytes an image.
      throw ApiError.badRequest(
          "upload: not an image (unrecognised signature; JPEG, PNG, GIF, BMP, WebP and TIFF are"
              + " accepted)");
    }
    long t0 = System.nanoTime();
    List<SearchHit> hits;
    try (DecodeGate.Slot slot = decodes.enter("upload", ImageHeader.pixels(body), Duration.ZERO)) {
      hits = backend.searchByImage(body, k, filters);
    }
    ex.sendJson(
        200,
        JsonBodies.obj(
            "query",
                JsonBodies.obj(
                    "upload", JsonBodies.obj("bytes", body.length, "format", format.name())),
            "k", k,
            "filters", filters.stream().map(TagFilter::toString).toList(),
            "tookMs", Millis.since(t0),
            "hits", json.hits(hits)));
  }
}
