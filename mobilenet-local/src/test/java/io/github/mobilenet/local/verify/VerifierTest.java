package io.github.mobilenet.local.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.image.RgbImage;
import io.github.mobilenet.local.Photos;
import io.github.mobilenet.local.extract.OrbExtractor;
import io.github.mobilenet.local.features.LocalFeatures;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Edited copies of real photos verify with hundreds of inliers and the right transform; different
 * photos, even of the same kind of subject, stay far below the thresholds.
 */
class VerifierTest {
  /** Every edit below scored 400 or more when written (768x576 dog photo): far above 60. */
  private static final int EDIT_MIN_INLIERS = 300;

  private static final OrbExtractor EXTRACTOR = new OrbExtractor();
  private static final Verifier VERIFIER = new Verifier();
  private static RgbImage dog;
  private static LocalFeatures dogFeatures;

  @BeforeAll
  static void load() {
    dog = Photos.sample("test/darknet_dog.jpg"); // 768x576: reduced to 640 for extraction
    dogFeatures = EXTRACTOR.extract(dog);
  }

  static Stream<Arguments> edits() {
    return Stream.of(
        edit("crop 80 %", img -> Photos.centreCrop(img, 0.8), Transform.CROP),
        edit("watermark", Photos::watermarked, Transform.IDENTITY),
        edit("JPEG q30", img -> Photos.jpegCopy(img, 0.3f), Transform.IDENTITY),
        edit("brightness +30 %", img -> Photos.brighter(img, 1.3), Transform.IDENTITY),
        edit("resize 50 %", img -> Photos.resized(img, 0.5), Transform.SCALE),
        edit("re-encode q90", img -> Photos.jpegCopy(img, 0.9f), Transform.IDENTITY),
        edit(
            "EXIF-rotated JPEG",
            img -> Photos.decode(Photos.exifRotatedJpeg(img)),
            Transform.IDENTITY),
        // The label says what the second image (the original) is of the first (the edit).
        edit("horizontal flip", img -> img.oriented(2), Transform.HFLIP),
        edit("rotated 90° clockwise", img -> img.oriented(6), Transform.ROT270),
        edit("rotated 180°", img -> img.oriented(3), Transform.ROT180),
        edit("rotated 90° anticlockwise", img -> img.oriented(8), Transform.ROT90));
  }

