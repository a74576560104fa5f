package io.github.mobilenet.demo.web;

import io.github.mobilenet.core.image.ImageDecoder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** The pixel count an encoded image declares in its header, read without decoding it. */
final class ImageHeader {
  private ImageHeader() {}

  /**
   * Width × height from the header; when it cannot be read, the most the decoder accepts (the
   * decode that follows will say what is wrong).
   */
  static long pixels(byte[] encoded) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers != null && readers.hasNext()) {
        ImageReader reader = readers.next();
        try {
          reader.setInput(in, true, true);
          long px = (long) reader.getWidth(0) * reader.getHeight(0);
          if (px > 0) {
            return px;
          }
        } finally {
          reader.dispose();
        }
      }
    } catch (IOException | RuntimeException e) {
      // unreadable header: charge the maximum
    }
    return ImageDecoder.DEFAULT_MAX_PIXELS;
  }
}
