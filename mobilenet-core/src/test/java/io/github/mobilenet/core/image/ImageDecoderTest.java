package io.github.mobilenet.core.image;

import static io.github.mobilenet.core.TestImages.px;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.TestFiles;
import io.github.mobilenet.core.TestImages;
import io.github.mobilenet.core.preprocess.PreprocessorTest;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every supported format and colour model decodes to the right upright 8-bit sRGB pixels. */
public class ImageDecoderTest {
  final ImageDecoder decoder = new ImageDecoder();

  RgbImage decode(byte[] bytes) {
    return decoder.decode(ImageSource.of(bytes, "test"));
  }

  /** Distinct, position-dependent colours, so misplaced pixels show. */
  public static int pattern(int x, int y) {
    return ((x * 37 + y * 11) & 0xFF) << 16
        | ((x * 5 + y * 53 + 17) & 0xFF) << 8
        | ((x * y + 101) & 0xFF);
  }

  static void assertPattern(RgbImage img, int w, int h) {
    assertEquals(w, img.width());
    assertEquals(h, img.height());
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = pattern(x, y);
        assertEquals((p >> 16) & 0xFF, img.get(x, y, 0), "R at " + x + "," + y);
        assertEquals((p >> 8) & 0xFF, img.get(x, y, 1), "G at " + x + "," + y);
        assertEquals(p & 0xFF, img.get(x, y, 2), "B at " + x + "," + y);
      }
    }
  }

  // ---- lossless formats the JDK can write: exact pixels ---------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"png", "bmp", "tiff"})
  void losslessRgbFormatsAreExact(String format) {
    byte[] bytes = TestImages.encode(TestImages.rgb(19, 13, ImageDecoderTest::pattern), format);
    assertPattern(decode(bytes), 19, 13);
  }

  @Test
  void threeByteBgrPngIsExact() {
    BufferedImage img = new BufferedImage(19, 13, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < 13; y++) {
      for (int x = 0; x < 19; x++) {
        img.setRGB(x, y, pattern(x, y));
      }
    }
    assertPattern(decode(TestImages.encode(img, "png")), 19, 13);
    assertPattern(decoder.decode(ImageSource.of(img, "bgr")), 19, 13);
  }

  @Test
  void interlacedPngIsExact() throws IOException {
    BufferedImage img = TestImages.rgb(21, 17, ImageDecoderTest::pattern);
    ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT); // Adam7
      writer.setOutput(out);
      writer.write(null, new IIOImage(img, null, null), param);
    } finally {
      writer.dispose();
    }
    assertPattern(decode(bytes.toByteArray()), 21, 17);
  }

  @Test
  void gray8PngKeepsItsValues() {
    BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster r = img.getRaster();
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        r.setSample(x, y, 0, y * 16 + x); // every value 0..255 once
      }
    }
    for (RgbImage out :
        new RgbImage[] {
          decode(TestImages.encode(img, "png")), decoder.decode(ImageSource.of(img, "gray"))
        }) {
      for (int y = 0; y < 16; y++) {
        for (int x = 0; x < 16; x++) {
          int v = y * 16 + x;
          // Gray is display-referred like RGB: 100 stays 100 (Java2D's linear CS_GRAY would make it
          // 170).
          assertEquals(
              v + "," + v + "," + v,
              out.get(x, y, 0) + "," + out.get(x, y, 1) + "," + out.get(x, y, 2),
              "at " + x + "," + y);
        }
      }
    }
  }

  @Test
  void gray16PngScalesTo8BitsWithRounding() {
    BufferedImage img = new BufferedImage(5, 1, BufferedImage.TYPE_USHORT_GRAY);
    int[] v16 = {
      0, 128, 32896, 65407, 65535
    }; // 128/257 = 0.498 -> 0; 32896 = 128*257; 65407/257 = 254.5 -> 255
    int[] v8 = {0, 0, 128, 255, 255};
    for (int x = 0; x < 5; x++) {
      img.getRaster().setSample(x, 0, 0, v16[x]);
    }
    RgbImage out = decode(TestImages.encode(img, "png"));
    for (int x = 0; x < 5; x++) {
      for (int c = 0; c < 3; c++) {
        assertEquals(v8[x], out.get(x, 0, c), "x=" + x + " c=" + c);
      }
    }
  }

  @Test
  void rgb16PngScalesTo8BitsWithRounding() {
    ComponentColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            false,
            false,
            Transparency.OPAQUE,
            DataBuffer.TYPE_USHORT);
    WritableRaster raster = cm.createCompatibleWritableRaster(4, 1);
    int[][] v16 = {
      {65535, 0, 0},
      {0, 32896, 65535},
      {257 * 200, 257 * 100 + 100, 257 * 50 - 100},
      {1000, 2000, 60000}
    };
    for (int x = 0; x < 4; x++) {
      raster.setPixel(x, 0, v16[x]);
    }
    RgbImage out = decode(TestImages.encode(new BufferedImage(cm, raster, false, null), "png"));
    for (int x = 0; x < 4; x++) {
      for (int c = 0; c < 3; c++) {
        assertEquals(Math.round(v16[x][c] * 255.0 / 65535), out.get(x, 0, c), "x=" + x + " c=" + c);
      }
    }
  }

  @Test
  void palettePngWithTransparentEntryOverWhite() {
    byte[] r = {(byte) 255, 0, 10, 0};
    byte[] g = {0, (byte) 200, 20, 0};
    byte[] b = {0, 0, (byte) 250, 0};
    IndexColorModel cm = new IndexColorModel(2, 4, r, g, b, 3); // index 3 transparent
    BufferedImage img = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_BINARY, cm);
    for (int x = 0; x < 4; x++) {
      img.getRaster().setSample(x, 0, 0, x);
      img.getRaster().setSample(x, 1, 0, 3 - x);
    }
    RgbImage out = decode(TestImages.encode(img, "png"));
    String[] expected = {"(255,0,0)", "(0,200,0)", "(10,20,250)", "(255,255,255)"};
    for (int x = 0; x < 4; x++) {
      assertEquals(expected[x], px(out, x, 0));
      assertEquals(expected[3 - x], px(out, x, 1));
    }
  }

  @Test
  void alphaPngIsCompositedOverTheBackground() {
    int[] alphas = {0, 1, 64, 128, 254, 255};
    BufferedImage img = new BufferedImage(alphas.length, 1, BufferedImage.TYPE_INT_ARGB);
    for (int x = 0; x < alphas.length; x++) {
      img.setRGB(
          x, 0, alphas[x] << 24 | 200 << 16 | 10 << 8 | 90); // non-premultiplied (200, 10, 90)
    }
    byte[] png = TestImages.encode(img, "png");
    RgbImage white = decode(png);
    RgbImage black =
        new ImageDecoder(
                ImageDecoder.DEFAULT_MAX_PIXELS, ImageDecoder.DEFAULT_MAX_FILE_BYTES, 0x000000)
            .decode(ImageSource.of(png, "alpha"));
    RgbImage teal =
        new ImageDecoder(
                ImageDecoder.DEFAULT_MAX_PIXELS, ImageDecoder.DEFAULT_MAX_FILE_BYTES, 0x008080)
            .decode(ImageSource.of(img, "alpha"));
    int[] colour = {200, 10, 90};
    for (int x = 0; x < alphas.length; x++) {
      double a = alphas[x] / 255.0;
      for (int c = 0; c < 3; c++) {
        assertEquals(
            Math.round(colour[c] * a + 255 * (1 - a)),
            white.get(x, 0, c),
            "white a=" + alphas[x] + " c=" + c);
        assertEquals(
            Math.round(colour[c] * a), black.get(x, 0, c), "black a=" + alphas[x] + " c=" + c);
        int bg = new int[] {0, 128, 128}[c];
        assertEquals(
            Math.round(colour[c] * a + bg * (1 - a)),
            teal.get(x, 0, c),
            "teal a=" + alphas[x] + " c=" + c);
      }
    }
  }

  @Test
  void grayAlphaPngIsCompositedOverWhite() {
    ComponentColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_GRAY),
            true,
            false,
            Transparency.TRANSLUCENT,
            DataBuffer.TYPE_BYTE);
    WritableRaster raster = cm.createCompatibleWritableRaster(3, 1);
    raster.setPixel(0, 0, new int[] {40, 255});
    raster.setPixel(1, 0, new int[] {40, 0});
    raster.setPixel(2, 0, new int[] {40, 102}); // 40 * 0.4 + 255 * 0.6 = 169
    RgbImage out = decode(TestImages.encode(new BufferedImage(cm, raster, false, null), "png"));
    assertEquals("(40,40,40)", px(out, 0, 0));
    assertEquals("(255,255,255)", px(out, 1, 0));
    assertEquals("(169,169,169)", px(out, 2, 0));
  }

  @Test
  void gifDecodesItsFirstFrame() throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.prepareWriteSequence(null);
      writer.writeToSequence(new IIOImage(indexed(0xFF0000, 0x0000FF), null, null), null);
      writer.writeToSequence(new IIOImage(indexed(0x00FF00, 0x00FF00), null, null), null);
      writer.endWriteSequence();
    } finally {
      writer.dispose();
    }
    RgbImage out = decode(bytes.toByteArray());
    assertEquals(8, out.width());
    assertEquals(6, out.height());
    for (int y = 0; y < 6; y++) {
      for (int x = 0; x < 8; x++) {
        assertEquals(x < 4 ? "(255,0,0)" : "(0,0,255)", px(out, x, y), "at " + x + "," + y);
      }
    }
  }

  /** 8x6, left half colour a, right half colour b, as a 2-entry palette image. */
  public static BufferedImage indexed(int a, int b) {
    IndexColorModel cm =
        new IndexColorModel(1, 2, new int[] {a, b}, 0, false, -1, DataBuffer.TYPE_BYTE);
    BufferedImage img = new BufferedImage(8, 6, BufferedImage.TYPE_BYTE_BINARY, cm);
    for (int y = 0; y < 6; y++) {
      for (int x = 0; x < 8; x++) {
        img.getRaster().setSample(x, y, 0, x < 4 ? 0 : 1);
      }
    }
    return img;
  }

  // ---- lossy and exotic formats: committed fixtures (see fixtures/README.md) --------------------

  static RgbImage reference() {
    return new ImageDecoder().decode(ImageSource.of(TestImages.fixture("reference.png")));
  }

  /** The six 16x16 patches on top of reference.png: red, green, blue, yellow, gray, white. */
  static final int[][] PATCHES = {
    {220, 30, 30}, {30, 170, 60}, {40, 60, 190}, {230, 210, 40}, {128, 128, 128}, {255, 255, 255}
  };

  @Test
  void referenceFixtureHasItsPatches() {
    RgbImage ref = reference();
    assertEquals(96, ref.width());
    assertEquals(80, ref.height());
    assertPatches(ref, 0);
  }

  static void assertPatches(RgbImage img, int tolerance) {
    for (int i = 0; i < PATCHES.length; i++) {
      int x = i * 16 + 8;
      for (int c = 0; c < 3; c++) {
        assertEquals(
            PATCHES[i][c],
            img.get(x, 8, c),
            tolerance,
            "patch " + i + " channel " + c + " is " + px(img, x, 8));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"progressive.jpg", "lossy.webp"})
  void lossyFixturesMatchTheReference(String name) {
    assertNearReference(name); // mean abs diff measured 1.5 (jpg), 1.9 (webp)
  }

  /** A lossy copy of reference.png: a mean abs diff under 2.5, every patch within 3. */
  void assertNearReference(String fixture) {
    RgbImage img = decoder.decode(ImageSource.of(TestImages.fixture(fixture)));
    double diff = TestImages.meanAbsDiff(img, reference());
    assertTrue(diff < 2.5, fixture + ": mean abs diff " + diff);
    assertPatches(img, 3);
  }

  /**
   * CMYK (Adobe, inverted) and YCCK JPEGs without an ICC profile, made from reference.png: they
   * must come back as the RGB they were made from, not inverted, not with swapped channels.
   */
  @ParameterizedTest
  @ValueSource(strings = {"cmyk.jpg", "ycck.jpg"})
  void cmykAndYcckJpegsDecodeToTheirColours(String name) {
    assertNearReference(name); // mean abs diff measured 1.0 (cmyk), 1.3 (ycck)
  }

  @Test
  void losslessWebpIsExact() {
    RgbImage img = decoder.decode(ImageSource.of(TestImages.fixture("lossless.webp")));
    assertEquals(0.0, TestImages.meanAbsDiff(img, reference()));
  }

  @Test
  void webpAlphaIsCompositedOverWhite() {
    RgbImage img = decoder.decode(ImageSource.of(TestImages.fixture("alpha.webp")));
    RgbImage ref = reference();
    for (int y = 0; y < 80; y++) {
      for (int x = 0; x < 96; x++) {
        String expected = x < 48 ? "(255,255,255)" : px(ref, x, y);
        assertEquals(expected, px(img, x, y), "at " + x + "," + y);
      }
    }
  }

  @Test
  void grayJpegMatchesTheGrayPngItWasMadeFrom() {
    RgbImage jpeg = decoder.decode(ImageSource.of(TestFiles.test("derived_camera_gray.jpg")));
    RgbImage png = decoder.decode(ImageSource.of(TestFiles.test("skimage_camera.png")));
    double diff = TestImages.meanAbsDiff(jpeg, png);
    assertTrue(diff < 2.5, "mean abs diff " + diff);
    for (int i = 0; i < jpeg.rgb().length; i += 3) {
      assertEquals(jpeg.rgb()[i], jpeg.rgb()[i + 1]);
      assertEquals(jpeg.rgb()[i], jpeg.rgb()[i + 2]);
    }
  }

  @Test
  void jpegDecodesCloseToItsSource() {
    BufferedImage img = TestImages.rgb(64, 48, (x, y) -> (x * 4) << 16 | (y * 5) << 8 | 128);
    RgbImage out = decode(TestImages.jpeg(img, 0.95f));
    assertEquals(64, out.width());
    assertEquals(48, out.height());
    assertEquals(128, out.get(32, 24, 0), 4, px(out, 32, 24));
    assertEquals(120, out.get(32, 24, 1), 4, px(out, 32, 24));
    assertEquals(128, out.get(32, 24, 2), 4, px(out, 32, 24));
  }

  /** Our fast paths (R,G,B decode destination, packed-int images) give exactly ImageIO's pixels. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "skimage_coffee.jpg",
        "darknet_dog.jpg",
        "kodak_kodim05.jpg",
        "skimage_chelsea.png"
      })
  void photosDecodeToExactlyTheImageIoPixels(String name) throws IOException {
    BufferedImage expected = ImageIO.read(TestFiles.test(name).toFile());
    RgbImage ours = decoder.decode(ImageSource.of(TestFiles.test(name)));
    for (RgbImage img : new RgbImage[] {ours, decoder.decode(ImageSource.of(expected, name))}) {
      assertEquals(expected.getWidth(), img.width());
      assertEquals(expected.getHeight(), img.height());
      for (int y = 0; y < img.height(); y++) {
        for (int x = 0; x < img.width(); x++) {
          int p = expected.getRGB(x, y);
          String want = "(" + ((p >> 16) & 0xFF) + "," + ((p >> 8) & 0xFF) + "," + (p & 0xFF) + ")";
          if (!want.equals(px(img, x, y))) {
            assertEquals(want, px(img, x, y), name + " at " + x + "," + y);
          }
        }
      }
    }
  }

  @Test
  void packedIntImagesAreExact() {
    BufferedImage rgb = TestImages.rgb(19, 13, ImageDecoderTest::pattern);
    assertEquals(BufferedImage.TYPE_INT_RGB, rgb.getType());
    assertPattern(decoder.decode(ImageSource.of(rgb, "int rgb")), 19, 13);
    BufferedImage argb = new BufferedImage(19, 13, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 13; y++) {
      for (int x = 0; x < 19; x++) {
        argb.setRGB(x, y, 0xFF000000 | pattern(x, y));
      }
    }
    assertPattern(decoder.decode(ImageSource.of(argb, "int argb")), 19, 13);
    // A sub-image shares its parent's raster at an offset.
    BufferedImage big = TestImages.rgb(40, 30, (x, y) -> pattern(x - 5, y - 7));
    assertPattern(decoder.decode(ImageSource.of(big.getSubimage(5, 7, 19, 13), "sub")), 19, 13);
  }

  @Test
  void decodedImagesHandedInAreCopiedNotShared() {
    BufferedImage img = TestImages.rgb(4, 4, (x, y) -> 0x102030);
    RgbImage first = decoder.decode(ImageSource.of(img, "mine"));
    img.setRGB(0, 0, 0xFFFFFF);
    assertEquals("(16,32,48)", px(first, 0, 0));
  }

  // ---- reduced-resolution decoding ----------------------------------------------------------

  @Test
  void largeImagesAreReducedByBlockAveragesKeepingTheShorterSideAboveTheMinimum() {
    byte[] jpeg = TestImages.jpeg(TestImages.rgb(1000, 700, ImageDecoderTest::pattern), 0.9f);
    RgbImage full = decoder.decode(ImageSource.of(jpeg, "big"));
    assertEquals(1000, full.width());
    assertEquals(700, full.height());
    RgbImage reduced = decoder.decode(ImageSource.of(jpeg, "big"), 224); // 700 / 224 -> factor 3
    assertEquals(334, reduced.width()); // ceil(1000 / 3): the last column of blocks is 1 pixel wide
    assertEquals(234, reduced.height());
    RgbImage notWorthIt = decoder.decode(ImageSource.of(jpeg, "big"), 400); // factor 1
    assertEquals(1000, notWorthIt.width());
    for (int y = 0; y < reduced.height(); y += 17) {
      for (int x = 0; x < reduced.width(); x += 13) {
        for (int c = 0; c < 3; c++) {
          assertEquals(
              blockMean(full, 3, x, y, c), reduced.get(x, y, c), "at " + x + "," + y + " c=" + c);
        }
      }
    }
    // Decoded images handed in are reduced the same way.
    BufferedImage mem = TestImages.rgb(500, 460, ImageDecoderTest::pattern);
    RgbImage reducedMem = decoder.decode(ImageSource.of(mem, "mem"), 200); // factor 2
    RgbImage fullMem = decoder.decode(ImageSource.of(mem, "mem"));
    assertEquals(250, reducedMem.width());
    assertEquals(230, reducedMem.height());
    for (int y = 0; y < 230; y += 7) {
      for (int x = 0; x < 250; x += 5) {
        assertEquals(blockMean(fullMem, 2, x, y, 1), reducedMem.get(x, y, 1), "at " + x + "," + y);
      }
    }
  }

  /**
   * The rounded mean of the k×k block (clipped at the edges) that reduced pixel (x, y) stands for.
   */
  static int blockMean(RgbImage full, int k, int x, int y, int c) {
    int sum = 0;
    int n = 0;
    for (int yy = y * k; yy < Math.min(full.height(), y * k + k); yy++) {
      for (int xx = x * k; xx < Math.min(full.width(), x * k + k); xx++) {
        sum += full.get(xx, yy, c);
        n++;
      }
    }
    return (sum + n / 2) / n;
  }

  @Test
  void areaReduceHandlesPartialBlocksAtTheEdges() {
    // 5x3, k = 2: blocks of 2x2, 1x2 (right), 2x1 (bottom), 1x1 (corner).
    RgbImage img = PreprocessorTest.of(5, 3, (x, y) -> (10 * x + 100 * y) << 16);
    RgbImage r = ImageDecoder.areaReduce(img, 2);
    assertEquals(3, r.width());
    assertEquals(2, r.height());
    assertEquals(55, r.get(0, 0, 0)); // (0 + 10 + 100 + 110) / 4
    assertEquals(90, r.get(2, 0, 0)); // (40 + 140) / 2
    assertEquals(205, r.get(0, 1, 0)); // (200 + 210) / 2
    assertEquals(240, r.get(2, 1, 0)); // 240 alone
  }
}
