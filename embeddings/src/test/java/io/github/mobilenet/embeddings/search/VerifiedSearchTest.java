package io.github.mobilenet.embeddings.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.embeddings.TestImages;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.ContentHash;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.job.IndexingJob;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verified search on a real index of test photos, queried by edited copies. */
class VerifiedSearchTest {
  private static final List<String> PHOTOS =
      List.of(
          "kodak_kodim03.jpg",
          "kodak_kodim05.jpg",
          "kodak_kodim08.jpg",
          "darknet_dog.jpg",
          "darknet_horses.jpg",
          "skimage_coffee.jpg",
          "skimage_astronaut.jpg",
          "darknet_kite.jpg");

  @TempDir static Path dir;
  static Path photos;
  static ImageIndex index;
  static ImageEmbedder embedder;

  @BeforeAll
  static void indexPhotos() throws IOException {
    photos = Files.createDirectories(dir.resolve("photos"));
    for (String n : PHOTOS) {
      Files.copy(TestImages.test(n), photos.resolve(n));
    }
    index = ImageIndex.openOrCreate(dir.resolve("idx"), IndexConfig.defaults());
    embedder = ImageEmbedder.open(index.config());
    IndexingJob.builder(index, embedder).paths(List.of(photos)).decodeThreads(2).build().run();
    index.refresh();
  }

  @AfterAll
  static void close() {
    embedder.close();
    index.close();
  }

  private static String path(String name) {
    return photos.resolve(name).toAbsolutePath().normalize().toString();
  }

  /** Edited copies of one indexed photo: each finds it first, verified with many inliers. */
  @Test
  void editedCopiesComeBackFirstWithInliers() throws IOException {
    BufferedImage img = TestImages.read(TestImages.test("kodak_kodim08.jpg"));
    Map<String, byte[]> edits = new LinkedHashMap<>();
    edits.put("crop 80 %", TestImages.png(TestImages.crop(img, 0.80)));
    edits.put("rot90", TestImages.png(TestImages.rotateAnticlockwise(img)));
    edits.put("hflip", TestImages.png(TestImages.flipHorizontal(img)));
    edits.put("jpeg q30", TestImages.jpeg(img, 0.30f));
    for (Map.Entry<String, byte[]> e : edits.entrySet()) {
      ImageSource q = ImageSource.of(e.getValue(), e.getKey());
      List<SearchHit> hits = index.search(embedder, q, SearchOptions.top(3));
      SearchHit first = hits.get(0);
      assertEquals(path("kodak_kodim08.jpg"), first.path(), e.getKey() + ": " + hits);
      assertTrue(first.verified(), e.getKey());
      assertTrue(first.inliers() >= 60, e.getKey() + ": " + first.inliers() + " inliers");
      for (SearchHit other : hits.subList(1, hits.size())) {
        assertFalse(other.verified(), e.getKey() + ": other photos do not verify: " + other);
        assertTrue(other.inliers() >= 0, "every hit of the shortlist was checked");
      }
      assertTrue(first.cosine() < 1 && first.cosine() > 0.3, e.getKey() + ": " + first.cosine());
    }
    // the rotated copy on its own: the embedding sees little of it, verification the rest
    ImageSource rot = ImageSource.of(edits.get("rot90"), "rot90");
    SearchHit plain =
        index.search(embedder, rot, SearchOptions.top(8).verify(0)).stream()
            .filter(h -> h.path().equals(path("kodak_kodim08.jpg")))
            .findFirst()
            .orElseThrow();
    assertEquals(SearchHit.NOT_CHECKED, plain.inliers());
    assertEquals(
        plain.cosine(), index.search(embedder, rot, SearchOptions.top(1)).get(0).cosine(), 1e-4);
  }

  /** --verify 0 is the search by embedding as it was: same hits, same scores, nothing checked. */
  @Test
  void depthZeroIsTheEmbeddingAlone() {
    ImageSource q = ImageSource.of(TestImages.test("darknet_horses.jpg"));
    List<SearchHit> zero = index.search(embedder, q, SearchOptions.top(8).verify(0));
    List<SearchHit> vector =
        index.search(embedder.embed(TestImages.test("darknet_horses.jpg")), SearchOptions.top(8));
    assertEquals(vector, zero);
    for (int i = 0; i < zero.size(); i++) {
      assertEquals(SearchHit.NOT_CHECKED, zero.get(i).inliers());
      if (i > 0) {
        assertTrue(zero.get(i - 1).score() >= zero.get(i).score());
      }
    }
    // verified: the same images, the photo itself first with a high count
    List<SearchHit> verified = index.search(embedder, q, SearchOptions.top(8));
    assertEquals(
        Set.copyOf(zero.stream().map(SearchHit::path).toList()),
        Set.copyOf(verified.stream().map(SearchHit::path).toList()));
    assertEquals(path("darknet_horses.jpg"), verified.get(0).path());
    assertTrue(verified.get(0).inliers() >= 500, "itself: " + verified.get(0).inliers());
    // by id, the stored features verify the image against itself
    SearchHit self = index.searchById(verified.get(0).id(), SearchOptions.top(2)).get(0);
    assertEquals(verified.get(0).id(), self.id());
    assertTrue(self.inliers() >= 500, "by id: " + self.inliers());
  }

  /** searchEach answers each query exactly as a single search does. */
  @Test
  void batchEqualsSingleSearches() throws IOException {
    List<Path> queries =
        List.of(
            photos.resolve("darknet_dog.jpg"),
            photos.resolve("kodak_kodim03.jpg"),
            dir.resolve("missing.jpg"),
            photos.resolve("skimage_coffee.jpg"));
    SearchOptions options = SearchOptions.top(4);
    List<QueryResult> batch = new ArrayList<>();
    index.searchEach(
        embedder,
        queries.stream().map(ImageSource::of).iterator(),
        options,
        q -> Set.of(hash(((ImageSource.FileSource) q).path())),
        2,
        batch::add);
    assertEquals(4, batch.size());
    assertFalse(batch.get(2).ok(), "a missing file fails alone");
    assertTrue(batch.get(2).error().getMessage().contains("missing.jpg"));
    for (int i : new int[] {0, 1, 3}) {
      Path q = queries.get(i);
      List<SearchHit> single =
          index.search(embedder, ImageSource.of(q), options.exclude(Set.of(hash(q))));
      List<SearchHit> fromBatch = batch.get(i).hits();
      assertEquals(single.size(), fromBatch.size());
      for (int j = 0; j < single.size(); j++) {
        assertEquals(single.get(j).path(), fromBatch.get(j).path(), q + " hit " + j);
        assertEquals(single.get(j).rank(), fromBatch.get(j).rank());
        assertEquals(single.get(j).inliers(), fromBatch.get(j).inliers(), q + " hit " + j);
        assertEquals(single.get(j).score(), fromBatch.get(j).score(), 1e-5);
        assertFalse(single.get(j).path().equals(path(q.getFileName().toString())), "self dropped");
      }
    }
  }

  private static String hash(Path p) {
    try {
      return ContentHash.of(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