  private static Arguments edit(String name, UnaryOperator<RgbImage> f, Transform expected) {
    return Arguments.of(name, f, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("edits")
  void editedCopyVerifiesAgainstItsOriginal(
      String name, UnaryOperator<RgbImage> edit, Transform expected) {
    RgbImage copy = edit.apply(dog);
    Match m = VERIFIER.verify(EXTRACTOR.extractQuery(copy), dogFeatures);
    assertTrue(m.inliers() >= EDIT_MIN_INLIERS, name + ": " + m.inliers() + " inliers");
    assertEquals(expected, m.transform(), name);
    assertEquals(expected == Transform.HFLIP, m.mirrored(), name + " used the mirrored query");
    assertNotNull(m.homography());
    assertEquals(2 * m.inliers(), m.pointsA().length);
    assertTrue(m.tentative() >= m.inliers());
    assertTrue(Verifier.isSamePhoto(m), name + ": coverage " + m.coverage());
    // The homography maps each inlier of the copy onto its partner in the original, within the
    // RANSAC tolerance (8 reduced pixels = 9.6 original pixels for the 768-wide original).
    assertTrue(worstReprojection(m) <= 8 * 1.2 + 0.01, name + ": " + worstReprojection(m));
  }

  private static double worstReprojection(Match m) {
    double[] h = m.homography();
    double worst = 0;
    for (int i = 0; i < m.inliers(); i++) {
      double x = m.pointsA()[2 * i];
      double y = m.pointsA()[2 * i + 1];
      double w = h[6] * x + h[7] * y + h[8];
      double px = (h[0] * x + h[1] * y + h[2]) / w;
      double py = (h[3] * x + h[4] * y + h[5]) / w;
      worst = Math.max(worst, Math.hypot(px - m.pointsB()[2 * i], py - m.pointsB()[2 * i + 1]));
    }
    return worst;
  }

  @Test
  void inlierPointsAreInEachImagesPixelCoordinatesAndAgreeWithTheHomography() {
    RgbImage half = Photos.resized(dog, 0.5); // 384x288 against 768x576
    Match m = VERIFIER.verify(EXTRACTOR.extract(half), dogFeatures);
    double[] h = m.homography();
    double worst = 0;
    for (int i = 0; i < m.inliers(); i++) {
      double x = m.pointsA()[2 * i];
      double y = m.pointsA()[2 * i + 1];
      assertTrue(x >= 0 && x < 384 && y >= 0 && y < 288, "point in the half-size image");
      double w = h[6] * x + h[7] * y + h[8];
      double px = (h[0] * x + h[1] * y + h[2]) / w;
      double py = (h[3] * x + h[4] * y + h[5]) / w;
      worst = Math.max(worst, Math.hypot(px - m.pointsB()[2 * i], py - m.pointsB()[2 * i + 1]));
      // The point in the original lies near twice the point in the copy (pixel centres ± ½).
      assertEquals(2 * x + 0.5, m.pointsB()[2 * i], 12, "x of inlier " + i);
    }
    // RANSAC tolerance: 8 reduced pixels = 8 × 1.2 original pixels for the 768-wide image.
    assertTrue(worst <= 8 * 1.2 + 1e-3, "largest reprojection error " + worst);
    assertEquals(2, h[0] / h[8], 0.05, "scale x");
    assertEquals(2, h[4] / h[8], 0.05, "scale y");
  }

  static Stream<Arguments> sampleCopies() {
    // Pairs the repository ships (see samples/demo/README.md): made with ImageMagick and exiftool.
    return Stream.of(
        Arguments.of("demo/parrots_mirrored.jpg", "test/kodak_kodim23.jpg", Transform.HFLIP),
        Arguments.of("demo/owl_exif8.jpg", "natural/owl.jpg", Transform.IDENTITY),
        Arguments.of(
            "test/derived_chelsea_exif6.jpg", "test/skimage_chelsea.png", Transform.IDENTITY),
        Arguments.of("demo/dog_crop.jpg", "test/darknet_dog.jpg", Transform.CROP),
        Arguments.of("demo/parrot_small.jpg", "natural/parrot.jpg", Transform.SCALE),
        Arguments.of("demo/sunflower_small.png", "natural/sunflower.bmp", Transform.SCALE),
        Arguments.of("demo/horses_brighter.jpg", "test/darknet_horses.jpg", Transform.IDENTITY),
        Arguments.of("demo/hot_dog_q25.jpg", "natural/hot_dog.jpg", Transform.IDENTITY));
  }

  @ParameterizedTest(name = "{0} ~ {1}")
  @MethodSource("sampleCopies")
  void shippedCopiesVerify(String copy, String original, Transform expected) {
    Match m =
        VERIFIER.verify(
            EXTRACTOR.extractQuery(Photos.sample(copy)),
            EXTRACTOR.extract(Photos.sample(original)));
    assertTrue(m.inliers() >= EDIT_MIN_INLIERS, copy + ": " + m.inliers() + " inliers");
    assertEquals(expected, m.transform(), copy);
  }

  static Stream<Arguments> differentPhotos() {
    return Stream.of(
        Arguments.of("natural/bird.bmp", "natural/parrot.jpg"), // two birds
        Arguments.of("test/darknet_eagle.jpg", "natural/bird.bmp"), // two birds
        Arguments.of("test/kodak_kodim23.jpg", "natural/parrot.jpg"), // two parrot photos
        Arguments.of("natural/cat.bmp", "test/skimage_chelsea.png"), // two cats
        Arguments.of("test/darknet_horses.jpg", "test/darknet_dog.jpg"),
        Arguments.of("natural/owl.jpg", "natural/bird.bmp"));
  }

  @ParameterizedTest(name = "{0} vs {1}")
  @MethodSource("differentPhotos")
  void differentPhotosStayFarBelowTheThresholds(String a, String b) {
    Match m =
        VERIFIER.verify(
            EXTRACTOR.extractQuery(Photos.sample(a)), EXTRACTOR.extract(Photos.sample(b)));
    // 6..14 inliers when written: chance agreements among a few dozen tentative pairs.
    assertTrue(m.inliers() < Verifier.SAME_OBJECT_INLIERS, a + " vs " + b + ": " + m.inliers());
  }

  @Test
  void aSharedCaptionOnDifferentPhotosIsNotTheSamePhoto() {
    // Stock sites stamp one credit at one place on all their photos (flowers17 has such pairs).
    RgbImage house = Photos.credited(Photos.sample("test/kodak_kodim03.jpg"));
    RgbImage plane = Photos.credited(Photos.sample("test/kodak_kodim20.jpg"));
    Match plain =
        VERIFIER.verify(
            EXTRACTOR.extractQuery(Photos.sample("test/kodak_kodim03.jpg")),
            EXTRACTOR.extract(Photos.sample("test/kodak_kodim20.jpg")));
    Match m = VERIFIER.verify(EXTRACTOR.extractQuery(house), EXTRACTOR.extract(plane));
    // The credit alone matches (28 inliers when written, 9 without it), confined to a strip of
    // each image: under 1 % of either.
    assertTrue(plain.inliers() < Verifier.SAME_OBJECT_INLIERS, "without credit " + plain.inliers());
    assertTrue(m.inliers() >= Verifier.SAME_OBJECT_INLIERS, "credit inliers " + m.inliers());
    assertTrue(m.coverage() < 0.03, "coverage " + m.coverage());
    assertFalse(Verifier.isSamePhoto(m));
  }

  @Test
  void coverageIsTheShareOfTheImageBetweenThePercentiles() {
    float[] points = new float[2 * 40];
    for (int i = 0; i < 38; i++) { // the corners of a 100 × 50 box
      points[2 * i] = i % 2 == 0 ? 50 : 150;
      points[2 * i + 1] = i % 4 < 2 ? 20 : 70;
    }
    points[76] = 0; // two stray points far out: trimmed by the percentiles
    points[77] = 0;
    points[78] = 199;
    points[79] = 99;
    assertEquals(100.0 * 50 / (200 * 100), Verifier.coverage(points, 200, 100), 1e-9);
    assertEquals(0, Verifier.coverage(new float[6], 200, 100));
  }

  @Test
  void blankImageHasNoKeypointsAndVerifiesNothing() {
    byte[] gray = new byte[300 * 200 * 3];
    java.util.Arrays.fill(gray, (byte) 128);
    LocalFeatures blank = EXTRACTOR.extractQuery(new RgbImage(300, 200, gray));
    assertEquals(0, blank.count());
    Match m = VERIFIER.verify(blank, dogFeatures);
    assertEquals(0, m.inliers());
    assertEquals(Transform.NONE, m.transform());
    assertNull(m.homography());
    assertEquals(0, VERIFIER.verify(dogFeatures, blank).inliers());
  }

  @Test
  void withoutTheMirroredCompanionAMirrorImageIsNotFound() {
    RgbImage flipped = dog.oriented(2);
    Match plain = VERIFIER.verify(EXTRACTOR.extract(flipped), dogFeatures);
    assertFalse(plain.mirrored());
    // ORB is not mirror-invariant: the upright descriptors alone do not find the flipped copy.
    assertTrue(plain.inliers() < Verifier.SAME_PHOTO_INLIERS, plain.inliers() + " inliers");
  }
}
