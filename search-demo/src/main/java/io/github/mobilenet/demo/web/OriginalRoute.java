package io.github.mobilenet.demo.web;

import io.github.mobilenet.core.image.ImageDecoder;
import io.github.mobilenet.core.image.ImageFormat;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.embeddings.index.ImageDoc;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code GET /api/image/{id}}: the indexed file itself, with the media type of its sniffed format.
 * TIFF, which browsers do not show, is decoded (under the {@link DecodeGate}) and sent as PNG.
 */
final class OriginalRoute implements Route {
  static final String PREFIX = "/api/image/";

  private final SearchBackend backend;
  private final DecodeGate decodes;
  private final Duration wait;
  private final ImageDecoder decoder = new ImageDecoder();

  /**
   * @param wait how long a TIFF conversion waits for a decode slot
   */
  OriginalRoute(SearchBackend backend, DecodeGate decodes, Duration wait) {
    this.backend = backend;
    this.decodes = decodes;
    this.wait = wait;
  }

  @Override
  public void handle(Exchange ex) throws IOException {
    ImageDoc image = IndexedFiles.byId(backend, ex.path().substring(PREFIX.length()));
    String etag = "\"i-" + image.id() + "\"";
    if (ex.notModified(etag)) {
      return;
    }
    Path file = IndexedFiles.unchanged(image);
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(16);
    }
    ImageFormat format = ImageFormat.sniff(head);
    if (format == null) {
      throw ApiError.notFound(IndexedFiles.name(image) + " is no longer an image");
    }
    ex.header("ETag", etag);
    ex.header("Cache-Control", "private, max-age=86400");
    ex.header(
        "Content-Disposition",
        "inline; filename*=UTF-8''" + encodeRfc5987(IndexedFiles.name(image)));
    if (format == ImageFormat.TIFF) {
      byte[] png;
      try (DecodeGate.Slot slot = decodes.enter("TIFF image", ThumbnailRoute.pixels(image), wait)) {
        png = Thumbnails.png(decoder.decode(ImageSource.of(file)).toBufferedImage());
      }
      ex.send(200, "image/png", png);
      return;
    }
    ex.sendFile(mediaType(format), file, image.size());
  }

  private static String mediaType(ImageFormat f) {
    return switch (f) {
      case JPEG -> "image/jpeg";
      case PNG -> "image/png";
      case GIF -> "image/gif";
      case BMP -> "image/bmp";
      case WEBP -> "image/webp";
      case TIFF -> "image/tiff";
    };
  }

  private static String encodeRfc5987(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(String.format("%02X", c));
      }
    }
    return out.toString();
  }
}
