package io.github.mobilenet.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.extract.Pooling;
import io.github.mobilenet.core.preprocess.Preprocessing;
import io.github.mobilenet.embeddings.search.Similarity;
import io.github.mobilenet.eval.data.EmbeddedSet;
import io.github.mobilenet.eval.data.EmbeddingCache;
import io.github.mobilenet.eval.data.EmbeddingConfig;
import io.github.mobilenet.eval.data.LabeledImages;
import io.github.mobilenet.eval.data.LayerFeatures;
import io.github.mobilenet.eval.learn.SoftmaxRegression;
import io.github.mobilenet.eval.probe.ProbeBenchmark;
import io.github.mobilenet.eval.retrieval.IndexedRetrieval;
import io.github.mobilenet.eval.retrieval.RetrievalBenchmark;
import io.github.mobilenet.eval.retrieval.RetrievalMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole harness on real images and the real model: 8 sample photos × 4 distorted copies
 * (original, mirror, off-centre crop, small low-quality copy), each photo a class.
 */
class EndToEndEvalTest {
  @TempDir static Path work;
  static LabeledImages images;
  static EmbeddingCache cache;
  static EmbeddedSet set;

  @BeforeAll
  static void extract() throws IOException {
    Path labels = EvalSamples.variants(work.resolve("variants"), 4);
    images = LabeledImages.read(labels, work.resolve("variants"));
    cache = new EmbeddingCache(work.resolve("cache"));
    set =
        EmbeddedSet.of(
            images,
            EmbeddingConfig.DEFAULT,
            cache,
            EmbeddingCache.Extraction.of(EmbeddingConfig.DEFAULT),
            null);
  }

  @Test
  void realEmbeddingsRetrieveCopiesAndRandomVectorsCannot() {
    assertEquals(32, set.size());
    assertEquals(8, set.classes().size());
    assertEquals(1280, set.dimensions());
    RetrievalMetrics.Result real =
        RetrievalMetrics.evaluate(set.vectors(), set.labels(), Similarity.DOT_PRODUCT, 3);
    assertTrue(
        real.meanAveragePrecision() > 0.9, "mAP of real embeddings " + real.meanAveragePrecision());
    assertTrue(real.precisionAt1() > 0.9, "P@1 " + real.precisionAt1());
    // Each query has 3 relevant items among 31: random rankings give AP ≈ 0.15 on average. Over 50
    // random
    // vector sets none comes near the real embeddings' level.
    double worst = 0;
    for (int seed = 0; seed < 50; seed++) {
      float[][] random = gaussian(set.size(), set.dimensions(), seed);
      double map =
          RetrievalMetrics.evaluate(random, set.labels(), Similarity.COSINE, 3)
              .meanAveragePrecision();
      worst = Math.max(worst, map);
    }
    assertTrue(worst < 0.35, "best mAP of random vectors " + worst);
  }

  @Test
  void cacheHitsForSameInputsAndMissesWhenAnythingChanges() throws IOException {
    LayerFeatures again = loadDefaultLayer19(images, Set.of());
    assertTrue(again.cached());
    assertTrue(again.poolings().containsAll(EmbeddingCache.STANDARD_POOLINGS));
    float[][] gem = again.vectors(Pooling.GEM);
    for (int i = 0; i < set.size(); i++) {
      assertArrayEquals(set.vectors()[i], EmbeddingConfig.DEFAULT.normalization().apply(gem[i]), 0);
    }
    assertTrue(again.timing().imagesPerSecond() > 0);
    // Another preprocessing is another entry.
    EmbeddingConfig crop = EmbeddingConfig.DEFAULT.withPreprocessing(Preprocessing.CENTER_CROP);
    LayerFeatures cropped =
        cache.load(EmbeddingCache.Extraction.of(crop), images, "layer_19", Set.of(), null);
    assertFalse(cropped.cached());
    // Edited image content misses too (same names, same count).
    Path copy = work.resolve("edited");
    copyTree(images.root(), copy);
    Path first = copy.resolve(images.names().get(0));
    Files.write(first, Files.readAllBytes(copy.resolve(images.names().get(1))));
    LabeledImages edited = LabeledImages.read(copy.resolve("LABELS"), copy);
    LayerFeatures e = loadDefaultLayer19(edited, Set.of());
    assertFalse(e.cached());
    assertArrayEquals(e.vectors(Pooling.GEM)[0], e.vectors(Pooling.GEM)[1], 0);
    // A new pooling re-extracts once and keeps the old ones.
    LayerFeatures gem4 = loadDefaultLayer19(images, Set.of(Pooling.gem(4)));
    assertFalse(gem4.cached());
    assertTrue(
        gem4.poolings()
            .containsAll(List.of(Pooling.AVG, Pooling.MAX, Pooling.GEM, Pooling.gem(4))));
    assertTrue(loadDefaultLayer19(images, Set.of(Pooling.gem(4))).cached());
  }

