package io.github.mobilenet.demo.web;

import io.github.mobilenet.embeddings.index.ImageDoc;
import io.github.mobilenet.embeddings.search.SearchHit;
import java.util.List;

/** {@code GET /api/search?id=&k=&filter=}: the nearest neighbours of an indexed image. */
record SearchByIdRoute(SearchBackend backend, ImageJson json, WebServer.Options options)
    implements Route {
  @Override
  public void handle(Exchange ex) {
    QueryParams q = ex.query();
    String id = q.id("id", "GET /api/search needs ?id=ID (or POST the image bytes)");
    int k = q.intValue("k", 10, 1, options.maxK());
    List<TagFilter> filters = q.filters(options.maxFilters());
    ImageDoc query = IndexedFiles.byId(backend, id);
    long t0 = System.nanoTime();
    List<SearchHit> hits = backend.searchById(query.id(), k, filters);
    ex.sendJson(
        200,
        JsonBodies.obj(
            "query", json.image(query),
            "k", k,
            "filters", filters.stream().map(TagFilter::toString).toList(),
            "tookMs", Millis.since(t0),
            "hits", json.hits(hits)));
  }
}
