package io.github.mobilenet.local.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.local.Photos;
import io.github.mobilenet.local.extract.OrbExtractor;
import io.github.mobilenet.local.features.LocalFeatures;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Java matcher gives OpenCV's pairs. */
class MatcherTest {
  private static final OrbExtractor EXTRACTOR = new OrbExtractor();

  @Test
  void bitCountMatcherAgreesWithOpenCv() {
    LocalFeatures crop = EXTRACTOR.extract(Photos.sample("demo/dog_crop.jpg"));
    LocalFeatures dog = EXTRACTOR.extract(Photos.sample("test/darknet_dog.jpg"));
    LocalFeatures bird = EXTRACTOR.extract(Photos.sample("natural/bird.bmp"));
    for (LocalFeatures train : new LocalFeatures[] {dog, bird}) {
      DescriptorMatches java = new BitCountMatcher().match(crop, train);
      DescriptorMatches cv = new OpenCvMatcher().match(crop, train);
      Set<Long> a = pairs(java);
      Set<Long> b = pairs(cv);
      Set<Long> common = new HashSet<>(a);
      common.retainAll(b);
      // Ties between equally near train descriptors may be broken differently: allow 1 %.
      assertTrue(
          common.size() >= 0.99 * Math.max(a.size(), b.size()), a.size() + " vs " + b.size());
      for (int i = 0; i < java.size(); i++) {
        long[] d = train.descriptors();
        long[] q = crop.descriptors();
        int expected = 0;
        for (int k = 0; k < 4; k++) {
          expected += Long.bitCount(q[4 * java.query()[i] + k] ^ d[4 * java.train()[i] + k]);
        }
        assertEquals(expected, java.distance()[i]);
      }
    }
    assertTrue(new BitCountMatcher().match(crop, dog).size() > 400);
    assertTrue(new BitCountMatcher().match(crop, bird).size() < 40);
  }

  @Test
  void ratioOneKeepsEveryQueryWithAStrictlyNearestTrain() {
    LocalFeatures dog = EXTRACTOR.extract(Photos.sample("test/darknet_dog.jpg"));
    // Against itself every descriptor finds itself at distance 0, unless duplicated.
    DescriptorMatches self = new BitCountMatcher(1.0).match(dog, dog);
    assertTrue(self.size() >= 990, "self matches " + self.size());
    for (int i = 0; i < self.size(); i++) {
      assertEquals(self.query()[i], self.train()[i]);
      assertEquals(0, self.distance()[i]);
    }
  }

  private static Set<Long> pairs(DescriptorMatches m) {
    Set<Long> s = new HashSet<>();
    for (int i = 0; i < m.size(); i++) {
      s.add((long) m.query()[i] << 32 | m.train()[i]);
    }
    return s;
  }
}
