package io.github.mobilenet.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.TestImages;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class JpegEncoderTest {
  private static final ImageDecoder DECODER = new ImageDecoder();

  @Test
  void toBufferedImageKeepsEveryPixel() {
    byte[] rgb = {
      (byte) 255, 0, 0, 0, (byte) 128, 0, 0, 0, (byte) 255, 10, 20, 30, 1, 2, 3, 4, 5, 6
    };
    BufferedImage img = new RgbImage(3, 2, rgb).toBufferedImage();
    assertEquals(BufferedImage.TYPE_INT_RGB, img.getType());
    assertEquals(0xFF0000, img.getRGB(0, 0) & 0xFFFFFF);
    assertEquals(0x008000, img.getRGB(1, 0) & 0xFFFFFF);
    assertEquals(0x0000FF, img.getRGB(2, 0) & 0xFFFFFF);
    assertEquals(0x0A141E, img.getRGB(0, 1) & 0xFFFFFF);
    assertEquals(0x040506, img.getRGB(2, 1) & 0xFFFFFF);
  }

  @Test
  void encodedJpegDecodesBackCloseToTheSource() {
    BufferedImage src = TestImages.rgb(64, 48, (x, y) -> (x * 4) << 16 | (y * 5) << 8 | 128);
    RgbImage original = DECODER.decode(ImageSource.from(TestImages.encode(src, "png")));
    byte[] jpeg = JpegEncoder.encode(original, 0.95f);
    assertEquals(ImageFormat.JPEG, ImageFormat.sniff(jpeg));
    RgbImage back = DECODER.decode(ImageSource.from(jpeg));
    assertEquals(64, back.width());
    assertEquals(48, back.height());
    double diff = TestImages.meanAbsDiff(original, back);
    assertTrue(diff < 3, "mean abs diff " + diff);
  }

  @Test
  void lowerQualityMakesFewerBytes() {
    BufferedImage noise =
        TestImages.rgb(96, 96, (x, y) -> (x * 7919 + y * 104729) * 2654435761L > 0 ? 0xFFFFFF : 0);
    assertTrue(JpegEncoder.encode(noise, 0.3f).length < JpegEncoder.encode(noise, 0.95f).length);
  }

  @Test
  void qualityOutsideZeroToOneIsRefused() {
    BufferedImage img = TestImages.rgb(4, 4, (x, y) -> 0);
    assertThrows(IllegalArgumentException.class, () -> JpegEncoder.encode(img, 1.5f));
  }
}
