package io.github.mobilenet.demo.web;

import io.github.mobilenet.core.image.ImageDecodeException;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.embeddings.index.ImageDoc;
import java.nio.file.Path;

/**
 * {@code GET /api/thumb/{id}}: a JPEG thumbnail of an indexed image, made once (under the {@link
 * DecodeGate}) and then served from the cache.
 */
final class ThumbnailRoute implements Route {
  static final String PREFIX = "/api/thumb/";

  private final SearchBackend backend;
  private final Thumbnails thumbnails;
  private final DecodeGate decodes;
  private final int box;

  ThumbnailRoute(SearchBackend backend, Thumbnails thumbnails, DecodeGate decodes, int box) {
    this.backend = backend;
    this.thumbnails = thumbnails;
    this.decodes = decodes;
    this.box = box;
  }

  @Override
  public void handle(Exchange ex) {
    ImageDoc image = IndexedFiles.byId(backend, ex.path().substring(PREFIX.length()));
    String etag = "\"t" + box + "-" + image.id() + "\"";
    if (ex.notModified(etag)) {
      return;
    }
    Path file = IndexedFiles.unchanged(image);
    byte[] jpeg;
    try {
      jpeg =
          thumbnails.get(
              image.id(),
              () -> {
                try (DecodeGate.Slot slot = decodes.enter("thumbnail")) {
                  return thumbnails.make(ImageSource.of(file));
                }
              });
    } catch (ImageDecodeException e) {
      throw ApiError.notFound(
          IndexedFiles.name(image) + " can no longer be decoded: " + e.getMessage());
    }
    ex.header("ETag", etag);
    ex.header("Cache-Control", "private, max-age=86400");
    ex.send(200, "image/jpeg", jpeg);
  }
}
