package io.github.mobilenet.embeddings.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.extract.Pooling;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.util.Npy;
import io.github.mobilenet.embeddings.TestImages;
import io.github.mobilenet.embeddings.Vectors;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.search.SearchHit;
import io.github.mobilenet.embeddings.search.SearchOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real Lucene indexes in temp folders, real embeddings of the 30 test photos plus synthetic filler.
 */
class ImageIndexTest {
  static IndexConfig config;
  static List<Path> photos;
  static List<float[]> photoVectors = new ArrayList<>();

  /**
   * Enough extra vectors that segments get a real HNSW graph (Lucene skips it below 100 vectors).
   */
  static List<float[]> filler;

  @BeforeAll
  static void embed() throws IOException {
    // The index mechanics are tested on plain `pooled` vectors without augmentation; the dense
    // synthetic
    // filler below is made between them. (The default embedding, layer_19 + GeM, is covered by the
    // job and
    // near-duplicate tests; augmentation by AugmentationTest.)
    config =
        IndexConfig.of(
                io.github.mobilenet.core.model.ModelProfile.mobileNetV2(),
                "pooled",
                Pooling.AVG,
                IndexConfig.DEFAULT_PREPROCESSING,
                IndexConfig.DEFAULT_RESIZE,
                IndexConfig.DEFAULT_FORMAT)
            .withAugment(0);
    photos = TestImages.allTest();
    try (ImageEmbedder e = ImageEmbedder.open(config)) {
      List<ImageSource> sources = photos.stream().map(ImageSource::of).toList();
      e.extractor()
          .extractEach(
              sources.iterator(),
              config.layer(),
              2,
              r -> photoVectors.add(e.toVector(r.features())));
    }
    filler = Vectors.between(photoVectors, 1500, 0.3, 7);
  }

  static ImageDoc doc(int i, Path p) {
    return new ImageDoc(
        String.format("%032x", i),
        p.toAbsolutePath().toString(),
        1000 + i,
        1_700_000_000_000L + i,
        640,
        480,
        Map.of("set", List.of(i % 2 == 0 ? "even" : "odd"), "tag", List.of("t" + (i % 5))));
  }

  /** Photos get ids 0..29 and tags; filler gets ids from 1000 and tag set=filler. */
  static void fill(ImageIndex index) {
    for (int i = 0; i < photos.size(); i++) {
      index.add(doc(i, photos.get(i)), photoVectors.get(i));
    }
    for (int i = 0; i < filler.size(); i++) {
      index.add(
          new ImageDoc(
              String.format("%032x", 1000 + i),
              "/synthetic/" + i + ".jpg",
              1,
              1,
              1,
              1,
              Map.of("set", List.of("filler"))),
          filler.get(i));
    }
    index.commit();
  }

  @ParameterizedTest
  @EnumSource(VectorFormat.class)
  void everyImageFindsItselfFirst(VectorFormat format, @TempDir Path dir) {
    for (int augment : new int[] {0, IndexConfig.DEFAULT_AUGMENT}) {
      everyImageFindsItselfFirst(format, augment, dir.resolve("augment-" + augment));
    }
  }

