package io.github.mobilenet.demo.web;

import io.github.mobilenet.core.image.ImageFormat;
import java.util.Locale;

/** An uploaded image: the raw body or a multipart form's first file, with its sniffed format. */
record Upload(byte[] bytes, ImageFormat format) {

  /**
   * Reads the request's image.
   *
   * @throws ApiError 400 for an empty body or bytes that are no image format the decoder knows
   */
  static Upload read(Exchange ex) {
    byte[] body = ex.body();
    String contentType = ex.header("Content-Type");
    if (contentType != null
        && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      body = Multipart.firstFile(body, contentType);
    }
    if (body.length == 0) {
      throw ApiError.badRequest("upload: empty request body (send the image bytes as the body)");
    }
    ImageFormat format = ImageFormat.sniff(body);
    if (format == null) {
      // Content is sniffed; a declared type or file name never makes bytes an image.
      throw ApiError.badRequest(
          "upload: not an image (unrecognised signature; JPEG, PNG, GIF, BMP, WebP and TIFF are"
              + " accepted)");
    }
    return new Upload(body, format);
  }
}
