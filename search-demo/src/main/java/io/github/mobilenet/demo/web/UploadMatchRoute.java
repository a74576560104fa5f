package io.github.mobilenet.demo.web;

import io.github.mobilenet.core.image.ImageFormat;
import io.github.mobilenet.embeddings.index.ImageDoc;
import java.time.Duration;

/**
 * {@code POST /api/match?b=ID}: why an uploaded image (the body, raw or the first file of a
 * multipart form, as for {@code POST /api/search}) matches indexed image B. Answers like {@code GET
 * /api/match}, with {@code "a": {"upload": {...}, "width": W, "height": H}}: the upload's upright
 * size, the frame of its points.
 */
record UploadMatchRoute(SearchBackend backend, ImageJson json, DecodeGate decodes)
    implements Route {
  @Override
  public boolean readsBody() {
    return true;
  }

  @Override
  public void precheck(Exchange ex) {
    IndexedFiles.byId(backend, ex.query().id("b", "POST /api/match needs ?b=ID"));
  }

  @Override
  public void handle(Exchange ex) {
    ImageDoc docB = IndexedFiles.byId(backend, ex.query().id("b", "POST /api/match needs ?b=ID"));
    Upload upload = Upload.read(ex);
    byte[] body = upload.bytes();
    ImageFormat format = upload.format();
    IndexedFiles.unchanged(docB);
    long t0 = System.nanoTime();
    long pixels = ImageHeader.pixels(body) + (long) docB.width() * docB.height();
    SearchBackend.UploadMatch m;
    // like an upload search, never waits: a waiting request would hold a thread
    try (DecodeGate.Slot slot = decodes.enter("upload", pixels, Duration.ZERO)) {
      m = backend.matchUpload(body, docB.id());
    }
    ex.sendJson(
        200,
        MatchJson.of(
            JsonBodies.obj(
                "upload",
                JsonBodies.obj("bytes", body.length, "format", format.name()),
                "width",
                m.width(),
                "height",
                m.height()),
            json.image(docB),
            m.match(),
            t0));
  }
}
