package io.github.mobilenet.demo.web;

import io.github.mobilenet.core.image.ImageDecodeException;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.embeddings.index.ImageDoc;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code GET /api/thumb/{id}}: a JPEG thumbnail of an indexed image, made once (under the {@link
 * DecodeGate}) and then served from the cache.
 */
final class ThumbnailRoute implements Route {
  static final String PREFIX = "/api/thumb/";

  private final SearchBackend backend;
  private final Thumbnails thumbnails;
  private final DecodeGate decodes;
  private final Duration wait;
  private final int box;

  /**
   * @param wait how long a thumbnail waits for a decode slot
   */
  ThumbnailRoute(
      SearchBackend backend, Thumbnails thumbnails, DecodeGate decodes, Duration wait, int box) {
    this.backend = backend;
    this.thumbnails = thumbnails;
    this.decodes = decodes;
    this.wait = wait;
    this.box = box;
  }

  /** The pixels a decode of this image holds; unknown sizes count as the largest allowed. */
  static long pixels(ImageDoc image) {
    long px = (long) image.width() * image.height();
    return px > 0 ? px : io.github.mobilenet.core.image.ImageDecoder.DEFAULT_MAX_PIXELS;
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
                try (DecodeGate.Slot slot = decodes.enter("thumbnail", pixels(image), wait)) {
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
