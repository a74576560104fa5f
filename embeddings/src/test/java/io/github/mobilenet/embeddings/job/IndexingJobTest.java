package io.github.mobilenet.embeddings.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.extract.Features;
import io.github.mobilenet.embeddings.TestImages;
import io.github.mobilenet.embeddings.index.ContentHash;
import io.github.mobilenet.embeddings.index.ImageDoc;
import io.github.mobilenet.embeddings.index.ImageIds;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.index.Tags;
import io.github.mobilenet.embeddings.search.SearchHit;
import io.github.mobilenet.embeddings.search.SearchOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch job on a small messy folder, with the real model. */
class IndexingJobTest extends WithDefaultEmbedder {
  /** Records what the job reports. */
  static class Recorder implements IndexingListener {
    int total = -1;
    final List<IndexingProgress> progress = Collections.synchronizedList(new ArrayList<>());
    final Map<String, String> failures = Collections.synchronizedMap(new TreeMap<>());
    final List<Integer> commits = Collections.synchronizedList(new ArrayList<>());
    final List<String> notices = Collections.synchronizedList(new ArrayList<>());
    IndexingSummary summary;

    @Override
    public void started(int total) {
      this.total = total;
    }

    @Override
    public void progress(IndexingProgress p) {
      progress.add(p);
    }

    @Override
    public void failed(String path, String reason, String message) {
      assertTrue(message.contains(Path.of(path).getFileName().toString()), message);
      failures.put(Path.of(path).getFileName().toString(), reason);
    }

    @Override
    public void committed(int documents) {
      commits.add(documents);
    }

    @Override
    public void notice(String message) {
      notices.add(message);
    }

    @Override
    public void finished(IndexingSummary s) {
      summary = s;
    }
  }

  /**
   * Searches see a job's images as soon as it returns, also when it ends within the second in which
   * searches would not refresh on their own (no augmentation pass, which refreshes).
   */
  @Test
  void searchesSeeTheJobsImagesAsSoonAsItReturns(@TempDir Path dir) throws IOException {
    Path root = Files.createDirectories(dir.resolve("photos"));
    List<String> names = List.of("darknet_dog.jpg", "skimage_coffee.jpg", "kodak_kodim03.jpg");
    try (ImageIndex index =
        ImageIndex.openOrCreate(dir.resolve("idx"), IndexConfig.defaults().withAugment(0))) {
      for (int i = 0; i < names.size(); i++) {
        Path added = Files.copy(TestImages.test(names.get(i)), root.resolve(i + ".jpg"));
        assertEquals(1, run(index, root, Tags.none(), false, new Recorder()).indexed());
        List<SearchHit> hits =
            index.search(embedder.embed(added), SearchOptions.top(5).exact(true));
        assertEquals(i + 1, hits.size(), "every image indexed so far, at once");
        assertEquals(added.toString(), hits.get(0).path());
      }
    }
  }

  static IndexingSummary run(ImageIndex index, Path root, Tags tags, boolean prune, Recorder r) {
    return IndexingJob.builder(index, embedder)
        .paths(List.of(root))
        .tags(tags)
        .prune(prune)
        .decodeThreads(2)
        .commitEvery(2)
        .listener(r)
        .build()
        .run();
  }

