package io.github.mobilenet.embeddings.dups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.TestFiles;
import io.github.mobilenet.core.image.ImageDecoder;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.image.JpegEncoder;
import io.github.mobilenet.core.image.RgbImage;
import io.github.mobilenet.embeddings.TestImages;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.job.IndexingJob;
import io.github.mobilenet.embeddings.search.SearchHit;
import io.github.mobilenet.local.verify.Match;
import io.github.mobilenet.local.verify.Transform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.util.VectorUtil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verified near-duplicates on real photos: a copy turned 90° and a mirrored copy group with their
 * original and say how they were made; sixteen different photos of one flowers17 species (read from
 * ../shared, never committed), which the embedding finds alike, stay apart.
 */
class SamePhotoFinderTest {
  static final String[] OTHERS = {
    "darknet_dog.jpg", "darknet_horses.jpg", "kodak_kodim05.jpg", "skimage_coffee.jpg"
  };

  @TempDir static Path dir;
  static ImageIndex index;
  static ImageEmbedder embedder;
  static List<DuplicateGroup> groups;
  static final List<String> warnings = new ArrayList<>();
  static final Map<String, String> ids = new HashMap<>();

  @BeforeAll
  static void indexPhotosAndCopies() throws IOException {
    Path root = Files.createDirectories(dir.resolve("photos"));
    ImageDecoder decoder = new ImageDecoder();
    RgbImage kodim = decoder.decode(ImageSource.of(TestImages.test("kodak_kodim03.jpg")));
    Files.copy(TestImages.test("kodak_kodim03.jpg"), root.resolve("kodim03.jpg"));
    Files.write(root.resolve("kodim03_rot90.jpg"), JpegEncoder.encode(kodim.oriented(6), 0.9f));
    RgbImage eagle = decoder.decode(ImageSource.of(TestImages.test("darknet_eagle.jpg")));
    Files.copy(TestImages.test("darknet_eagle.jpg"), root.resolve("eagle.jpg"));
    Files.write(root.resolve("eagle_mirror.jpg"), JpegEncoder.encode(eagle.oriented(2), 0.9f));
    for (String name : OTHERS) {
      Files.copy(TestImages.test(name), root.resolve(name));
    }
    for (Path p : tigerLilies()) {
      Files.copy(p, root.resolve(p.getFileName()));
    }
    for (Path p : captioned()) {
      Files.copy(p, root.resolve(p.getFileName()));
    }
    index = ImageIndex.openOrCreate(dir.resolve("idx"), IndexConfig.defaults());
    embedder = ImageEmbedder.open(index.config());
    IndexingJob.builder(index, embedder).paths(List.of(root)).decodeThreads(2).build().run();
    index.refresh();
    index.forEach(d -> ids.put(Path.of(d.path()).getFileName().toString(), d.id()));
    groups = index.duplicates(DuplicateOptions.defaults().withThreads(2), embedder, warnings::add);
  }

  /** Tiger lilies 0501–0516: one species, sixteen photographs (none in SAME_PHOTO_PAIRS.tsv). */
  static List<Path> tigerLilies() {
    Path flowers = TestFiles.root().resolve("../shared/datasets/flowers17").normalize();
    List<Path> out = new ArrayList<>();
    for (int n = 501; n <= 516; n++) {
      Path p = flowers.resolve(String.format("image_%04d.jpg", n));
      assertTrue(Files.isRegularFile(p), "flowers17 missing: " + p);
      out.add(p);
    }
    return out;
  }

  /** Bluebells 0269 and 0271: two photographs with the same photographer's caption. */
  static List<Path> captioned() {
    Path flowers = TestFiles.root().resolve("../shared/datasets/flowers17").normalize();
    List<Path> out = List.of(flowers.resolve("image_0269.jpg"), flowers.resolve("image_0271.jpg"));
    out.forEach(p -> assertTrue(Files.isRegularFile(p), "flowers17 missing: " + p));
    return out;
  }

  static String name(SearchHit h) {
    return Path.of(h.path()).getFileName().toString();
  }

