package io.github.mobilenet.demo.web;

import io.github.mobilenet.embeddings.search.SearchHit;
import java.util.ArrayList;
import java.util.List;

/** {@code GET /api/dups?threshold=}: groups of near-identical indexed images. */
record DuplicatesRoute(SearchBackend backend, ImageJson json) implements Route {
  @Override
  public void handle(Exchange ex) {
    double threshold = ex.query().doubleValue("threshold", 0.92, 0.5, 1.0);
    long t0 = System.nanoTime();
    List<List<SearchHit>> groups = backend.duplicates(threshold);
    List<Object> out = new ArrayList<>(groups.size());
    for (List<SearchHit> g : groups) {
      out.add(JsonBodies.obj("group", json.hits(g)));
    }
    ex.sendJson(
        200, JsonBodies.obj("threshold", threshold, "tookMs", Millis.since(t0), "groups", out));
  }
}
