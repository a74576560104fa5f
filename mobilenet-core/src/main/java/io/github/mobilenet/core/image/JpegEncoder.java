package io.github.mobilenet.core.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Baseline JPEG bytes through the JDK's ImageIO writer at an explicit quality: one place for the
 * writer's set-up, shared by thumbnails and the distorted copies evaluations make. Thread-safe:
 * every call uses its own writer.
 */
public final class JpegEncoder {
  private JpegEncoder() {}

  /**
   * Encodes {@code image} (an RGB or gray raster: JPEG has no alpha) at {@code quality} 0..1.
   *
   * @throws IllegalArgumentException for a quality outside 0..1 (from ImageIO)
   */
  public static byte[] encode(BufferedImage image, float quality) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 << 10);
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /** Encodes an RGB image (see {@link RgbImage#toBufferedImage()}). */
  public static byte[] encode(RgbImage image, float quality) {
    return encode(image.toBufferedImage(), quality);
  }
}