  @Test
  void pooledEndpointEqualsAverageOfLayer19() throws IOException {
    var both =
        cache.load(
            EmbeddingCache.Extraction.of(EmbeddingConfig.DEFAULT),
            images.files(),
            images.names(),
            List.of("pooled", "layer_19"),
            Set.of(),
            null);
    float[][] pooled = both.get("pooled").vectors(Pooling.AVG);
    float[][] avg = both.get("layer_19").vectors(Pooling.AVG);
    for (int i = 0; i < pooled.length; i++) {
      assertArrayEquals(pooled[i], avg[i], 1e-5f);
    }
  }

  @Test
  void probesClassifyCopies() {
    ProbeBenchmark.Report r =
        ProbeBenchmark.run(set, Similarity.DOT_PRODUCT, 4, 0, 1, new SoftmaxRegression(), 1e-2);
    assertEquals(4, r.knn().length);
    assertTrue(r.knnMean() > 0.9, "1-NN accuracy " + r.knnMean());
    assertTrue(r.logisticMean() > 0.9, "logistic accuracy " + r.logisticMean());
  }

  @Test
  void whiteningAndIndexFormatsRunOnRealVectors() throws IOException {
    RetrievalBenchmark.Report w =
        RetrievalBenchmark.run(
            set,
            Similarity.DOT_PRODUCT,
            new RetrievalBenchmark.Options(3, 8, RetrievalBenchmark.WhitenSplit.IMAGES, 0));
    assertEquals(8, w.dimensions());
    assertTrue(
        w.unwhitened().meanAveragePrecision() > 0.9,
        "plain mAP on halves " + w.unwhitened().meanAveragePrecision());
    assertTrue(
        w.metrics().meanAveragePrecision() > 0.3,
        "whitened mAP " + w.metrics().meanAveragePrecision());
    for (int augment : new int[] {0, 2}) {
      IndexedRetrieval.Report f =
          IndexedRetrieval.run(
              set,
              io.github.mobilenet.core.model.ModelProfile.mobileNetV2(),
              EmbeddingConfig.DEFAULT,
              io.github.mobilenet.embeddings.index.VectorFormat.FLOAT32,
              augment,
              31,
              3);
      // Depth 31 = the whole set: HNSW with exact rescoring finds the same ranking as brute force,
      // and the
      // index's augmentation the same vectors as NeighbourExpansion in memory.
      assertEquals(
          f.exact().meanAveragePrecision(),
          f.metrics().meanAveragePrecision(),
          1e-6,
          "augment " + augment);
      assertEquals(32, f.stats().documents());
    }
  }

  @Test
  void failedImagesAreReportedNotDropped() throws IOException {
    Path dir = work.resolve("broken");
    copyTree(images.root(), dir);
    Files.write(dir.resolve(images.names().get(5)), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
    LabeledImages broken = LabeledImages.read(dir.resolve("LABELS"), dir);
    EmbeddedSet s =
        EmbeddedSet.of(
            broken,
            EmbeddingConfig.DEFAULT,
            new EmbeddingCache(null),
            EmbeddingCache.Extraction.of(EmbeddingConfig.DEFAULT),
            null);
    assertEquals(31, s.size());
    assertEquals(List.of(images.names().get(5)), s.failed());
    assertTrue(
        s.errors().get(0).contains(images.names().get(5).replace('/', java.io.File.separatorChar))
            || s.errors().get(0).contains(images.names().get(5)),
        s.errors().get(0));
    assertNull(s.features().vectors(Pooling.GEM)[5]);
  }

  private static float[][] gaussian(int n, int d, long seed) {
    Random r = new Random(seed);
    float[][] v = new float[n][d];
    for (float[] row : v) {
      for (int j = 0; j < d; j++) {
        row[j] = (float) r.nextGaussian();
      }
    }
    return v;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  /** The default recipe's layer_19 features of {@code from}, with these poolings besides. */
  private static LayerFeatures loadDefaultLayer19(LabeledImages from, Set<Pooling> extraPoolings)
      throws IOException {
    return cache.load(
        EmbeddingCache.Extraction.of(EmbeddingConfig.DEFAULT),
        from,
        "layer_19",
        extraPoolings,
        null);
  }
}
