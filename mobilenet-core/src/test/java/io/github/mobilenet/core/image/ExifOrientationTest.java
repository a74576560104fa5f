package io.github.mobilenet.core.image;

import static io.github.mobilenet.core.TestImages.px;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.TestFiles;
import io.github.mobilenet.core.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * EXIF orientation: images stored sideways or mirrored with an Orientation tag come out upright.
 * The stored images are built here from the EXIF definition of each value (where the stored 0th row
 * and 0th column are shown), independently of the decoder's own mapping.
 */
class ExifOrientationTest {
  final ImageDecoder decoder = new ImageDecoder();

  /**
   * The upright picture: 3x2 cells of 16x16, colours far apart so JPEG loss cannot confuse them.
   */
  static final int CELL = 16;

  static final int[][] CELLS = {{0xFF0000, 0x00FF00, 0x0000FF}, {0xFFFF00, 0x00FFFF, 0xFF00FF}};
  static final int UW = 3 * CELL;
  static final int UH = 2 * CELL;

  static int upright(int x, int y) {
    return CELLS[y / CELL][x / CELL];
  }

  /**
   * The stored image for an orientation, from where the EXIF spec shows the stored 0th row and 0th
   * column: o=1 top/left; 2 top/right; 3 bottom/right; 4 bottom/left; 5 left/top; 6 right/top; 7
   * right/bottom; 8 left/bottom. So 5..8 store the picture transposed, and the first stored pixel
   * is shown at the right for 2, 3, 6, 7 and at the bottom for 3, 4, 7, 8.
   */
  static BufferedImage stored(int o) {
    if (o < 1 || o > 8) {
      throw new IllegalArgumentException("orientation " + o);
    }
    boolean swap = o >= 5;
    boolean right = o == 2 || o == 3 || o == 6 || o == 7;
    boolean bottom = o == 3 || o == 4 || o == 7 || o == 8;
    int sw = swap ? UH : UW;
    int sh = swap ? UW : UH;
    return TestImages.rgb(
        sw,
        sh,
        (sx, sy) -> {
          int tx = swap ? sy : sx;
          int ty = swap ? sx : sy;
          return upright(right ? UW - 1 - tx : tx, bottom ? UH - 1 - ty : ty);
        });
  }

  static void assertUpright(RgbImage img, int tolerance, String what) {
    assertEquals(UW + "x" + UH, img.width() + "x" + img.height(), what + " size");
    for (int y = 0; y < UH; y++) {
      for (int x = 0; x < UW; x++) {
        if (x % CELL == 0 || x % CELL == CELL - 1 || y % CELL == 0 || y % CELL == CELL - 1) {
          continue; // JPEG ringing at cell borders
        }
        int p = upright(x, y);
        for (int c = 0; c < 3; c++) {
          int expected = (p >> (16 - 8 * c)) & 0xFF;
          assertEquals(
              expected,
              img.get(x, y, c),
              tolerance,
              what + " at " + x + "," + y + " is " + px(img, x, y));
        }
      }
    }
  }

  /** A TIFF block holding one IFD entry: Orientation (0x0112, SHORT, 1) = o. */
  static byte[] exifTiff(int o, boolean littleEndian) {
    ByteBuffer b =
        ByteBuffer.allocate(26)
            .order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    b.put(littleEndian ? (byte) 'I' : (byte) 'M')
        .put(littleEndian ? (byte) 'I' : (byte) 'M')
        .putShort((short) 42)
        .putInt(8);
    b.putShort((short) 1); // entries
    b.putShort((short) 0x0112)
        .putShort((short) 3)
        .putInt(1)
        .putShort((short) o)
        .putShort((short) 0);
    b.putInt(0); // no next IFD
    return b.array();
  }

  /** Inserts an APP1 "Exif" segment right after the JPEG's SOI and APP0 segments. */
  static byte[] withExif(byte[] jpeg, byte[] tiff) {
    int at = 2;
    if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) {
      at = 4 + (((jpeg[4] & 0xFF) << 8) | (jpeg[5] & 0xFF));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, at);
    int len = 2 + 6 + tiff.length;
    out.write(0xFF);
    out.write(0xE1);
    out.write(len >> 8);
    out.write(len & 0xFF);
    out.writeBytes("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(tiff);
    out.write(jpeg, at, jpeg.length - at);
    return out.toByteArray();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void everyJpegOrientationComesOutUpright(int o) {
    byte[] jpeg = TestImages.jpeg(stored(o), 0.95f);
    byte[] tagged = withExif(jpeg, exifTiff(o, o % 2 == 0)); // both byte orders
    assertEquals(o, ExifOrientation.read(tagged, ImageFormat.JPEG));
    assertUpright(decoder.decode(ImageSource.of(tagged, "o" + o)), 40, "orientation " + o);
  }

  @Test
  void untaggedAndBrokenExifLeaveTheImageAsStored() {
    byte[] jpeg = TestImages.jpeg(stored(1), 0.95f);
    assertUpright(decoder.decode(ImageSource.of(jpeg, "plain")), 40, "no exif");
    byte[] bogusValue = withExif(jpeg, exifTiff(9, true));
    assertUpright(decoder.decode(ImageSource.of(bogusValue, "o9")), 40, "orientation 9");
    byte[] truncatedTiff = withExif(jpeg, java.util.Arrays.copyOf(exifTiff(6, true), 12));
    assertUpright(
        decoder.decode(ImageSource.of(truncatedTiff, "short exif")), 40, "truncated exif");
  }

  @Test
  void pngExifChunkIsApplied() {
    byte[] png = TestImages.encode(stored(6), "png");
    // eXIf must come before IDAT: insert it right after IHDR (8-byte signature + 25-byte IHDR
    // chunk).
    byte[] tiff = exifTiff(6, false);
    ByteBuffer chunk = ByteBuffer.allocate(12 + tiff.length);
    chunk.putInt(tiff.length).put("eXIf".getBytes(StandardCharsets.US_ASCII)).put(tiff);
    CRC32 crc = new CRC32();
    crc.update(chunk.array(), 4, 4 + tiff.length);
    chunk.putInt((int) crc.getValue());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(png, 0, 33);
    out.writeBytes(chunk.array());
    out.write(png, 33, png.length - 33);
    assertUpright(decoder.decode(ImageSource.of(out.toByteArray(), "exif.png")), 0, "png");
  }

  /** Fixtures written by cwebp + exiftool and ImageMagick (see fixtures/README.md). */
  @ParameterizedTest
  @ValueSource(strings = {"orient6.webp", "orient6.tif"})
  void webpAndTiffOrientationIsApplied(String name) {
    assertUpright(decoder.decode(ImageSource.of(TestImages.fixture(name))), 0, name);
  }

  @Test
  void rotatedChelseaDecodesLikeTheUprightOriginal() {
    RgbImage rotated = decoder.decode(ImageSource.of(TestFiles.test("derived_chelsea_exif6.jpg")));
    RgbImage original = decoder.decode(ImageSource.of(TestFiles.test("skimage_chelsea.png")));
    assertEquals(451, rotated.width());
    assertEquals(300, rotated.height());
    double diff = TestImages.meanAbsDiff(rotated, original);
    assertTrue(diff < 3, "mean abs diff " + diff); // JPEG q90 loss only
  }
}
