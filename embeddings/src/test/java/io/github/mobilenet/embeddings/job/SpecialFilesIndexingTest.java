package io.github.mobilenet.embeddings.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.mobilenet.embeddings.TestImages;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.index.Tags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A FIFO or a dangling link in an indexed folder is a failed file with its reason; the job never
 * opens the FIFO (which would block it forever), not even to hash a file it indexed before.
 */
class SpecialFilesIndexingTest {
  static IndexingSummary run(
      ImageIndex index, ImageEmbedder embedder, Path root, IndexingJobTest.Recorder r) {
    return IndexingJob.builder(index, embedder)
        .paths(List.of(root))
        .tags(Tags.none())
        .decodeThreads(2)
        .listener(r)
        .build()
        .run();
  }

  static void mkfifo(Path p) throws Exception {
    assertEquals(0, new ProcessBuilder("mkfifo", p.toString()).start().waitFor());
  }

  @Test
  void fifoAndDanglingLinkAreFailuresWithTheirReason(@TempDir Path dir) throws Exception {
    Path root = Files.createDirectories(dir.resolve("photos"));
    Files.copy(TestImages.test("darknet_dog.jpg"), root.resolve("a.jpg"));
    Files.copy(TestImages.test("skimage_coffee.jpg"), root.resolve("b.jpg"));
    mkfifo(root.resolve("pipe.jpg"));
    Files.createSymbolicLink(root.resolve("gone.jpg"), root.resolve("deleted.jpg"));
    try (ImageEmbedder embedder = ImageEmbedder.open(IndexConfig.defaults());
        ImageIndex index = ImageIndex.openOrCreate(dir.resolve("idx"), IndexConfig.defaults())) {
      IndexingJobTest.Recorder first = new IndexingJobTest.Recorder();
      assertTimeoutPreemptively(Duration.ofMinutes(5), () -> run(index, embedder, root, first));
      assertEquals(4, first.total);
      assertEquals(
          Map.of("gone.jpg", "io_error", "pipe.jpg", "not_a_regular_file"), first.failures);
      assertEquals(2, first.summary.indexed());

      // b.jpg, indexed above, becomes a FIFO: the unchanged-file check must not hash it.
      Files.delete(root.resolve("b.jpg"));
      mkfifo(root.resolve("b.jpg"));
      IndexingJobTest.Recorder second = new IndexingJobTest.Recorder();
      assertTimeoutPreemptively(Duration.ofMinutes(5), () -> run(index, embedder, root, second));
      assertEquals(
          Map.of(
              "b.jpg", "not_a_regular_file",
              "gone.jpg", "io_error",
              "pipe.jpg", "not_a_regular_file"),
          second.failures);
    }
  }
}
