package io.github.mobilenet.embeddings.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.embeddings.EmbeddingsException;
import io.github.mobilenet.embeddings.EmbeddingsException.Reason;
import io.github.mobilenet.embeddings.Vectors;
import io.github.mobilenet.embeddings.search.SearchOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged bytes never rank silently: searches refuse them and the full check names them. */
class CorruptionTest {
  private static final IndexConfig CONFIG = IndexConfig.defaults(); // augment 2: doc-values vectors

  private static Path build(Path dir, List<float[]> vectors) {
    Path idx = dir.resolve("idx");
    try (ImageIndex index = ImageIndex.openOrCreate(idx, CONFIG)) {
      for (int i = 0; i < vectors.size(); i++) {
        index.add(
            new ImageDoc(String.format("%032x", i), "/photos/" + i + ".jpg", 1, 1, 1, 1, Map.of()),
            vectors.get(i));
      }
      index.commit();
      index.augment();
      index.commit();
    }
    return idx;
  }

  @Test
  void aCleanIndexPassesTheCheck(@TempDir Path dir) {
    List<float[]> v = Vectors.clustered(60, CONFIG.dimension(), 6, 0.6, 3);
    Path idx = build(dir, v);
    IndexCheck.Report report = IndexCheck.run(idx);
    assertTrue(report.ok(), report.problems().toString());
    assertEquals(60, report.documents());
    assertTrue(report.luceneLog().contains("No problems were detected"), report.luceneLog());
    try (ImageIndex index = ImageIndex.open(idx)) {
      assertEquals(1.0, index.search(v.get(7), SearchOptions.top(1)).get(0).score(), 1e-5);
    }
  }

  @Test
  void flippedDocValuesBytesAreCorruptNotAResult(@TempDir Path dir) throws IOException {
    List<float[]> v = Vectors.clustered(60, CONFIG.dimension(), 6, 0.6, 4);
    Path idx = build(dir, v);
    Path dvd;
    try (var files = Files.list(idx)) {
      dvd =
          files
              .filter(f -> f.getFileName().toString().endsWith(".dvd"))
              .max(Comparator.comparingLong(f -> f.toFile().length()))
              .orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(dvd);
    assertTrue(bytes.length > 1000, dvd + " holds the augmented vectors: " + bytes.length);
    for (int i = bytes.length / 2; i < bytes.length / 2 + 32; i++) {
      bytes[i] = (byte) ~bytes[i];
    }
    Files.write(dvd, bytes);

    EmbeddingsException e =
        assertThrows(
            EmbeddingsException.class,
            () -> {
              try (ImageIndex index = ImageIndex.open(idx)) {
                for (int q = 0; q < v.size(); q++) {
                  index.search(v.get(q), SearchOptions.top(v.size()).exact(true));
                }
              }
            });
    assertEquals(Reason.CORRUPT, e.reason(), e.getMessage());
    assertEquals(idx, e.index());
    assertTrue(e.getMessage().contains("index " + idx + " is corrupt"), e.getMessage());

    IndexCheck.Report report = IndexCheck.run(idx);
    assertFalse(report.ok());
    assertTrue(
        report.problems().get(0).startsWith("Lucene's check failed"), report.problems().toString());
  }

  @Test
  void checkingNothingIsNotFound(@TempDir Path dir) {
    EmbeddingsException e =
        assertThrows(EmbeddingsException.class, () -> IndexCheck.run(dir.resolve("none")));
    assertEquals(Reason.NOT_FOUND, e.reason());
    assertFalse(Files.exists(dir.resolve("none")));
  }
}