  @Test
  void rotatedAndMirroredCopiesGroupWithTheirOriginalAndNothingElseGroups() {
    assertEquals(List.of(), warnings);
    assertEquals(2, groups.size(), groups.toString());
    Map<String, DuplicateGroup> byRep = new HashMap<>();
    for (DuplicateGroup g : groups) {
      assertEquals(2, g.size(), g.toString());
      byRep.put(name(g.members().get(0)), g);
      assertEquals(Transform.IDENTITY, g.verification(0).orElseThrow().transform());
    }
    DuplicateGroup turned = byRep.get("kodim03.jpg");
    assertEquals("kodim03_rot90.jpg", name(turned.members().get(1)));
    Verification v = turned.verification(1).orElseThrow();
    assertEquals(Transform.ROT90, v.transform(), "the copy is the original turned clockwise");
    assertTrue(v.inliers() >= 200, "inliers " + v.inliers());
    DuplicateGroup mirrored = byRep.get("eagle.jpg");
    assertEquals("eagle_mirror.jpg", name(mirrored.members().get(1)));
    Verification m = mirrored.verification(1).orElseThrow();
    assertEquals(Transform.HFLIP, m.transform());
    assertTrue(m.inliers() >= 200, "inliers " + m.inliers());
  }

  @Test
  void photosOfOneSpeciesLookAlikeButDoNotVerify() {
    List<String> lilies = tigerLilies().stream().map(p -> p.getFileName().toString()).toList();
    double best = -1;
    int bestInliers = 0;
    for (int i = 0; i < lilies.size(); i++) {
      for (int j = i + 1; j < lilies.size(); j++) {
        float c =
            VectorUtil.dotProduct(
                index.vector(ids.get(lilies.get(i))).orElseThrow(),
                index.vector(ids.get(lilies.get(j))).orElseThrow());
        if (c > best) {
          best = c;
          bestInliers = index.match(ids.get(lilies.get(i)), ids.get(lilies.get(j))).inliers();
        }
      }
    }
    // the closest two look alike to the embedding, yet share few consistent features
    assertTrue(best >= 0.8, "closest tiger lilies at cosine " + best);
    assertTrue(bestInliers < DuplicateOptions.DEFAULT_MIN_INLIERS / 2, "inliers " + bestInliers);
  }

  @Test
  void aSharedCaptionVerifiesButDoesNotMakeOnePhoto() {
    Match m = index.match(ids.get("image_0269.jpg"), ids.get("image_0271.jpg"));
    assertTrue(
        m.inliers() >= DuplicateOptions.DEFAULT_MIN_INLIERS, "caption inliers " + m.inliers());
    float c =
        VectorUtil.dotProduct(
            index.vector(ids.get("image_0269.jpg")).orElseThrow(),
            index.vector(ids.get("image_0271.jpg")).orElseThrow());
    assertTrue(c < DuplicateOptions.WEAK_MATCH_COSINE, "cosine " + c);
    for (DuplicateGroup g : groups) {
      for (SearchHit h : g.members()) {
        assertTrue(
            !name(h).equals("image_0269.jpg") && !name(h).equals("image_0271.jpg"), g.toString());
      }
    }
  }

  @Test
  void matchGivesPointPairsInEachImagesPixels() {
    Match m = index.match(ids.get("kodim03.jpg"), ids.get("kodim03_rot90.jpg"));
    assertEquals(Transform.ROT90, m.transform());
    assertTrue(m.inliers() >= 200, "inliers " + m.inliers());
    int w = index.get(ids.get("kodim03.jpg")).orElseThrow().width();
    int h = index.get(ids.get("kodim03.jpg")).orElseThrow().height();
    assertEquals(h, index.get(ids.get("kodim03_rot90.jpg")).orElseThrow().width());
    // a quarter turn clockwise takes a point (x, y) of the w × h original to (h − 1 − y, x)
    for (int i = 0; i < m.inliers(); i++) {
      float ax = m.pointsA()[2 * i];
      float ay = m.pointsA()[2 * i + 1];
      float bx = m.pointsB()[2 * i];
      float by = m.pointsB()[2 * i + 1];
      String pair = ax + "," + ay + " → " + bx + "," + by;
      assertTrue(ax >= 0 && ax < w && ay >= 0 && ay < h, pair);
      assertTrue(Math.abs(bx - (h - 1 - ay)) < 10 && Math.abs(by - ax) < 10, pair);
    }
    Match back = index.match(ids.get("kodim03_rot90.jpg"), ids.get("kodim03.jpg"));
    assertEquals(Transform.ROT270, back.transform());
  }
}
