package io.github.mobilenet.demo.web;

import java.util.Map;

/** {@code GET /api/stats}: index facts, the server's limits and its caches. */
record StatsRoute(
    SearchBackend backend, WebServer.Options options, Thumbnails thumbnails, DecodeGate decodes)
    implements Route {
  @Override
  public void handle(Exchange ex) {
    IndexFacts f = backend.facts();
    Map<String, Object> m =
        JsonBodies.obj(
            "count", f.count(),
            "model", f.model(),
            "layer", f.layer(),
            "pooling", f.pooling(),
            "preprocessing", f.preprocessing(),
            "format", f.format(),
            "dimensions", f.dimensions(),
            "augment", f.augment(),
            "tags", f.tags(),
            "index", shownLocation(f.location()));
    m.put(
        "limits",
        JsonBodies.obj(
            "maxUploadBytes", options.maxUploadBytes(),
            "maxK", options.maxK(),
            "maxFilters", options.maxFilters(),
            "maxDecodePixels", options.maxDecodePixels()));
    m.put("thumbnails", thumbnails.stats());
    m.put("decodes", decodes.stats());
    ex.sendJson(200, m);
  }

  /** The index folder's name only, unless the operator opted in to absolute server paths. */
  private String shownLocation(String location) {
    if (options.absolutePaths() || location == null) {
      return location;
    }
    java.nio.file.Path name = java.nio.file.Path.of(location).getFileName();
    return name == null ? location : name.toString();
  }
}
