package io.github.mobilenet.embeddings.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.image.ImageDecoder;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.embeddings.TestImages;
import io.github.mobilenet.embeddings.index.ImageDoc;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.index.Tags;
import io.github.mobilenet.local.extract.OrbExtractor;
import io.github.mobilenet.local.features.LocalFeatures;
import io.github.mobilenet.local.verify.Verifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The indexing job keeps each image's ORB features beside its embedding, unless told not to. */
class LocalFeaturesIndexingTest extends WithDefaultEmbedder {
  private static Path folder(Path dir) throws IOException {
    Path root = Files.createDirectories(dir.resolve("photos"));
    Files.copy(TestImages.test("kodak_kodim03.jpg"), root.resolve("a.jpg"));
    Files.copy(TestImages.test("darknet_dog.jpg"), root.resolve("b.jpg"));
    Files.copy(TestImages.test("skimage_coffee.jpg"), root.resolve("c.jpg"));
    return root;
  }

  private static IndexingSummary index(ImageIndex index, Path root, Tags tags) {
    return IndexingJob.builder(index, embedder)
        .paths(List.of(root))
        .tags(tags)
        .decodeThreads(2)
        .build()
        .run();
  }

  private static ImageDoc doc(ImageIndex index, Path file) {
    return index.getByPath(file.toAbsolutePath().normalize().toString()).orElseThrow();
  }

  @Test
  void storedBesideTheEmbeddingAndVerifiable(@TempDir Path dir) throws IOException {
    Path root = folder(dir);
    OrbExtractor orb = new OrbExtractor();
    Verifier verifier = new Verifier();
    try (ImageIndex index = ImageIndex.openOrCreate(dir.resolve("idx"), IndexConfig.defaults())) {
      assertTrue(index.hasLocalFeatures());
      assertEquals(3, index(index, root, Tags.none()).indexed());
      index.refresh();
      ImageDoc a = doc(index, root.resolve("a.jpg"));
      ImageDoc b = doc(index, root.resolve("b.jpg"));
      LocalFeatures fa = index.localFeatures(a.id()).orElseThrow();
      LocalFeatures fb = index.localFeatures(b.id()).orElseThrow();
      // kodim03 is 768 × 512: keypoints in the decoded image's pixels, as the document's size
      assertEquals(a.width(), fa.width());
      assertEquals(a.height(), fa.height());
      assertTrue(fa.count() > 500, "keypoints " + fa.count());
      assertFalse(fa.hasMirror(), "the index keeps upright features only");

      LocalFeatures query =
          orb.extractQuery(new ImageDecoder().decode(ImageSource.of(root.resolve("a.jpg"))));
      int same = verifier.verify(query, fa).inliers();
      int other = verifier.verify(query, fb).inliers();
      assertTrue(same >= Verifier.SAME_PHOTO_INLIERS, "same photo: " + same);
      assertTrue(other < Verifier.SAME_OBJECT_INLIERS, "other photo: " + other);
      assertTrue(index.localFeatures("no such id").isEmpty());

      // re-tagging rewrites the document from what is stored: the features stay, byte for byte
      byte[] before = index.localFeaturesBytesByPath(a.path()).orElseThrow();
      Path tags = dir.resolve("tags.csv");
      Files.writeString(tags, "path,kind\n" + root.resolve("a.jpg") + ",scene\n");
      IndexingSummary s = index(index, root, Tags.load(tags));
      assertEquals(1, s.retagged());
      assertEquals(0, s.embedded());
      index.refresh();
      assertEquals(Map.of("kind", List.of("scene")), doc(index, root.resolve("a.jpg")).tags());
      assertArrayEquals(before, index.localFeaturesBytesByPath(a.path()).orElseThrow());

      // an identical copy reuses the stored vector and features without decoding
      Files.copy(root.resolve("a.jpg"), root.resolve("copy.jpg"));
      assertEquals(0, index(index, root, Tags.none()).embedded());
      index.refresh();
      assertArrayEquals(
          before,
          index.localFeaturesBytesByPath(doc(index, root.resolve("copy.jpg")).path()).get());
    }
    // the choice is recorded in the index
    assertTrue(ImageIndex.readConfig(dir.resolve("idx")).orElseThrow().localFeatures());
  }

  @Test
  void leftOutWhenTheIndexSaysSo(@TempDir Path dir) throws IOException {
    Path root = folder(dir);
    IndexConfig without = IndexConfig.defaults().withLocalFeatures(false);
    byte[] someFeatures;
    try (ImageIndex index = ImageIndex.openOrCreate(dir.resolve("with"), IndexConfig.defaults())) {
      index(index, root, Tags.none());
      index.refresh();
      someFeatures =
          index.localFeaturesBytesByPath(doc(index, root.resolve("b.jpg")).path()).orElseThrow();
      ImageDoc b = doc(index, root.resolve("b.jpg"));
      float[] v = index.vector(b.id()).orElseThrow();
      byte[] damaged = java.util.Arrays.copyOf(someFeatures, someFeatures.length - 7);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> index.add(b, v, damaged));
      assertTrue(e.getMessage().contains(b.path()), e.getMessage());
    }
    try (ImageIndex index = ImageIndex.openOrCreate(dir.resolve("without"), without)) {
      assertFalse(index.hasLocalFeatures());
      assertEquals(3, index(index, root, Tags.none()).indexed());
      index.refresh();
      ImageDoc b = doc(index, root.resolve("b.jpg"));
      assertTrue(index.localFeatures(b.id()).isEmpty());
      float[] v = index.vector(b.id()).orElseThrow();
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> index.add(b, v, someFeatures));
      assertTrue(e.getMessage().contains("keeps no local features"), e.getMessage());
    }
    assertFalse(ImageIndex.readConfig(dir.resolve("without")).orElseThrow().localFeatures());
    // opening it for writing with local features names the difference
    var mismatch =
        assertThrows(
            io.github.mobilenet.embeddings.index.IndexConfigMismatchException.class,
            () -> ImageIndex.openOrCreate(dir.resolve("without"), IndexConfig.defaults()));
    assertTrue(mismatch.getMessage().contains("local_features=false"), mismatch.getMessage());
  }
}
