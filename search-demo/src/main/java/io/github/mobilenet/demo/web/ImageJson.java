package io.github.mobilenet.demo.web;

import io.github.mobilenet.embeddings.index.ImageDoc;
import io.github.mobilenet.embeddings.search.SearchHit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of indexed images and hits, shared by every route that lists images, so they all
 * show the same fields in the same order and paths as {@link PathDisplay} says. Thread-safe.
 */
final class ImageJson {
  private final SearchBackend backend;
  private final PathDisplay paths;

  ImageJson(SearchBackend backend, PathDisplay paths) {
    this.backend = backend;
    this.paths = paths;
  }

  /** Hits ranked 1, 2, … in the order given, each with its score and image fields. */
  List<Object> hits(List<SearchHit> hits) {
    List<Object> out = new ArrayList<>(hits.size());
    var common = backend.commonFolder();
    int rank = 1;
    for (SearchHit h : hits) {
      Map<String, Object> m = JsonBodies.obj("rank", rank++, "score", h.score());
      m.putAll(image(h.doc(), common));
      out.add(m);
    }
    return out;
  }

  List<Object> images(List<ImageDoc> docs) {
    var common = backend.commonFolder();
    List<Object> out = new ArrayList<>(docs.size());
    for (ImageDoc d : docs) {
      out.add(image(d, common));
    }
    return out;
  }

  Map<String, Object> image(ImageDoc d) {
    return image(d, backend.commonFolder());
  }

  private Map<String, Object> image(ImageDoc d, java.nio.file.Path common) {
    return JsonBodies.obj(
        "id", d.id(),
        "name", IndexedFiles.name(d),
        "path", paths.show(d, common),
        "width", d.width(),
        "height", d.height(),
        "bytes", d.size(),
        "tags", d.tags(),
        "thumb", "/api/thumb/" + d.id(),
        "image", "/api/image/" + d.id());
  }
}
