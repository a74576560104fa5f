package io.github.mobilenet.demo.web;

/** {@code GET /api/images?offset=&limit=}: indexed images sorted by path, for browsing. */
record ImagesRoute(SearchBackend backend, ImageJson json) implements Route {
  static final int MAX_LIMIT = 1000;

  @Override
  public void handle(Exchange ex) {
    int offset = ex.query().intValue("offset", 0, 0, Integer.MAX_VALUE);
    int limit = ex.query().intValue("limit", 100, 1, MAX_LIMIT);
    ex.sendJson(
        200,
        JsonBodies.obj(
            "total", backend.facts().count(),
            "offset", offset,
            "images", json.images(backend.images(offset, limit))));
  }
}
