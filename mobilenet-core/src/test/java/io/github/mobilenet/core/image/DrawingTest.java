package io.github.mobilenet.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.mobilenet.core.TestImages;
import java.awt.Color;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class DrawingTest {
  @Test
  void drawPaintsANewRgbImageOfTheGivenSize() {
    BufferedImage img =
        Drawing.draw(
            5,
            3,
            g -> {
              g.setColor(new Color(0x336699));
              g.fillRect(0, 0, 5, 3);
            });
    assertEquals(5, img.getWidth());
    assertEquals(3, img.getHeight());
    assertEquals(BufferedImage.TYPE_INT_RGB, img.getType());
    assertEquals(0x336699, img.getRGB(4, 2) & 0xFFFFFF);
  }

  @Test
  void scaledHalvesAFlatImageWithoutChangingItsColour() {
    BufferedImage flat = TestImages.rgb(8, 6, (x, y) -> 0x80C040);
    BufferedImage half = Drawing.scaled(flat, 4, 3);
    assertEquals(4, half.getWidth());
    assertEquals(3, half.getHeight());
    assertEquals(0x80C040, half.getRGB(2, 1) & 0xFFFFFF);
  }

  @Test
  void scaledKeepsEachSideItsColour() {
    // Left half black, right half white: each end of a 2× reduction keeps its side.
    BufferedImage src = TestImages.rgb(8, 2, (x, y) -> x < 4 ? 0 : 0xFFFFFF);
    BufferedImage small = Drawing.scaled(src, 4, 1);
    assertEquals(0, small.getRGB(0, 0) & 0xFF);
    assertEquals(255, small.getRGB(3, 0) & 0xFF);
  }
}
