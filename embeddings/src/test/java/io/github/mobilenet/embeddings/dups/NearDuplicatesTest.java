package io.github.mobilenet.embeddings.dups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.embeddings.TestImages;
import io.github.mobilenet.embeddings.Vectors;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.ImageDoc;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.job.IndexingJob;
import io.github.mobilenet.embeddings.job.IndexingSummary;
import io.github.mobilenet.embeddings.search.SearchHit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NearDuplicatesTest {
  static final double THRESHOLD = ImageIndex.DEFAULT_DUPLICATE_THRESHOLD;

  /**
   * All 30 test photos plus five variants (half size, JPEG q=30, 90 % crop, mirror, EXIF-rotated
   * JPEG) of four of them, indexed by the job: the variants group with their photo, the two pairs
   * the sample set already holds (a grey JPEG of camera.png, an EXIF-rotated chelsea) group too,
   * and nothing else does.
   */
  @Test
  void variantsGroupWithTheirPhotoAndDistinctPhotosStayApart(@TempDir Path dir) throws IOException {
    Path root = Files.createDirectories(dir.resolve("photos"));
    for (Path p : TestImages.allTest()) {
      Files.copy(p, root.resolve(p.getFileName()));
    }
    List<Set<String>> expected = new ArrayList<>();
    for (String base :
        List.of(
            "darknet_eagle.jpg",
            "darknet_horses.jpg",
            "kodak_kodim03.jpg",
            "skimage_hubble_deep_field.jpg")) {
      Set<String> group = new TreeSet<>();
      group.add(base);
      for (Path v : TestImages.writeVariants(TestImages.test(base), root)) {
        group.add(v.getFileName().toString());
      }
      expected.add(group);
    }
    expected.add(new TreeSet<>(Set.of("derived_camera_gray.jpg", "skimage_camera.png")));
    expected.add(new TreeSet<>(Set.of("derived_chelsea_exif6.jpg", "skimage_chelsea.png")));

    try (ImageIndex index = ImageIndex.openOrCreate(dir.resolve("idx"), IndexConfig.defaults());
        ImageEmbedder embedder = ImageEmbedder.open(index.config())) {
      IndexingSummary s =
          IndexingJob.builder(index, embedder).paths(List.of(root)).decodeThreads(2).build().run();
      assertEquals(50, s.indexed());
      assertEquals(0, s.failed());
      index.refresh();
      List<DuplicateGroup> groups = index.duplicates(THRESHOLD);
      Set<Set<String>> found = new HashSet<>();
      for (DuplicateGroup g : groups) {
        Set<String> names = new TreeSet<>();
        for (SearchHit h : g.members()) {
          names.add(Path.of(h.path()).getFileName().toString());
          assertTrue(
              h.score() >= THRESHOLD,
              h.path() + " scores " + h.score() + " against " + g.members().get(0).path());
        }
        found.add(names);
        assertEquals(1f, g.members().get(0).score());
        assertEquals(1, g.members().get(0).rank());
      }
      assertEquals(new HashSet<>(expected), found);
      // largest group first; the full-size original represents each variant group
      assertEquals(6, groups.get(0).size());
      for (DuplicateGroup g : groups.subList(0, 4)) {
        String rep = Path.of(g.members().get(0).path()).getFileName().toString();
        assertTrue(
            Set.of(
                    "darknet_eagle.jpg",
                    "darknet_horses.jpg",
                    "kodak_kodim03.jpg",
                    "skimage_hubble_deep_field.jpg")
                .contains(rep),
            rep);
      }
      // a strict threshold keeps only near-exact copies: EXIF-rotated, half-size, the grey camera,
      // the rotated chelsea
      Set<String> strict = new TreeSet<>();
      for (DuplicateGroup g : index.duplicates(0.995)) {
        g.members().forEach(h -> strict.add(Path.of(h.path()).getFileName().toString()));
      }
      for (String name : strict) {
        assertTrue(
            name.endsWith("_exif6.jpg")
                || name.endsWith("_resized.png")
                || name.contains("camera")
                || name.contains("chelsea")
                || Set.of(
                        "darknet_eagle.jpg",
                        "darknet_horses.jpg",
                        "kodak_kodim03.jpg",
                        "skimage_hubble_deep_field.jpg")
                    .contains(name),
            name);
      }
      assertTrue(
          strict.containsAll(
              Set.of(
                  "darknet_eagle_exif6.jpg",
                  "kodak_kodim03_exif6.jpg",
                  "skimage_camera.png",
                  "skimage_chelsea.png")),
          strict.toString());
    }
  }

  /**
   * Above {@link ImageIndex#EXACT_DUPLICATES_LIMIT} images the graph finds the same groups as all
   * pairs would.
   */
  @Test
  void graphBasedGroupsMatchAllPairs(@TempDir Path dir) {
    List<float[]> base = Vectors.clustered(2400, 1280, 30, 2.0, 11);
    List<float[]> vectors = new ArrayList<>(base);
    // plant 40 near-copies (cosine ≈ 0.99) of the first 40 vectors, one of them twice
    vectors.addAll(Vectors.around(base.subList(0, 40), 40, 0.1, 12));
    vectors.add(Vectors.around(base.subList(0, 1), 1, 0.1, 13).get(0));
    double threshold = 0.97;
    // ground truth by brute force
    int n = vectors.size();
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (org.apache.lucene.util.VectorUtil.dotProduct(vectors.get(i), vectors.get(j))
            >= threshold) {
          parent[root(parent, j)] = root(parent, i);
        }
      }
    }
    Map<Integer, Set<String>> truth = new java.util.HashMap<>();
    for (int i = 0; i < n; i++) {
      truth.computeIfAbsent(root(parent, i), r -> new TreeSet<>()).add("/v/" + i);
    }
    Set<Set<String>> expected = new HashSet<>();
    truth.values().stream().filter(g -> g.size() > 1).forEach(expected::add);
    assertEquals(40, expected.size()); // the planted pairs, nothing else
    try (ImageIndex index = ImageIndex.openOrCreate(dir, IndexConfig.defaults())) {
      for (int i = 0; i < n; i++) {
        index.add(
            new ImageDoc(String.format("%032x", i), "/v/" + i, 1, 1, 10, 10, Map.of()),
            vectors.get(i));
      }
      index.commit();
      index.refresh();
      assertTrue(index.size() > ImageIndex.EXACT_DUPLICATES_LIMIT);
      Set<Set<String>> found = new HashSet<>();
      for (DuplicateGroup g : index.duplicates(threshold)) {
        Set<String> names = new TreeSet<>();
        g.members().forEach(h -> names.add(h.path()));
        found.add(names);
      }
      assertEquals(expected, found);
    }
  }

  @Test
  void chainedLinksAreSplitAroundTheRepresentative(@TempDir Path dir) {
    // a~b and b~c at cosine 0.95, a and c only 0.805 apart (angles 0°, 18.2°, 36.4° in one plane).
    int dims = IndexConfig.defaults().dimension();
    double t = Math.acos(0.95);
    float[][] v = new float[3][dims];
    for (int i = 0; i < 3; i++) {
      v[i][0] = (float) Math.cos(i * t);
      v[i][1] = (float) Math.sin(i * t);
    }
    for (String largest : List.of("a", "b")) {
      try (ImageIndex index =
          ImageIndex.openOrCreate(dir.resolve(largest), IndexConfig.defaults())) {
        for (int i = 0; i < 3; i++) {
          String name = String.valueOf((char) ('a' + i));
          int side = name.equals(largest) ? 200 : 100;
          index.add(
              new ImageDoc(String.format("%032x", i), "/" + name, 1, 1, side, side, Map.of()),
              v[i]);
        }
        index.refresh();
        List<DuplicateGroup> groups = index.duplicates(0.92);
        assertEquals(1, groups.size());
        List<String> members = groups.get(0).members().stream().map(SearchHit::path).toList();
        // The largest image leads; only images within the threshold of it join.
        assertEquals("/" + largest, members.get(0));
        assertEquals(
            largest.equals("a") ? Set.of("/a", "/b") : Set.of("/a", "/b", "/c"),
            Set.copyOf(members));
        groups.get(0).members().forEach(h -> assertTrue(h.score() >= 0.92, h.toString()));
      }
    }
  }

  private static int root(int[] parent, int i) {
    while (parent[i] != i) {
      i = parent[i];
    }
    return i;
  }
}
