package io.github.mobilenet.embeddings.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.embeddings.EmbeddingsException;
import io.github.mobilenet.embeddings.EmbeddingsException.Reason;
import io.github.mobilenet.embeddings.Vectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Read commands create nothing; a full disk says so and keeps the last commit. */
class ReliabilityTest {
  private static final IndexConfig CONFIG = IndexConfig.defaults().withAugment(0);

  private static ImageDoc doc(int i) {
    return new ImageDoc(String.format("%032x", i), "/photos/" + i + ".jpg", 1, 1, 1, 1, Map.of());
  }

  @Test
  void openNeverCreatesAnything(@TempDir Path dir) {
    Path missing = dir.resolve("missing.idx");
    EmbeddingsException e = assertThrows(EmbeddingsException.class, () -> ImageIndex.open(missing));
    assertEquals(Reason.NOT_FOUND, e.reason());
    assertEquals(missing, e.index());
    assertEquals(io.github.mobilenet.core.MobileNetException.ErrorCode.INDEX, e.code());
    assertEquals(missing.toString(), e.input());
    assertTrue(e.getMessage().startsWith("no image index at " + missing), e.getMessage());
    assertFalse(Files.exists(missing), "open created the folder");

    Path idx = dir.resolve("idx");
    List<float[]> v = Vectors.clustered(3, CONFIG.dimension(), 1, 0.5, 1);
    try (ImageIndex index = ImageIndex.openOrCreate(idx, CONFIG)) {
      index.add(doc(0), v.get(0));
    }
    Path inside = idx.resolve("segments_99");
    e = assertThrows(EmbeddingsException.class, () -> ImageIndex.open(inside));
    assertEquals(Reason.NOT_FOUND, e.reason());
    assertTrue(e.getMessage().contains("inside the index at " + idx), e.getMessage());
    assertFalse(Files.exists(inside), "open created a folder inside the index");

    try (var files = Files.list(idx)) {
      Path segments =
          files.filter(f -> f.getFileName().toString().startsWith("segments_")).findFirst().get();
      e = assertThrows(EmbeddingsException.class, () -> ImageIndex.open(segments));
      assertTrue(e.getMessage().contains("it is a file"), e.getMessage());
      assertTrue(e.getMessage().contains("the index at " + idx), e.getMessage());
    } catch (IOException x) {
      throw new AssertionError(x);
    }
  }

  /** A directory that fails every new file like a full disk once {@link #full} is set. */
  private static final class FullDisk extends FilterDirectory {
    final AtomicBoolean full = new AtomicBoolean();

    FullDisk(Directory in) {
      super(in);
    }

    @Override
    public IndexOutput createOutput(String name, IOContext context) throws IOException {
      if (full.get()) {
        throw new IOException("No space left on device");
      }
      return super.createOutput(name, context);
    }

    @Override
    public IndexOutput createTempOutput(String prefix, String suffix, IOContext context)
        throws IOException {
      if (full.get()) {
        throw new IOException("No space left on device");
      }
      return super.createTempOutput(prefix, suffix, context);
    }
  }

  @Test
  void aFullDiskSaysSoAndKeepsTheLastCommit(@TempDir Path dir) {
    Path idx = dir.resolve("idx");
    List<float[]> v = Vectors.clustered(8, CONFIG.dimension(), 2, 0.5, 2);
    FullDisk[] disk = new FullDisk[1];
    ImageIndex index =
        ImageIndex.openOrCreate(
            idx, CONFIG, ImageIndex.WriteSettings.DEFAULT, d -> disk[0] = new FullDisk(d));
    for (int i = 0; i < 5; i++) {
      index.add(doc(i), v.get(i));
    }
    index.commit();
    disk[0].full.set(true);
    // Lucene writes stored fields as documents come, so the add or the commit meets the full disk
    EmbeddingsException e =
        assertThrows(
            EmbeddingsException.class,
            () -> {
              index.add(doc(5), v.get(5));
              index.commit();
            });
    assertEquals(Reason.DISK_FULL, e.reason());
    assertEquals(idx, e.index());
    assertTrue(e.getMessage().contains("no space left on device"), e.getMessage());
    assertTrue(e.getMessage().contains(idx.toString()), e.getMessage());
    try {
      index.close();
    } catch (EmbeddingsException closing) {
      assertEquals(Reason.DISK_FULL, closing.reason()); // the writer cannot commit on close either
    }
    try (ImageIndex reopened = ImageIndex.open(idx)) {
      assertEquals(5, reopened.size());
      assertTrue(reopened.getByPath("/photos/4.jpg").isPresent());
    }
  }
}
