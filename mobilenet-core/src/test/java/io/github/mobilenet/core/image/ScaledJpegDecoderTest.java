package io.github.mobilenet.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.TestFiles;
import io.github.mobilenet.core.TestImages;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scaled JPEG path of {@link ImageDecoder#decode(ImageSource, int, int)}: its sizes, its
 * closeness to a full decode, and that every file it declines (CMYK, ICC, truncated, too large) and
 * every machine without libjpeg-turbo gets exactly the ImageIO result. Runs against whichever
 * decoder this JVM loads, and always against the fallback.
 */
class ScaledJpegDecoderTest {
  private static final ScaledJpegDecoder LOADED = ScaledJpegDecoder.load();
  private static final List<ImageDecoder> DECODERS =
      Arrays.asList(
          new ImageDecoder(
              ImageDecoder.DEFAULT_MAX_PIXELS,
              ImageDecoder.DEFAULT_MAX_FILE_BYTES,
              ImageDecoder.DEFAULT_BACKGROUND,
              LOADED),
          new ImageDecoder(
              ImageDecoder.DEFAULT_MAX_PIXELS,
              ImageDecoder.DEFAULT_MAX_FILE_BYTES,
              ImageDecoder.DEFAULT_BACKGROUND,
              null));

  @Test
  void aMissingImplementationFallsBackToImageIo() {
    assertNull(ScaledJpegDecoder.load("io.github.mobilenet.core.image.NoSuchDecoder"));
    ImageDecoder fallback = DECODERS.get(1);
    assertEquals("ImageIO (no DCT scaling)", fallback.jpegDecoder());
    ImageSource photo = ImageSource.of(TestFiles.test("darknet_dog.jpg"));
    RgbImage plain = new ImageDecoder().decode(photo, 0);
    RgbImage scaled = fallback.decode(photo, 0, 224);
    assertEquals(plain.width(), scaled.width());
    assertArrayEquals(plain.rgb(), scaled.rgb());
  }

  @Test
  void aMissingNativeLibraryFallsBackToImageIo() {
    withProperty("/nonexistent/libturbojpeg.so.0", () -> assertNull(ScaledJpegDecoder.load()));
  }

  @Test
  void thePropertyTurnsTheFastPathOffForDecodersMadeThen() {
    withProperty(
        "off",
        () -> {
          ImageDecoder off = new ImageDecoder();
          assertEquals("ImageIO (no DCT scaling)", off.jpegDecoder());
          assertEquals(
              500, off.decode(ImageSource.of(TestFiles.test("kodak_kodim05.jpg")), 0, 8).width());
        });
  }

  @Test
  void theLoadedDecoderNamesItself() {
    String expected = LOADED == null ? "ImageIO (no DCT scaling)" : LOADED.description();
    assertEquals(expected, new ImageDecoder().jpegDecoder());
  }

  @Test
  void continuousIntegrationHasTheFastPathOnJava22AndLater() {
    if (System.getenv("CI") != null && Runtime.version().feature() >= 22) {
      assertTrue(LOADED != null, ".ci/run installs libturbojpeg; the fast path must load");
    }
  }

  @Test
  void heapAndNativeBuffersDecodeTheSamePixels() throws ReflectiveOperationException {
    if (LOADED == null) {
      return; // no TurboJPEG here: the fallback is tested above
    }
    var make = LOADED.getClass().getDeclaredConstructor(long.class);
    ScaledJpegDecoder onHeap = (ScaledJpegDecoder) make.newInstance(Long.MAX_VALUE);
    ScaledJpegDecoder offHeap = (ScaledJpegDecoder) make.newInstance(0L);
    for (String name : List.of("kodak_kodim05.jpg", "derived_camera_gray.jpg", "darknet_dog.jpg")) {
      byte[] jpeg = TestImages.read(TestFiles.test(name));
      for (int minSide : new int[] {0, 150}) {
        RgbImage a = onHeap.decode(jpeg, minSide, ImageDecoder.DEFAULT_MAX_PIXELS);
        RgbImage b = offHeap.decode(jpeg, minSide, ImageDecoder.DEFAULT_MAX_PIXELS);
        assertEquals(b.width(), a.width(), name);
        assertEquals(b.height(), a.height(), name);
        assertArrayEquals(b.rgb(), a.rgb(), name + " at " + minSide);
      }
      byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2);
      assertNull(onHeap.decode(cut, 0, ImageDecoder.DEFAULT_MAX_PIXELS), name + " truncated");
      assertNull(offHeap.decode(cut, 0, ImageDecoder.DEFAULT_MAX_PIXELS), name + " truncated");
    }
  }

  @Test
  void scaleFactorKeepsTheShorterSideAtLeastTheTarget() {
    // 1280x720 for 224: 1/2 gives 360 ≥ 224, 1/4 gives 180 < 224; for 180, 1/4; for 91, still 1/4
    ImageSource cat = ImageSource.of(TestFiles.natural("cat_720p.jpg"));
    for (ImageDecoder d : DECODERS) {
      boolean scales = !d.jpegDecoder().startsWith("ImageIO");
      assertEquals(scales ? 640 : 1280, d.decode(cat, 0, 224).width(), d.jpegDecoder());
      assertEquals(scales ? 320 : 1280, d.decode(cat, 0, 180).width(), d.jpegDecoder());
      assertEquals(scales ? 320 : 1280, d.decode(cat, 0, 91).width(), d.jpegDecoder());
      assertEquals(scales ? 160 : 1280, d.decode(cat, 0, 90).width(), d.jpegDecoder());
      assertEquals(scales ? 90 : 720, d.decode(cat, 0, 90).height(), d.jpegDecoder());
      assertEquals(1280, d.decode(cat, 0, 0).width(), d.jpegDecoder());
    }
  }

  @Test
  void scaledPixelsAreCloseToABlockAverageOfTheFullDecode() {
    for (ImageDecoder d : DECODERS) {
      ImageSource photo = ImageSource.of(TestFiles.test("kodak_kodim05.jpg"));
      RgbImage scaled = d.decode(photo, 0, 150);
      RgbImage fullSize = d.decode(photo, 0);
      int k = fullSize.width() / scaled.width();
      RgbImage reference = k > 1 ? ImageDecoder.areaReduce(fullSize, k) : fullSize;
      assertEquals(reference.width(), scaled.width(), d.jpegDecoder());
      double diff = TestImages.meanAbsDiff(reference, scaled);
      assertTrue(diff < 2.0, d.jpegDecoder() + ": mean abs diff " + diff);
    }
  }

  @Test
  void exifOrientationIsAppliedAfterScaling() {
    for (ImageDecoder d : DECODERS) {
      ImageSource photo = ImageSource.of(TestFiles.test("derived_chelsea_exif6.jpg"));
      RgbImage upright = d.decode(photo, 0);
      RgbImage scaled = d.decode(photo, 0, 100);
      double ratio = (double) upright.width() / upright.height();
      double scaledRatio = (double) scaled.width() / scaled.height();
      assertEquals(ratio, scaledRatio, 0.01, d.jpegDecoder()); // 1/2 rounds sides up
      assertTrue(scaled.width() <= upright.width());
    }
  }

  @Test
  void grayJpegsStayGray() {
    for (ImageDecoder d : DECODERS) {
      RgbImage img = d.decode(ImageSource.of(TestFiles.test("derived_camera_gray.jpg")), 0, 128);
      for (int i = 0; i < img.rgb().length; i += 3) {
        assertEquals(img.rgb()[i], img.rgb()[i + 1]);
        assertEquals(img.rgb()[i], img.rgb()[i + 2]);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cmyk.jpg", "ycck.jpg"})
  void cmykAndYcckDecodeExactlyAsBefore(String name) {
    ImageSource src = ImageSource.of(TestImages.read(TestImages.fixture(name)), name);
    assertEveryDecoderMatchesThePlainDecode(src, 8);
  }

  @Test
  void jpegsWithANonSrgbProfileAreToldApart() {
    // ImageIO converts through an embedded Adobe RGB profile (libjpeg-turbo would not), and so
    // does the fast path since it can (MatrixShaperConversionTest): skimage_rocket's plain decode
    // differs from ImageIO's by 5.7 per channel value on average.
    byte[] rocket = TestImages.read(TestFiles.test("skimage_rocket.jpg"));
    assertTrue(ImageFormat.jpegHasIccProfile(rocket));
    assertTrue(ImageFormat.jpegNeedsColourConversion(rocket));
  }

  @Test
  void jpegsWithAnSrgbProfileTakeTheFastPathWithTheSameColours() {
    // The HP "IEC sRGB" profile that many cameras and editors embed: ImageIO leaves the colours.
    byte[] dog = TestImages.read(TestFiles.test("darknet_dog.jpg"));
    assertTrue(ImageFormat.jpegHasIccProfile(dog));
    assertFalse(ImageFormat.jpegNeedsColourConversion(dog));
    byte[] plain = TestImages.read(TestFiles.test("kodak_kodim05.jpg"));
    assertFalse(ImageFormat.jpegHasIccProfile(plain));
    assertFalse(ImageFormat.jpegNeedsColourConversion(plain));
    ImageSource src = ImageSource.of(dog, "darknet_dog.jpg");
    RgbImage before = new ImageDecoder().decode(src, 0);
    for (ImageDecoder d : DECODERS) {
      RgbImage now = d.decode(src, 0, 1); // any side is ≥ 1 at 1/8: 96×72
      RgbImage same = d.decode(src, 0, before.height()); // no scale possible: full size
      assertEquals(before.width(), same.width(), d.jpegDecoder());
      double diff = TestImages.meanAbsDiff(before, same);
      assertTrue(diff < 1.0, d.jpegDecoder() + ": mean abs diff " + diff); // measured 0.54
      boolean scales = !d.jpegDecoder().startsWith("ImageIO");
      assertEquals(scales ? 96 : 768, now.width(), d.jpegDecoder());
    }
  }

  /** Runs {@code body} with the library property set to {@code value}, then restores it. */
  private static void withProperty(String value, Runnable body) {
    String before = System.getProperty(ScaledJpegDecoder.PROPERTY);
    System.setProperty(ScaledJpegDecoder.PROPERTY, value);
    try {
      body.run();
    } finally {
      if (before == null) {
        System.clearProperty(ScaledJpegDecoder.PROPERTY);
      } else {
        System.setProperty(ScaledJpegDecoder.PROPERTY, before);
      }
    }
  }

  /** Every decoder, asked for a scaled decode, returns the plain ImageIO decode byte for byte. */
  private static void assertEveryDecoderMatchesThePlainDecode(ImageSource src, int scaledMinSide) {
    RgbImage before = new ImageDecoder().decode(src, 0);
    for (ImageDecoder d : DECODERS) {
      assertArrayEquals(before.rgb(), d.decode(src, 0, scaledMinSide).rgb(), d.jpegDecoder());
    }
  }

  @Test
  void truncatedAndOversizedJpegsFailAsBefore() {
    byte[] plain = TestImages.read(TestFiles.test("kodak_kodim05.jpg"));
    ImageSource cut = ImageSource.of(Arrays.copyOf(plain, plain.length / 2), "cut.jpg");
    for (ImageDecoder d : DECODERS) {
      ImageDecodeException e =
          assertThrows(ImageDecodeException.class, () -> d.decode(cut, 0, 224));
      assertEquals(ImageDecodeException.Reason.TRUNCATED, e.reason(), d.jpegDecoder());
    }
    ImageDecoder small =
        new ImageDecoder(
            100_000, ImageDecoder.DEFAULT_MAX_FILE_BYTES, ImageDecoder.DEFAULT_BACKGROUND, LOADED);
    ImageDecodeException e =
        assertThrows(
            ImageDecodeException.class, () -> small.decode(ImageSource.of(plain, "dog.jpg"), 0, 8));
    assertEquals(ImageDecodeException.Reason.TOO_LARGE, e.reason());
  }
}