  /**
   * A messy folder: 5 photos (one in a sub-folder), hidden files, a non-image, a truncated JPEG, a
   * fake JPEG, a symlink loop.
   */
  static Path messyFolder(Path dir) throws IOException {
    Path root = Files.createDirectories(dir.resolve("photos"));
    Files.createDirectories(root.resolve("sub"));
    Files.createDirectories(root.resolve(".cache"));
    Files.copy(TestImages.test("darknet_dog.jpg"), root.resolve("a.jpg"));
    Files.copy(TestImages.test("skimage_coffee.jpg"), root.resolve("b.jpg"));
    Files.copy(TestImages.test("skimage_camera.png"), root.resolve("c.png"));
    Files.copy(TestImages.test("kodak_kodim03.jpg"), root.resolve("d.jpg"));
    Files.copy(TestImages.test("skimage_rocket.jpg"), root.resolve("sub/e.jpg"));
    Files.copy(TestImages.test("darknet_eagle.jpg"), root.resolve(".cache/hidden.jpg"));
    Files.copy(TestImages.test("darknet_eagle.jpg"), root.resolve(".hidden.jpg"));
    Files.writeString(root.resolve("notes.txt"), "not an image");
    byte[] jpeg = Files.readAllBytes(TestImages.test("kodak_kodim05.jpg"));
    Files.write(root.resolve("broken.jpg"), java.util.Arrays.copyOf(jpeg, jpeg.length / 3));
    Files.writeString(root.resolve("fake.jpg"), "this is text, not a JPEG");
    Files.createSymbolicLink(root.resolve("sub/loop"), root);
    return root;
  }

