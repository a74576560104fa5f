package io.github.mobilenet.local.extract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.image.RgbImage;
import io.github.mobilenet.local.Photos;
import io.github.mobilenet.local.features.LocalFeatures;
import org.junit.jupiter.api.Test;

class OrbExtractorTest {
  private static final OrbExtractor EXTRACTOR = new OrbExtractor();

  @Test
  void keypointsAreInTheOriginalImagesCoordinates() {
    RgbImage retina = Photos.sample("test/skimage_retina.jpg"); // 1411x1411, reduced to 640
    LocalFeatures f = EXTRACTOR.extract(retina);
    assertEquals(1411, f.width());
    assertEquals(1411f / 640, f.scale(), 1e-4);
    float maxX = 0;
    float maxY = 0;
    for (int i = 0; i < f.count(); i++) {
      assertTrue(f.x(i) >= 0 && f.x(i) < 1411 && f.y(i) >= 0 && f.y(i) < 1411);
      maxX = Math.max(maxX, f.x(i));
      maxY = Math.max(maxY, f.y(i));
    }
    // Keypoints reach far beyond 640: they were mapped back (ORB keeps ~31 px off the border).
    assertTrue(maxX > 1100 && maxY > 1100, maxX + ", " + maxY);
  }

  @Test
  void keepsAtMostMaxKeypointsAndReducesOnlyLargeImages() {
    RgbImage dog = Photos.sample("test/darknet_dog.jpg");
    assertEquals(1000, EXTRACTOR.extract(dog).count());
    LocalFeatures few = new OrbExtractor(200, 640).extract(dog);
    assertTrue(few.count() <= 200 && few.count() >= 190, "count " + few.count());
    RgbImage small = Photos.sample("test/kodak_kodim23.jpg"); // 500x500: not reduced
    assertEquals(1f, EXTRACTOR.extract(small).scale());
  }

  @Test
  void mirroredFeaturesAreThoseOfTheFlippedImageInOriginalCoordinates() {
    RgbImage img = Photos.sample("test/kodak_kodim23.jpg");
    LocalFeatures mirrored = EXTRACTOR.extractMirrored(img);
    LocalFeatures ofFlipped = EXTRACTOR.extract(img.oriented(2));
    assertTrue(mirrored.mirrored());
    assertFalse(ofFlipped.mirrored());
    assertEquals(ofFlipped.count(), mirrored.count());
    assertArrayEquals(ofFlipped.descriptors(), mirrored.descriptors());
    for (int i = 0; i < mirrored.count(); i++) {
      assertEquals(img.width() - 1 - ofFlipped.x(i), mirrored.x(i), 1e-3);
      assertEquals(ofFlipped.y(i), mirrored.y(i), 1e-3);
    }
    LocalFeatures query = EXTRACTOR.extractQuery(img);
    assertTrue(query.hasMirror());
    assertEquals(mirrored, query.mirror());
    assertEquals(EXTRACTOR.extract(img), query.withoutMirror());
  }

  @Test
  void extractionIsDeterministicAndThreadSafe() throws Exception {
    RgbImage dog = Photos.sample("test/darknet_dog.jpg");
    LocalFeatures expected = EXTRACTOR.extract(dog);
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      var futures = new java.util.ArrayList<java.util.concurrent.Future<LocalFeatures>>();
      for (int i = 0; i < 8; i++) {
        futures.add(pool.submit(() -> EXTRACTOR.extract(dog)));
      }
      for (var f : futures) {
        assertEquals(expected, f.get(60, java.util.concurrent.TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void packingRoundTrips() {
    byte[] raw = new byte[64];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = (byte) (i * 37 + 11);
    }
    long[] packed = OrbExtractor.pack(raw);
    assertEquals(8, packed.length);
    assertEquals(11L, packed[0] & 0xFF); // first byte in the lowest bits
    assertArrayEquals(raw, OrbExtractor.unpack(packed));
  }
}
