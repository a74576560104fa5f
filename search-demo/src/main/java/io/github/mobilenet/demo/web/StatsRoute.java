package io.github.mobilenet.demo.web;

import java.util.Map;

/** {@code GET /api/stats}: index facts, the server's limits and its caches. */
final class StatsRoute implements Route {
  private final SearchBackend backend;
  private final WebServer.Options options;
  private final Thumbnails thumbnails;
  private final DecodeGate decodes;

  StatsRoute(
      SearchBackend backend, WebServer.Options options, Thumbnails thumbnails, DecodeGate decodes) {
    this.backend = backend;
    this.options = options;
    this.thumbnails = thumbnails;
    this.decodes = decodes;
  }

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
