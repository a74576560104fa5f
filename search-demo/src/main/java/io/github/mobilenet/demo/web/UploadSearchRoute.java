package io.github.mobilenet.demo.web;

import io.github.mobilenet.core.image.ImageFormat;
import io.github.mobilenet.embeddings.search.SearchHit;
import java.time.Duration;
import java.util.List;

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
    Upload upload = Upload.read(ex);
    byte[] body = upload.bytes();
    ImageFormat format = upload.format();
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
