package io.github.mobilenet.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.TestFiles;
import io.github.mobilenet.core.TestImages;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * JPEGs with a matrix/TRC RGB profile take the fast path and come out as ImageIO's colour
 * management makes them; other profiles stay on ImageIO, byte for byte.
 */
class MatrixShaperConversionTest {
  private static final ImageDecoder FAST =
      new ImageDecoder(
          ImageDecoder.DEFAULT_MAX_PIXELS,
          ImageDecoder.DEFAULT_MAX_FILE_BYTES,
          ImageDecoder.DEFAULT_BACKGROUND,
          ScaledJpegDecoder.load());

  @Test
  void adobeRgbConvertsAsImageIoDoes() {
    // skimage_rocket embeds Adobe RGB (1998): colorants and a gamma 'curv'. Unconverted, its
    // pixels are 5.7 levels from ImageIO's on average.
    byte[] rocket = TestImages.read(TestFiles.test("skimage_rocket.jpg"));
    assertNotNull(MatrixShaperConversion.of(rocket));
    assertConvertedAsImageIo(rocket, "skimage_rocket.jpg", 5.0);
  }

  @Test
  void displayP3WithParametricCurvesConvertsAsImageIoDoes() {
    byte[] photo = TestImages.read(TestFiles.test("kodak_kodim05.jpg"));
    byte[] p3 = TestImages.withProfile(photo, TestImages.displayP3(0));
    assertNotNull(MatrixShaperConversion.of(p3));
    assertConvertedAsImageIo(p3, "kodim05_p3.jpg", 2.0);
  }

  @Test
  void profilesItCannotReproduceStayOnImageIoByteForByte() {
    byte[] photo = TestImages.read(TestFiles.test("kodak_kodim05.jpg"));
    byte[] absolute = TestImages.withProfile(photo, TestImages.displayP3(3));
    assertNull(MatrixShaperConversion.of(absolute));
    ImageSource src = ImageSource.of(absolute, "absolute.jpg");
    assertArrayEquals(new ImageDecoder().decode(src, 0).rgb(), FAST.decode(src, 0, 100).rgb());

    byte[] withLut = TestImages.displayP3(0);
    // Rename the description tag's entry to A2B0: colour management would prefer such a table.
    int count = ByteBuffer.wrap(withLut, 128, 4).getInt();
    for (int i = 0; i < count; i++) {
      int e = 132 + 12 * i;
      if (new String(withLut, e, 4, StandardCharsets.ISO_8859_1).equals("desc")) {
        System.arraycopy("A2B0".getBytes(StandardCharsets.ISO_8859_1), 0, withLut, e, 4);
      }
    }
    assertNull(MatrixShaperConversion.ofProfile(withLut));
    byte[] gray = ICC_Profile.getInstance(ColorSpace.CS_GRAY).getData();
    assertNull(MatrixShaperConversion.ofProfile(gray));
    assertNull(MatrixShaperConversion.ofProfile(Arrays.copyOf(TestImages.displayP3(0), 200)));
  }

  @Test
  void profileChunksAreJoinedInOrderAndIncompleteOnesDeclined() {
    byte[] photo = TestImages.read(TestFiles.test("kodak_kodim05.jpg"));
    byte[] icc = TestImages.displayP3(0);
    int half = icc.length / 2;
    byte[] first = Arrays.copyOfRange(icc, 0, half);
    byte[] second = Arrays.copyOfRange(icc, half, icc.length);
    byte[] inOrder =
        TestImages.withSegments(
            photo, TestImages.iccSegment(first, 1, 2), TestImages.iccSegment(second, 2, 2));
    byte[] reversed =
        TestImages.withSegments(
            photo, TestImages.iccSegment(second, 2, 2), TestImages.iccSegment(first, 1, 2));
    assertArrayEquals(icc, MatrixShaperConversion.profile(inOrder));
    assertArrayEquals(icc, MatrixShaperConversion.profile(reversed));
    assertNull(
        MatrixShaperConversion.profile(
            TestImages.withSegments(photo, TestImages.iccSegment(first, 1, 2))));
    assertNull(MatrixShaperConversion.profile(photo));
    byte[] whole = TestImages.withSegments(photo, TestImages.iccSegment(icc, 1, 1));
    assertArrayEquals(icc, MatrixShaperConversion.profile(whole));
    assertNull(MatrixShaperConversion.profile(Arrays.copyOf(whole, 2 + 18 + half)));
  }

  /**
   * The fast path, at full size and scaled, against ImageIO's decode through the same profile;
   * {@code unconvertedAtLeast}: how far the colours move, so that the conversion is not a no-op.
   */
  private static void assertConvertedAsImageIo(
      byte[] jpeg, String name, double unconvertedAtLeast) {
    ImageSource src = ImageSource.of(jpeg, name);
    RgbImage imageIo = new ImageDecoder().decode(src, 0);
    RgbImage full = FAST.decode(src, 0, imageIo.height()); // no DCT scale fits: full size
    assertEquals(imageIo.width(), full.width());
    if (FAST.jpegDecoder().startsWith("ImageIO")) {
      assertArrayEquals(imageIo.rgb(), full.rgb()); // no libjpeg-turbo: ImageIO throughout
      return;
    }
    double diff = TestImages.meanAbsDiff(imageIo, full);
    int max = 0;
    for (int i = 0; i < full.rgb().length; i++) {
      max = Math.max(max, Math.abs((full.rgb()[i] & 0xFF) - (imageIo.rgb()[i] & 0xFF)));
    }
    assertTrue(diff < 0.1, "mean abs diff " + diff); // measured 0.03 on skimage_rocket
    assertTrue(max <= 1, "max abs diff " + max);
    RgbImage raw = ScaledJpegDecoder.load().decode(jpeg, 0, Long.MAX_VALUE);
    double moved = TestImages.meanAbsDiff(imageIo, raw);
    assertTrue(moved > unconvertedAtLeast, "unconverted colours differ by only " + moved);

    RgbImage scaled = FAST.decode(src, 0, 100);
    int k = imageIo.width() / scaled.width();
    assertTrue(k >= 2, "scaled by " + k);
    double scaledDiff = TestImages.meanAbsDiff(ImageDecoder.areaReduce(imageIo, k), scaled);
    assertTrue(scaledDiff < 2.0, "scaled: mean abs diff " + scaledDiff);
  }
}