  @Test
  void incrementalResumableAndPrunable(@TempDir Path dir) throws IOException {
    Path root = messyFolder(dir);
    Path idx = dir.resolve("idx");
    try (ImageIndex index = ImageIndex.openOrCreate(idx, IndexConfig.defaults())) {
      Recorder r1 = new Recorder();
      IndexingSummary s1 = run(index, root, Tags.none(), false, r1);
      assertEquals(
          7, r1.total); // 5 photos + broken + fake; hidden, notes.txt and the loop are skipped
      assertEquals(List.of(5, 0, 0, 0, 2, 5, 5), counts(s1));
      assertEquals(Map.of("broken.jpg", "truncated", "fake.jpg", "not_an_image"), r1.failures);
      assertEquals(7, r1.progress.get(r1.progress.size() - 1).done());
      for (int i = 1; i < r1.progress.size(); i++) {
        assertEquals(r1.progress.get(i - 1).done() + 1, r1.progress.get(i).done());
      }
      assertTrue(
          r1.commits.size() >= 3, "commits " + r1.commits); // every 2 documents, and at the end
      assertEquals(5, r1.commits.get(r1.commits.size() - 1));
      assertEquals(s1, r1.summary);
      index.refresh();
      ImageDoc a = index.getByPath(root.resolve("a.jpg").toAbsolutePath().toString()).orElseThrow();
      assertEquals(ContentHash.of(root.resolve("a.jpg")), a.content());
      assertEquals(ImageIds.of(a.content(), a.path()), a.id()); // one id per path
      assertEquals(Files.size(root.resolve("a.jpg")), a.size());
      assertEquals(Files.getLastModifiedTime(root.resolve("a.jpg")).toMillis(), a.modified());
      assertEquals(768, a.width());
      assertEquals(576, a.height());
      assertEquals(
          1.0,
          Features.cosine(
              embedder.embed(TestImages.test("darknet_dog.jpg")),
              index.vector(a.id()).orElseThrow()),
          1e-6);

      // nothing changed: nothing embedded
      assertEquals(
          List.of(0, 5, 0, 0, 2, 0, 5),
          counts(run(index, root, Tags.none(), false, new Recorder())));

      // a.jpg gets other content; b.jpg is touched only; c.png is copied; d.jpg is deleted
      Files.copy(
          TestImages.test("skimage_astronaut.jpg"),
          root.resolve("a.jpg"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.setLastModifiedTime(root.resolve("a.jpg"), FileTime.fromMillis(a.modified() + 5000));
      Files.setLastModifiedTime(
          root.resolve("b.jpg"),
          FileTime.fromMillis(Files.getLastModifiedTime(root.resolve("b.jpg")).toMillis() + 5000));
      Files.copy(root.resolve("c.png"), root.resolve("c_copy.png"));
      Files.delete(root.resolve("d.jpg"));
      // new: c_copy (reuses c's vector); updated: a (embedded); unchanged: b (same hash), c, e; d
      // stays without prune
      assertEquals(
          List.of(1, 3, 1, 0, 2, 1, 6),
          counts(run(index, root, Tags.none(), false, new Recorder())));
      index.refresh();
      ImageDoc a2 =
          index.getByPath(root.resolve("a.jpg").toAbsolutePath().toString()).orElseThrow();
      assertEquals(ContentHash.of(TestImages.test("skimage_astronaut.jpg")), a2.content());
      assertEquals(
          1.0,
          Features.cosine(
              embedder.embed(TestImages.test("skimage_astronaut.jpg")),
              index.vector(a2.id()).orElseThrow()),
          1e-6);
      String cId = ContentHash.of(root.resolve("c.png"));
      assertEquals(
          List.of("c.png", "c_copy.png"),
          index.getAll(cId).stream().map(d -> Path.of(d.path()).getFileName().toString()).toList());
      assertEquals(
          Files.getLastModifiedTime(root.resolve("b.jpg")).toMillis(),
          index
              .getByPath(root.resolve("b.jpg").toAbsolutePath().toString())
              .orElseThrow()
              .modified());

      // --prune drops d.jpg
      Recorder pruned = new Recorder();
      assertEquals(
          List.of(0, 5, 0, 1, 2, 0, 5), counts(run(index, root, Tags.none(), true, pruned)));
      index.refresh();
      assertTrue(index.getByPath(root.resolve("d.jpg").toAbsolutePath().toString()).isEmpty());
      assertEquals(List.of(), pruned.notices);
    }
  }

  @Test
  void tagsFromSidecarAreIndexedAndUpdatedWithoutReembedding(@TempDir Path dir) throws IOException {
    Path root = Files.createDirectories(dir.resolve("p"));
    Files.copy(TestImages.test("darknet_horses.jpg"), root.resolve("horses.jpg"));
    Files.copy(TestImages.test("skimage_chelsea.png"), root.resolve("cat.png"));
    Path csv = dir.resolve("tags.csv");
    Files.writeString(
        csv, "path,tag,label\np/horses.jpg,outdoor;animals,horse\n\"p/cat.png\",indoor,cat\n");
    try (ImageIndex index = ImageIndex.openOrCreate(dir.resolve("idx"), IndexConfig.defaults())) {
      assertEquals(
          List.of(2, 0, 0, 0, 0, 2, 2),
          counts(run(index, root, Tags.load(csv), false, new Recorder())));
      index.refresh();
      ImageDoc horses =
          index.getByPath(root.resolve("horses.jpg").toAbsolutePath().toString()).orElseThrow();
      assertEquals(
          Map.of("tag", List.of("outdoor", "animals"), "label", List.of("horse")), horses.tags());
      float[] q = index.vector(horses.id()).orElseThrow();
      assertEquals(
          List.of(horses.id()),
          index.search(q, SearchOptions.top(5).filter("tag", "animals")).stream()
              .map(SearchHit::id)
              .toList());
      assertEquals(
          "cat.png",
          Path.of(index.search(q, SearchOptions.top(5).filter("label", "cat")).get(0).path())
              .getFileName()
              .toString());

      Path jsonl = dir.resolve("tags.jsonl");
      Files.writeString(
          jsonl, "{\"path\": \"p/horses.jpg\", \"tags\": [\"farm\"], \"year\": 2019}\n");
      assertEquals(
          List.of(0, 2, 0, 0, 0, 0, 2),
          counts(run(index, root, Tags.load(jsonl), false, new Recorder())));
      index.refresh();
      assertEquals(
          Map.of("tag", List.of("farm"), "year", List.of("2019")),
          index.getByPath(horses.path()).orElseThrow().tags());
      // tags are user data: a file the new tags do not name keeps its own (clearing is explicit)
      assertEquals(
          Map.of("tag", List.of("indoor"), "label", List.of("cat")),
          index
              .getByPath(root.resolve("cat.png").toAbsolutePath().toString())
              .orElseThrow()
              .tags());
      assertEquals(1.0, Features.cosine(q, index.vector(horses.id()).orElseThrow()), 1e-6);
    }
  }

  @Test
  void aFileRewrittenWhileItIsIndexedIsReportedAndIndexedNextRun(@TempDir Path dir)
      throws IOException {
    Path root = Files.createDirectories(dir.resolve("photos"));
    Files.copy(TestImages.test("darknet_dog.jpg"), root.resolve("a.jpg"));
    Files.copy(TestImages.test("skimage_coffee.jpg"), root.resolve("b.jpg"));
    Files.copy(TestImages.test("kodak_kodim03.jpg"), root.resolve("c.jpg"));
    Path b = root.resolve("b.jpg");
    byte[] rocket = Files.readAllBytes(TestImages.test("skimage_rocket.jpg"));
    try (ImageIndex index = ImageIndex.openOrCreate(dir.resolve("idx"), IndexConfig.defaults())) {
      // The writer thread reports a.jpg before it hashes b.jpg (files go in order): rewrite b.jpg
      // then, after its old bytes were planned and decoded.
      Recorder r1 =
          new Recorder() {
            @Override
            public void progress(IndexingProgress p) {
              super.progress(p);
              if (p.done() == 1) {
                try {
                  Files.write(b, rocket);
                  Files.setLastModifiedTime(b, FileTime.fromMillis(1_600_000_000_000L));
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }
            }
          };
      IndexingSummary s1 = run(index, root, Tags.none(), false, r1);
      assertEquals(Map.of("b.jpg", "changed_while_indexing"), r1.failures);
      assertEquals(List.of(2, 0, 0, 0, 1, 2, 2), counts(s1));
      index.refresh();
      String key = b.toAbsolutePath().toString();
      assertTrue(
          index.getByPath(key).isEmpty(),
          "no document pairs one version's hash with another's vector");

      Recorder r2 = new Recorder();
      IndexingSummary s2 = run(index, root, Tags.none(), false, r2);
      assertEquals(List.of(1, 2, 0, 0, 0, 1, 3), counts(s2));
      index.refresh();
      ImageDoc doc = index.getByPath(key).orElseThrow();
      assertEquals(ContentHash.of(rocket), doc.content());
      float[] stored = index.vector(doc.id()).orElseThrow();
      float[] expected = embedder.embed(b);
      assertEquals(1.0, Features.cosine(expected, stored), 1e-6);
    }
  }

  @Test
  void pruneIsSkippedWhenAPathIsMissing(@TempDir Path dir) throws IOException {
    Path root = Files.createDirectories(dir.resolve("p"));
    Files.copy(TestImages.test("darknet_kite.jpg"), root.resolve("kite.jpg"));
    try (ImageIndex index = ImageIndex.openOrCreate(dir.resolve("idx"), IndexConfig.defaults())) {
      run(index, root, Tags.none(), false, new Recorder());
      Recorder r = new Recorder();
      IndexingSummary s =
          IndexingJob.builder(index, embedder)
              .paths(List.of(root, dir.resolve("gone")))
              .prune(true)
              .listener(r)
              .build()
              .run();
      assertEquals(List.of(0, 1, 0, 0, 1, 0, 1), counts(s));
      assertEquals(Map.of("gone", "io_error"), r.failures);
      assertEquals(1, r.notices.size());
      assertTrue(r.notices.get(0).startsWith("prune skipped"), r.notices.get(0));
    }
  }

  /** indexed, unchanged, updated, removed, failed, embedded, documents. */
  static List<Integer> counts(IndexingSummary s) {
    return List.of(
        s.indexed(),
        s.unchanged(),
        s.updated(),
        s.removed(),
        s.failed(),
        s.embedded(),
        s.documents());
  }
}
