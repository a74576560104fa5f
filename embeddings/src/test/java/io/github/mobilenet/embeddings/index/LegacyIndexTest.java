package io.github.mobilenet.embeddings.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.extract.Pooling;
import io.github.mobilenet.embeddings.embed.Embedding;
import io.github.mobilenet.embeddings.search.SearchHit;
import io.github.mobilenet.embeddings.search.SearchOptions;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index committed in {@code legacy-index-0.1} (written by the project at 716587d) opens and
 * answers exactly as it did then (its README lists the answers).
 */
class LegacyIndexTest {
  static final String OWL = "ea9a0e3943bbd0acaeb472a6e66e777d";

  /** A copy of the fixture, so nothing a test does can touch the committed files. */
  static Path copy(Path dir) throws IOException, URISyntaxException {
    Path src =
        Path.of(
            LegacyIndexTest.class
                .getResource("/io/github/mobilenet/embeddings/legacy-index-0.1")
                .toURI());
    Path dst = Files.createDirectories(dir.resolve("legacy.idx"));
    try (var files = Files.list(src)) {
      for (Path f : files.toList()) {
        if (!f.getFileName().toString().equals("README.md")) {
          Files.copy(f, dst.resolve(f.getFileName()));
        }
      }
    }
    return dst;
  }

  private static List<String> names(List<SearchHit> hits) {
    return hits.stream().map(h -> Path.of(h.path()).getFileName().toString()).toList();
  }

  private static void assertScores(double[] expected, List<SearchHit> hits) {
    assertEquals(expected.length, hits.size());
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], hits.get(i).score(), 1e-6, "hit " + (i + 1));
      assertEquals(i + 1, hits.get(i).rank());
    }
  }

  @Test
  void opensAndAnswersAsItDidThen(@TempDir Path dir) throws Exception {
    Path idx = copy(dir);
    try (ImageIndex index = ImageIndex.open(idx)) {
      IndexConfig c = index.config();
      assertEquals(
          new Embedding(
              "mobilenet_v2_1.0_224",
              "layer_19",
              Pooling.GEM,
              Embedding.DEFAULT_PREPROCESSING,
              Embedding.DEFAULT_RESIZE),
          c.embedding());
      assertEquals(1280, c.dimension());
      assertEquals(2, c.augment());
      assertEquals(VectorFormat.FLOAT32, c.format());
      // written before local features existed: none, and nothing to verify with
      assertFalse(c.localFeatures());
      assertFalse(index.hasLocalFeatures());
      assertTrue(index.localFeatures(OWL).isEmpty());
      assertEquals(5, index.size());
      assertEquals(5, index.stats().distinctIds());

      List<SearchHit> all = index.searchById(OWL, SearchOptions.top(5));
      assertEquals(
          List.of("owl.jpg", "parrot.jpg", "cat.bmp", "bird.bmp", "sunflower.bmp"), names(all));
      assertEquals(OWL, all.get(0).id());
      assertScores(new double[] {1.0, 0.8749768, 0.8711402, 0.7753849, 0.7578939}, all);

      List<SearchHit> animals =
          index.searchById(OWL, SearchOptions.top(5).filter("kind", "animal"));
      assertEquals(List.of("owl.jpg", "bird.bmp"), names(animals));
      assertScores(new double[] {1.0, 0.7753849}, animals);

      // exact search ranks the same way
      assertEquals(names(all), names(index.searchById(OWL, SearchOptions.top(5).exact(true))));

      ImageDoc owl = index.get(OWL).orElseThrow();
      assertEquals("/tmp/legacy-src/owl.jpg", owl.path());
      assertEquals(OWL, owl.content(), "before per-path ids the id is the content hash");
      assertEquals(Map.of("kind", List.of("animal"), "tag", List.of("night", "sky")), owl.tags());
      assertTrue(index.getByPath("/tmp/legacy-src/owl.jpg").isPresent());
      assertEquals(
          1.0, io.github.mobilenet.core.util.Vectors.norm(index.vector(OWL).orElseThrow()), 1e-5);
    }
  }
}
