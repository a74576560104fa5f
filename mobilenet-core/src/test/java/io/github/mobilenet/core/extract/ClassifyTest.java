package io.github.mobilenet.core.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.TestFiles;
import io.github.mobilenet.core.preprocess.Preprocessing;
import io.github.mobilenet.core.preprocess.ResizeFilter;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Known photos to their known classes, with the reference probabilities of the model README. */
class ClassifyTest {
  static FeatureExtractor wholeRef;
  static FeatureExtractor cropRef;
  static FeatureExtractor defaults;

  @BeforeAll
  static void open() {
    wholeRef =
        FeatureExtractor.builder()
            .preprocessing(Preprocessing.FULL)
            .resizeFilter(ResizeFilter.BILINEAR)
            .build();
    cropRef =
        FeatureExtractor.builder()
            .preprocessing(Preprocessing.CENTER_CROP)
            .resizeFilter(ResizeFilter.BILINEAR)
            .build();
    defaults = FeatureExtractor.create();
  }

  @AfterAll
  static void close() {
    wholeRef.close();
    cropRef.close();
    defaults.close();
  }

  @Test
  void graceHopperIsMilitaryUniform() {
    List<Classification> top = defaults.classify(TestFiles.natural("grace_hopper.bmp"), 5);
    assertEquals(653, top.get(0).index());
    assertEquals("military uniform", top.get(0).label());
    assertTrue(top.get(0).score() > 0.5, "p = " + top.get(0).score());
    assertEquals(5, top.size());
  }

  /** Reference top-1 and probability (3 decimals) from samples/natural/README.md, both modes. */
  @ParameterizedTest
  @CsvSource({
    "bird.bmp, 20, 0.949, 20, 0.905",
    "cat.bmp, 286, 0.904, 286, 0.676",
    "cat_720p.jpg, 286, 0.877, 286, 0.754",
    "dragonfly.bmp, 320, 0.947, 320, 0.933",
    "grace_hopper.bmp, 668, 0.654, 653, 0.810",
    "hot_dog.jpg, 935, 0.841, 935, 0.799",
    "missvickie_potato_chips.bmp, 693, 0.922, 693, 0.889",
    "owl.jpg, 83, 0.275, 83, 0.308",
    "parrot.jpg, 89, 0.964, 89, 0.942",
    "pets.jpg, 172, 0.616, 196, 0.811",
    "sunflower.bmp, 986, 0.956, 986, 0.906",
  })
  void referenceTop1InBothModes(
      String file, int cropClass, double cropP, int wholeClass, double wholeP) {
    Classification crop = cropRef.classify(TestFiles.natural(file), 1).get(0);
    Classification whole = wholeRef.classify(TestFiles.natural(file), 1).get(0);
    assertEquals(cropClass, crop.index(), file + " crop");
    assertEquals(cropP, crop.score(), 0.0015, file + " crop p");
    assertEquals(wholeClass, whole.index(), file + " whole");
    assertEquals(wholeP, whole.score(), 0.0015, file + " whole p");
  }
}
