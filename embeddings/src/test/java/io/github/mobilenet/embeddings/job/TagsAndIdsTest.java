package io.github.mobilenet.embeddings.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.embeddings.TestImages;
import io.github.mobilenet.embeddings.index.ContentHash;
import io.github.mobilenet.embeddings.index.ImageDoc;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.index.Tags;
import io.github.mobilenet.embeddings.search.SearchHit;
import io.github.mobilenet.embeddings.search.SearchOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stored tags survive runs without tags; identical files at two paths stay two findable images. */
class TagsAndIdsTest extends WithDefaultEmbedder {
  private static IndexingSummary run(
      ImageIndex index, Path root, Tags tags, boolean clear, IndexingJobTest.Recorder r) {
    IndexingSummary s =
        IndexingJob.builder(index, embedder)
            .paths(List.of(root))
            .tags(tags)
            .clearTags(clear)
            .decodeThreads(2)
            .listener(r)
            .build()
            .run();
    index.refresh();
    return s;
  }

  private static Map<String, List<String>> tagsOf(ImageIndex index, Path file) {
    return index.getByPath(file.toAbsolutePath().normalize().toString()).orElseThrow().tags();
  }

  @Test
  void tagsAreKeptUnlessReplacedOrClearedAndChangesAreCounted(@TempDir Path dir)
      throws IOException {
    Path root = Files.createDirectories(dir.resolve("p"));
    Path horses = Files.copy(TestImages.test("darknet_horses.jpg"), root.resolve("horses.jpg"));
    Path cat = Files.copy(TestImages.test("skimage_chelsea.png"), root.resolve("cat.png"));
    Path csv = dir.resolve("tags.csv");
    Files.writeString(csv, "path,tag\np/horses.jpg,animals\np/cat.png,indoor\n");
    try (ImageIndex index = ImageIndex.openOrCreate(dir.resolve("idx"), IndexConfig.defaults())) {
      IndexingSummary first =
          run(index, root, Tags.load(csv), false, new IndexingJobTest.Recorder());
      assertEquals(2, first.indexed());
      assertEquals(0, first.retagged());

      // no tags given: nothing changes, nothing is lost
      IndexingSummary again = run(index, root, Tags.none(), false, new IndexingJobTest.Recorder());
      assertEquals(2, again.unchanged());
      assertEquals(0, again.retagged());
      assertEquals(Map.of("tag", List.of("animals")), tagsOf(index, horses));
      assertEquals(Map.of("tag", List.of("indoor")), tagsOf(index, cat));

      // given tags replace those of the files they name; one row names a file not walked
      Path some = dir.resolve("some.csv");
      Files.writeString(some, "path,tag\np/horses.jpg,farm\np/gone.jpg,lost\n");
      IndexingJobTest.Recorder r = new IndexingJobTest.Recorder();
      IndexingSummary replaced = run(index, root, Tags.load(some), false, r);
      assertEquals(2, replaced.unchanged());
      assertEquals(0, replaced.embedded());
      assertEquals(1, replaced.retagged());
      assertEquals(1, replaced.unmatchedTagRows());
      assertTrue(
          r.notices.stream().anyMatch(n -> n.startsWith("1 file named by the tags")),
          r.notices.toString());
      assertEquals(Map.of("tag", List.of("farm")), tagsOf(index, horses));
      assertEquals(Map.of("tag", List.of("indoor")), tagsOf(index, cat));

      // clearing is explicit
      IndexingSummary cleared = run(index, root, Tags.none(), true, new IndexingJobTest.Recorder());
      assertEquals(2, cleared.retagged());
      assertEquals(0, cleared.embedded());
      assertEquals(Map.of(), tagsOf(index, horses));
      assertEquals(Map.of(), tagsOf(index, cat));
    }
  }

