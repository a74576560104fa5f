package io.github.mobilenet.demo.web;

import io.github.mobilenet.embeddings.index.ImageDoc;
import io.github.mobilenet.local.verify.Match;
import java.time.Duration;

/**
 * {@code GET /api/match?a=ID&b=ID}: why two indexed images match: the local-feature correspondences
 * that agree with one homography, in each image's upright pixels. Both files are decoded (A for its
 * mirrored features, B when the index stores no features) under the {@link DecodeGate}.
 */
record MatchRoute(SearchBackend backend, ImageJson json, DecodeGate decodes, Duration decodeWait)
    implements Route {
  @Override
  public void handle(Exchange ex) {
    QueryParams q = ex.query();
    String a = q.id("a", "GET /api/match needs ?a=ID&b=ID (or POST an image with ?b=ID)");
    String b = q.id("b", "GET /api/match needs ?a=ID&b=ID (or POST an image with ?b=ID)");
    ImageDoc docA = IndexedFiles.byId(backend, a);
    ImageDoc docB = IndexedFiles.byId(backend, b);
    IndexedFiles.unchanged(docA);
    IndexedFiles.unchanged(docB);
    long t0 = System.nanoTime();
    long pixels = (long) docA.width() * docA.height() + (long) docB.width() * docB.height();
    Match m;
    try (DecodeGate.Slot slot = decodes.enter("match", pixels, decodeWait)) {
      m = backend.match(docA.id(), docB.id());
    }
    ex.sendJson(200, MatchJson.of(json.image(docA), json.image(docB), m, t0));
  }
}