  private void everyImageFindsItselfFirst(VectorFormat format, int augment, Path dir) {
    try (ImageIndex index =
        ImageIndex.openOrCreate(dir, config.withFormat(format).withAugment(augment))) {
      fill(index);
      assertEquals(augment == 0 ? 0 : photos.size() + filler.size(), index.augment());
      index.refresh();
      assertEquals(photos.size() + filler.size(), index.size());
      for (boolean exact : new boolean[] {false, true}) {
        for (int i = 0; i < photos.size(); i++) {
          List<SearchHit> hits =
              index.search(photoVectors.get(i), SearchOptions.top(5).exact(exact));
          assertEquals(5, hits.size());
          SearchHit top = hits.get(0);
          assertEquals(
              String.format("%032x", i),
              top.id(),
              format + " augment=" + augment + " exact=" + exact + " " + photos.get(i));
          assertEquals(1.0, top.score(), 1e-5);
          assertEquals(photos.get(i).toAbsolutePath().toString(), top.path());
          assertEquals(1, top.rank());
          for (int r = 1; r < hits.size(); r++) {
            assertTrue(hits.get(r).score() <= hits.get(r - 1).score());
            assertEquals(r + 1, hits.get(r).rank());
          }
        }
        // filler vectors too: they exercise the graph
        for (int i = 0; i < filler.size(); i += 97) {
          List<SearchHit> hits = index.search(filler.get(i), SearchOptions.top(3).exact(exact));
          assertEquals(
              String.format("%032x", 1000 + i),
              hits.get(0).id(),
              format + " augment=" + augment + " exact=" + exact + " " + hits);
          assertEquals(1.0, hits.get(0).score(), 1e-5);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(VectorFormat.class)
  void approximateRecallsWhatExactFinds(VectorFormat format, @TempDir Path dir) {
    try (ImageIndex index = ImageIndex.openOrCreate(dir, config.withFormat(format))) {
      fill(index);
      index.refresh();
      int found = 0;
      int queries = 0;
      for (int i = 0; i < filler.size(); i += 15) {
        List<SearchHit> approx = index.search(filler.get(i), SearchOptions.top(10));
        List<SearchHit> exact = index.search(filler.get(i), SearchOptions.top(10).exact(true));
        Set<String> truth = new HashSet<>(exact.stream().map(SearchHit::id).toList());
        found += (int) approx.stream().filter(h -> truth.contains(h.id())).count();
        queries++;
        // every approximate hit carries its exact cosine
        for (SearchHit h : approx) {
          assertEquals(
              io.github.mobilenet.core.extract.Features.cosine(
                  filler.get(i), index.vector(h.id()).orElseThrow()),
              h.score(),
              1e-5);
        }
      }
      double recall = found / (10.0 * queries);
      assertTrue(recall >= 0.95, format + " recall@10 " + recall);
    }
  }

  @Test
  void scoresAreExactCosines(@TempDir Path dir) {
    try (ImageIndex index = ImageIndex.openOrCreate(dir, config.withFormat(VectorFormat.BIT))) {
      fill(index);
      index.refresh();
      List<SearchHit> hits =
          index.search(
              photoVectors.get(3), SearchOptions.top(10).filter("set", "odd").filter("tag", "t3"));
      // ids 3, 13, 23 are odd with tag t3
      assertEquals(
          Set.of(String.format("%032x", 3), String.format("%032x", 13), String.format("%032x", 23)),
          new HashSet<>(hits.stream().map(SearchHit::id).toList()));
      for (SearchHit h : hits) {
        int i = Integer.parseInt(h.id(), 16);
        assertEquals(
            io.github.mobilenet.core.extract.Features.cosine(
                photoVectors.get(3), photoVectors.get(i)),
            h.score(),
            1e-5);
      }
    }
  }

  @Test
  void filtersAndExclusionsCombineWithKnn(@TempDir Path dir) {
    try (ImageIndex index = ImageIndex.openOrCreate(dir, config.withFormat(VectorFormat.INT7))) {
      fill(index);
      index.refresh();
      // unselective filter (1500 filler docs match): goes through the pre-filtered graph search
      List<SearchHit> filtered =
          index.search(filler.get(10), SearchOptions.top(10).filter("set", "filler"));
      assertEquals(10, filtered.size());
      assertEquals(String.format("%032x", 1010), filtered.get(0).id());
      assertTrue(
          filtered.stream().allMatch(h -> h.doc().tags().get("set").equals(List.of("filler"))));
      // selective filter (15 even photos): exact
      List<SearchHit> even =
          index.search(photoVectors.get(1), SearchOptions.top(50).filter("set", "even"));
      assertEquals(15, even.size());
      assertTrue(even.stream().allMatch(h -> Integer.parseInt(h.id(), 16) % 2 == 0));
      // a filter nothing matches
      assertEquals(
          List.of(), index.search(photoVectors.get(1), SearchOptions.top(5).filter("set", "none")));
      // search by id: the image itself first unless excluded
      String id = String.format("%032x", 4);
      assertEquals(id, index.searchById(id, SearchOptions.top(3)).get(0).id());
      List<SearchHit> others = index.searchById(id, SearchOptions.top(3).exclude(Set.of(id)));
      assertEquals(3, others.size());
      assertFalse(others.stream().anyMatch(h -> h.id().equals(id)));
      assertEquals(
          index.search(photoVectors.get(4), SearchOptions.top(4).exact(true)).subList(1, 4).stream()
              .map(SearchHit::id)
              .toList(),
          others.stream().map(SearchHit::id).toList());
      assertThrows(
          io.github.mobilenet.core.MobileNetException.class,
          () -> index.searchById("nope", SearchOptions.top(1)));
    }
  }

  @Test
  void lookupsAndDeletes(@TempDir Path dir) {
    try (ImageIndex index = ImageIndex.openOrCreate(dir, config)) {
      fill(index);
      String id = String.format("%032x", 7);
      index.refresh();
      ImageDoc d = index.get(id).orElseThrow();
      assertEquals(doc(7, photos.get(7)), d);
      assertEquals(d, index.getByPath(d.path()).orElseThrow());
      float[] v = index.vector(id).orElseThrow();
      assertEquals(
          1.0, io.github.mobilenet.core.extract.Features.cosine(v, photoVectors.get(7)), 1e-6);
      // same content at a second path: same id, both listed
      index.add(
          new ImageDoc(id, "/copies/seven.jpg", d.size(), d.modified(), 640, 480, Map.of()), v);
      index.refresh();
      // both copies, sorted by path; get(id) returns the smallest path (wherever the checkout
      // lives)
      List<String> both =
          java.util.stream.Stream.of("/copies/seven.jpg", d.path()).sorted().toList();
      assertEquals(both, index.getAll(id).stream().map(ImageDoc::path).toList());
      assertEquals(both.get(0), index.get(id).orElseThrow().path());
      index.delete("/copies/seven.jpg");
      index.delete(d.path());
      index.refresh();
      assertTrue(index.get(id).isEmpty());
      assertEquals(photos.size() + filler.size() - 1, index.size());
      // replacing by path keeps one document
      index.add(doc(8, photos.get(8)), photoVectors.get(9));
      index.refresh();
      assertEquals(photos.size() + filler.size() - 1, index.size());
      assertEquals(
          1.0,
          io.github.mobilenet.core.extract.Features.cosine(
              index.vector(String.format("%032x", 8)).orElseThrow(), photoVectors.get(9)),
          1e-6);
    }
  }

  @Test
  void anEmptyIndexAnswersWithNothing(@TempDir Path dir) {
    try (ImageIndex index = ImageIndex.openOrCreate(dir, config)) {
      assertEquals(0, index.size());
      assertEquals(List.of(), index.search(photoVectors.get(0), SearchOptions.top(3)));
      assertEquals(List.of(), index.search(photoVectors.get(0), SearchOptions.top(3).exact(true)));
      assertEquals(List.of(), index.duplicates(0.9));
      assertTrue(index.get("0").isEmpty());
      assertEquals(0, index.stats().documents());
    }
    // the empty index already records its configuration
    assertEquals(config, ImageIndex.readConfig(dir).orElseThrow());
  }

  @Test
  void badVectorsAreRefusedWithReasons(@TempDir Path dir) {
    try (ImageIndex index = ImageIndex.openOrCreate(dir, config)) {
      ImageDoc d = doc(0, photos.get(0));
      IllegalArgumentException wrongDims =
          assertThrows(IllegalArgumentException.class, () -> index.add(d, new float[1001]));
      assertTrue(
          wrongDims.getMessage().contains("1001") && wrongDims.getMessage().contains("1280"),
          wrongDims.getMessage());
      assertTrue(
          assertThrows(IllegalArgumentException.class, () -> index.add(d, new float[1280]))
              .getMessage()
              .contains("zeros"));
      float[] nan = photoVectors.get(0).clone();
      nan[5] = Float.NaN;
      assertThrows(IllegalArgumentException.class, () -> index.add(d, nan));
      assertThrows(
          IllegalArgumentException.class, () -> index.search(new float[12], SearchOptions.top(1)));
    }
  }

  @Test
  void configurationMismatchIsAClearError(@TempDir Path dir) throws IOException {
    try (ImageIndex index = ImageIndex.openOrCreate(dir, config)) {
      index.add(doc(0, photos.get(0)), photoVectors.get(0));
    }
    assertEquals(config, ImageIndex.readConfig(dir).orElseThrow());
    io.github.mobilenet.core.model.ModelProfile profile =
        io.github.mobilenet.core.model.ModelProfile.mobileNetV2();
    IndexConfig layer19 =
        IndexConfig.of(
            profile,
            "layer_19",
            Pooling.GEM,
            config.preprocessing(),
            config.resize(),
            config.format());
    IndexConfigMismatchException e =
        assertThrows(
            IndexConfigMismatchException.class, () -> ImageIndex.openOrCreate(dir, layer19));
    assertTrue(e.getMessage().contains("layer=pooled (asked: layer_19)"), e.getMessage());
    assertTrue(e.getMessage().contains("pooling=none (asked: gem)"), e.getMessage());
    IndexConfig crop =
        IndexConfig.of(
            profile,
            "pooled",
            Pooling.AVG,
            io.github.mobilenet.core.preprocess.Preprocessing.CENTER_CROP,
            config.resize(),
            config.format());
    assertTrue(
        assertThrows(IndexConfigMismatchException.class, () -> ImageIndex.open(dir, crop))
            .getMessage()
            .contains("preprocessing=full (asked: center-crop)"));
    assertTrue(
        assertThrows(
                IndexConfigMismatchException.class,
                () -> ImageIndex.openOrCreate(dir, config.withFormat(VectorFormat.INT4)))
            .getMessage()
            .contains("format=float (asked: int4)"));
    // reading with another format is fine: vectors mean the same
    try (ImageIndex index = ImageIndex.open(dir, config.withFormat(VectorFormat.BIT))) {
      assertEquals(1, index.size());
      try (ImageEmbedder cropped = ImageEmbedder.open(crop)) {
        assertThrows(
            IndexConfigMismatchException.class,
            () -> index.search(cropped, ImageSource.of(photos.get(0)), SearchOptions.top(1)));
      }
    }
    Path empty = dir.resolveSibling(dir.getFileName() + "-none");
    assertTrue(
        assertThrows(
                io.github.mobilenet.core.MobileNetException.class, () -> ImageIndex.open(empty))
            .getMessage()
            .contains("no image index"));
  }

  @Test
  void searchByImageMatchesSearchByVector(@TempDir Path dir) {
    try (ImageIndex index = ImageIndex.openOrCreate(dir, config);
        ImageEmbedder e = ImageEmbedder.open(index.config())) {
      fill(index);
      index.refresh();
      // the EXIF-rotated cat finds the upright cat first
      List<SearchHit> hits =
          index.search(
              e,
              ImageSource.of(TestImages.test("derived_chelsea_exif6.jpg")),
              SearchOptions.top(2));
      assertTrue(hits.get(0).path().endsWith("derived_chelsea_exif6.jpg"));
      assertEquals(1.0, hits.get(0).score(), 1e-5);
      assertTrue(hits.get(1).path().endsWith("skimage_chelsea.png"));
      assertTrue(hits.get(1).score() > 0.99, "cosine " + hits.get(1).score());
    }
  }

  @Test
  void quantizedFormatsStoreVectorsAtLeastFourTimesSmaller(@TempDir Path dir) {
    Map<VectorFormat, IndexStats> stats = new java.util.EnumMap<>(VectorFormat.class);
    for (VectorFormat f : VectorFormat.values()) {
      try (ImageIndex index =
          ImageIndex.openOrCreate(dir.resolve(f.cliName()), config.withFormat(f))) {
        fill(index);
        index.refresh();
        stats.put(f, index.stats());
      }
    }
    int n = photos.size() + filler.size();
    IndexStats floats = stats.get(VectorFormat.FLOAT32);
    assertEquals(n, floats.documents());
    assertEquals(n, floats.distinctIds());
    // float32: 1280 × 4 bytes per vector, plus a small header
    double floatBytes = (double) floats.bytesByKind().get("vectors_float") / n;
    assertTrue(floatBytes >= 5120 && floatBytes < 5200, "float bytes/vector " + floatBytes);
    for (VectorFormat f : List.of(VectorFormat.INT7, VectorFormat.INT4, VectorFormat.BIT)) {
      double q = (double) stats.get(f).bytesByKind().get("vectors_quantized") / n;
      int bits =
          f == VectorFormat.INT7 ? 8 : f == VectorFormat.INT4 ? 4 : 1; // 7-bit codes take a byte
      assertTrue(q >= 1280 * bits / 8.0 && q <= 1280 * bits / 8.0 + 64, f + " bytes/vector " + q);
      // int7 keeps a byte per dimension plus corrections: just under 4x (3.95x); int4 and bit are
      // well over
      assertTrue(
          floatBytes / q >= (f == VectorFormat.INT7 ? 3.9 : 7.5),
          f + " only " + floatBytes / q + "x smaller");
      // floats are kept for exact rescoring
      assertEquals(
          stats.get(f).bytesByKind().get("vectors_float"),
          floats.bytesByKind().get("vectors_float"));
    }
  }

  /** A fresh JVM finds the vectors format through SPI and searches the index written here. */
  @Test
  void reopensInAFreshJvm(@TempDir Path dir) throws Exception {
    Path idx = dir.resolve("idx");
    try (ImageIndex index = ImageIndex.openOrCreate(idx, config.withFormat(VectorFormat.INT4))) {
      fill(index);
    }
    Path query = dir.resolve("q.npy");
    Npy.write(query, List.of(photoVectors.get(11)));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                ReopenMain.class.getName(),
                idx.toString(),
                query.toString())
            .redirectErrorStream(true)
            .start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM timed out");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    List<String> lines = out.lines().filter(l -> l.startsWith("hit ")).toList();
    assertEquals(3, lines.size(), out);
    assertTrue(lines.get(0).startsWith("hit 1 " + String.format("%032x", 11) + " 1.0000"), out);
    assertTrue(out.contains("config " + config.withFormat(VectorFormat.INT4).describe()), out);
    assertTrue(out.contains("documents " + (photos.size() + filler.size())), out);
  }

  @Test
  void searchersNeverSeeHalfWrittenDocuments(@TempDir Path dir) throws Exception {
    try (ImageIndex index = ImageIndex.openOrCreate(dir, config)) {
      Thread writer =
          new Thread(
              () -> {
                for (int round = 0; round < 4; round++) {
                  for (int i = 0; i < photos.size(); i++) {
                    index.add(
                        doc(i, photos.get(i)).withTags(Map.of("round", List.of("r" + round))),
                        photoVectors.get(i));
                  }
                  index.commit();
                }
              });
      writer.start();
      int searches = 0;
      while (writer.isAlive() || searches < 20) {
        index.refresh();
        for (SearchHit h :
            index.search(photoVectors.get(searches % photos.size()), SearchOptions.top(30))) {
          int i = Integer.parseInt(h.id(), 16);
          assertEquals(photos.get(i).toAbsolutePath().toString(), h.path());
          assertEquals(1000 + i, h.doc().size());
          assertEquals(1, h.doc().tags().get("round").size());
          assertEquals(
              io.github.mobilenet.core.extract.Features.cosine(
                  photoVectors.get(searches % photos.size()), photoVectors.get(i)),
              h.score(),
              1e-5);
        }
        searches++;
      }
      writer.join();
      index.refresh();
      assertEquals(photos.size(), index.size());
    }
  }

  @Test
  void statsDescribeTheIndex(@TempDir Path dir) {
    try (ImageIndex index = ImageIndex.openOrCreate(dir, config)) {
      fill(index);
      index.refresh();
      IndexStats s = index.stats();
      assertEquals(photos.size() + filler.size(), s.documents());
      assertEquals(config, s.config());
      assertTrue(s.bytesOnDisk() > (long) s.documents() * 5120, "bytes " + s.bytesOnDisk());
      assertTrue(s.bytesByKind().get("hnsw_graph") > 0);
      assertTrue(s.searchBytesPerVector() > 5120);
    }
  }
}