  @Test
  void identicalFilesAtTwoPathsAreTwoFindableImages(@TempDir Path dir) throws IOException {
    Path root = Files.createDirectories(dir.resolve("p"));
    Path a = Files.copy(TestImages.test("darknet_kite.jpg"), root.resolve("a.jpg"));
    Path b = Files.copy(TestImages.test("darknet_kite.jpg"), root.resolve("b.jpg"));
    Files.copy(TestImages.test("darknet_horses.jpg"), root.resolve("horses.jpg"));
    String content = ContentHash.of(a);
    try (ImageIndex index = ImageIndex.openOrCreate(dir.resolve("idx"), IndexConfig.defaults())) {
      IndexingSummary s = run(index, root, Tags.none(), false, new IndexingJobTest.Recorder());
      assertEquals(3, s.indexed());
      ImageDoc da = index.getByPath(a.toAbsolutePath().toString()).orElseThrow();
      ImageDoc db = index.getByPath(b.toAbsolutePath().toString()).orElseThrow();
      assertNotEquals(da.id(), db.id());
      assertEquals(content, da.content());
      assertEquals(content, db.content());
      assertEquals(da.path(), index.get(da.id()).orElseThrow().path());
      assertEquals(db.path(), index.get(db.id()).orElseThrow().path());
      assertEquals(2, index.stats().distinctIds(), "two distinct contents");

      List<SearchHit> hits = index.searchById(da.id(), SearchOptions.top(3));
      Set<String> top2 =
          hits.subList(0, 2).stream().map(SearchHit::path).collect(Collectors.toSet());
      assertEquals(Set.of(da.path(), db.path()), top2);
      assertEquals(1.0, hits.get(1).score(), 1e-5);
      List<SearchHit> byVector =
          index.search(index.vector(db.id()).orElseThrow(), SearchOptions.top(3));
      assertEquals(
          Set.of(da.path(), db.path()),
          byVector.subList(0, 2).stream().map(SearchHit::path).collect(Collectors.toSet()));
      // excluding the content (an image's own bytes) drops both copies
      assertEquals(
          List.of("horses.jpg"),
          index.searchById(da.id(), SearchOptions.top(3).exclude(Set.of(content))).stream()
              .map(h -> Path.of(h.path()).getFileName().toString())
              .toList());

      IndexingSummary again = run(index, root, Tags.none(), false, new IndexingJobTest.Recorder());
      assertEquals(List.of(0, 3, 0, 0, 0, 0, 3), IndexingJobTest.counts(again));
      assertEquals(da.id(), index.getByPath(da.path()).orElseThrow().id(), "ids are stable");
    }
  }

  @Test
  void sharedIdsOfAnOlderIndexBecomeOnePerPath(@TempDir Path dir) throws IOException {
    Path root = Files.createDirectories(dir.resolve("p"));
    Path a = Files.copy(TestImages.test("darknet_kite.jpg"), root.resolve("a.jpg"));
    Path b = Files.copy(TestImages.test("darknet_kite.jpg"), root.resolve("b.jpg"));
    String content = ContentHash.of(a);
    try (ImageIndex index = ImageIndex.openOrCreate(dir.resolve("idx"), IndexConfig.defaults())) {
      float[] v = embedder.embed(a);
      for (Path p : List.of(a, b)) { // as the layout before per-path ids wrote them
        index.add(
            new ImageDoc(
                content,
                p.toAbsolutePath().toString(),
                Files.size(p),
                Files.getLastModifiedTime(p).toMillis(),
                640,
                480,
                Map.of()),
            v);
      }
      index.commit();
      index.refresh();
      assertEquals(2, index.getAll(content).size());
      IndexingSummary s = run(index, root, Tags.none(), false, new IndexingJobTest.Recorder());
      assertEquals(List.of(0, 2, 0, 0, 0, 0, 2), IndexingJobTest.counts(s));
      ImageDoc da = index.getByPath(a.toAbsolutePath().toString()).orElseThrow();
      ImageDoc db = index.getByPath(b.toAbsolutePath().toString()).orElseThrow();
      assertNotEquals(da.id(), db.id());
      assertEquals(content, db.content());
      assertTrue(index.get(content).isEmpty(), "no image has the shared id any more");
      assertEquals(List.of(da, db), index.getAll(content)); // both copies, by content
    }
  }
}
