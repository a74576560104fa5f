package io.github.mobilenet.solr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.TestFiles;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.embeddings.EmbeddingsException;
import io.github.mobilenet.embeddings.EmbeddingsException.Reason;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.ContentHash;
import io.github.mobilenet.embeddings.index.ImageDoc;
import io.github.mobilenet.embeddings.index.ImageIds;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.index.ImageStore;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.index.IndexConfigMismatchException;
import io.github.mobilenet.embeddings.index.Tags;
import io.github.mobilenet.embeddings.job.IndexingJob;
import io.github.mobilenet.embeddings.job.IndexingListener;
import io.github.mobilenet.embeddings.job.IndexingSummary;
import io.github.mobilenet.embeddings.search.SearchHit;
import io.github.mobilenet.embeddings.search.SearchOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The indexing job and searches against a real 2-node SolrCloud (child JVM, embedded ZooKeeper),
 * with the real model on the committed sample photos; the local index over the same photos is the
 * reference. One cluster for the class; the test that stops a node runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SolrImageIndexTest {
  static final IndexConfig CONFIG = IndexConfig.defaults().withAugment(0);

  static SolrCluster cluster;
  static ImageEmbedder embedder;
  @TempDir static Path dir;
  static Path photos;
  static int good;

  @BeforeAll
  static void start() throws Exception {
    cluster = new SolrCluster(2);
    embedder = ImageEmbedder.open(CONFIG);
    photos = dir.resolve("photos");
    for (String sub : List.of("natural", "test")) {
      Path to = Files.createDirectories(photos.resolve(sub));
      try (Stream<Path> files = Files.list(TestFiles.root().resolve("samples").resolve(sub))) {
        for (Path f : files.filter(SolrImageIndexTest::isImage).toList()) {
          Files.copy(f, to.resolve(f.getFileName()));
          good++;
        }
      }
    }
    Files.writeString(photos.resolve("broken.jpg"), "not a jpeg");
  }

  @AfterAll
  static void stop() throws Exception {
    if (embedder != null) {
      embedder.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  static boolean isImage(Path f) {
    String n = f.getFileName().toString();
    return n.endsWith(".jpg") || n.endsWith(".bmp") || n.endsWith(".png");
  }

  static SolrSettings at(String collection) {
    return SolrSettings.of(cluster.allUrls(), collection).shards(2).replicas(2);
  }

  static IndexingSummary index(ImageStore index, Path root, Tags tags, int commitEvery) {
    return IndexingJob.builder(index, embedder)
        .paths(List.of(root))
        .tags(tags)
        .decodeThreads(2)
        .commitEvery(commitEvery)
        .listener(IndexingListener.NONE)
        .build()
        .run();
  }

  static Tags naturalTags() throws IOException {
    Path csv = dir.resolve("tags.csv");
    List<String> lines = new ArrayList<>(List.of("path,set"));
    try (Stream<Path> files = Files.list(photos.resolve("natural"))) {
      files.forEach(f -> lines.add(f + ",natural"));
    }
    Files.write(csv, lines, StandardCharsets.UTF_8);
    return Tags.load(csv);
  }

  @Test
  @Order(1)
  void indexesAFolderOnceThenReRunEmbedsNothing() throws IOException {
    Tags tags = naturalTags();
    try (SolrImageIndex index = SolrImageIndex.openOrCreate(at("photos"), CONFIG)) {
      IndexingSummary first = index(index, photos, tags, 10);
      assertEquals(good, first.indexed());
      assertEquals(good, first.embedded());
      assertEquals(1, first.failed(), "broken.jpg");
      assertEquals(good, index.size());
    }
    try (SolrImageIndex index = SolrImageIndex.open(at("photos"), CONFIG)) {
      IndexingSummary again = index(index, photos, tags, 10);
      assertEquals(0, again.embedded(), "unchanged files are not embedded again");
      assertEquals(0, again.indexed());
      assertEquals(good, again.unchanged());
      assertEquals(good, index.size());
      List<ImageDoc> docs = new ArrayList<>();
      index.forEach(docs::add);
      assertEquals(good, docs.size());
      for (ImageDoc d : docs) {
        assertEquals(ContentHash.of(Path.of(d.path())), d.content(), d.path());
        assertEquals(ImageIds.of(d.content(), d.path()), d.id(), "the local index's per-path id");
        assertEquals(
            d.path().contains("/natural/") ? List.of("natural") : null,
            d.tags().get("set"),
            d.path());
        assertTrue(d.width() > 0 && d.height() > 0);
      }
    }
  }

  @Test
  @Order(2)
  void searchesLikeTheLocalIndexByImageIdAndVectorWithFilters() throws IOException {
    Path local = dir.resolve("local.idx");
    Tags tags = naturalTags();
    try (ImageIndex reference = ImageIndex.openOrCreate(local, CONFIG);
        SolrImageIndex index = SolrImageIndex.open(at("photos"), CONFIG)) {
      index(reference, photos, tags, 1000);
      Path cat = photos.resolve("natural/cat.bmp");
      SearchOptions top5 = SearchOptions.top(5).exact(true);

      List<SearchHit> byImage = index.search(embedder, ImageSource.of(cat), SearchOptions.top(5));
      assertEquals(cat.toString(), byImage.get(0).path(), "the stored image first");
      assertEquals(1.0, byImage.get(0).score(), 1e-4, "score as cosine");
      List<SearchHit> expected = reference.search(embedder.embed(cat), top5);
      assertSameHits(expected, byImage);
      assertSameHits(expected, index.search(embedder.embed(cat), top5));

      String id = byImage.get(0).id();
      List<SearchHit> byId = index.searchById(id, SearchOptions.top(5));
      assertEquals(id, byId.get(0).id());
      assertEquals(1.0, byId.get(0).score(), 1e-4);
      assertSameHits(reference.searchById(id, top5), byId);
      float[] v = index.vector(id).orElseThrow();
      assertSameHits(expected, index.search(v, SearchOptions.top(5)));
      assertFalse(
          index.searchById(id, SearchOptions.top(5).exclude(Set.of(id))).stream()
              .anyMatch(h -> h.id().equals(id)),
          "excluded");

      Path owl = photos.resolve("natural/owl.jpg");
      for (String set : List.of("natural", "other")) {
        SearchOptions filtered = SearchOptions.top(good).filter("set", set);
        List<SearchHit> hits = index.search(embedder.embed(owl), filtered);
        List<SearchHit> want = reference.search(embedder.embed(owl), filtered.exact(true));
        assertEquals(want.size(), hits.size(), "every tagged image, none other");
        assertSameHits(want, hits);
        if (set.equals("natural")) {
          assertEquals(owl.toString(), hits.get(0).path());
          assertTrue(hits.stream().allMatch(h -> h.path().contains("/natural/")));
        } else {
          assertTrue(hits.isEmpty());
        }
      }
      List<SearchHit> all = index.search(v, SearchOptions.top(good + 10));
      assertEquals(good, all.size(), "k above the collection's size: every image once");
    }
  }

  /** Same images in the same order, scores within float rounding of the exact local ones. */
  static void assertSameHits(List<SearchHit> expected, List<SearchHit> actual) {
    assertEquals(
        expected.stream().map(SearchHit::path).toList(),
        actual.stream().map(SearchHit::path).toList());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).score(), actual.get(i).score(), 1e-4, "hit " + (i + 1));
      assertEquals(expected.get(i).doc(), actual.get(i).doc());
    }
  }

  @Test
  @Order(3)
  void refusesAnotherConfiguration() {
    IndexConfig other =
        IndexConfig.of(
                io.github.mobilenet.core.model.ModelProfile.mobileNetV2(),
                "layer_17",
                CONFIG.pooling(),
                CONFIG.preprocessing(),
                CONFIG.resize(),
                CONFIG.format())
            .withAugment(0);
    IndexConfigMismatchException e =
        assertThrows(
            IndexConfigMismatchException.class,
            () -> SolrImageIndex.openOrCreate(at("photos"), other).close());
    assertEquals(Reason.CONFIG_MISMATCH, e.reason());
    assertTrue(e.getMessage().contains("Solr collection photos"), e.getMessage());
    assertTrue(e.getMessage().contains("layer=layer_19 (asked: layer_17)"), e.getMessage());
    assertThrows(
        IndexConfigMismatchException.class, () -> SolrImageIndex.open(at("photos"), other).close());
    try (SolrImageIndex index = SolrImageIndex.open(at("photos"));
        ImageEmbedder wrong = ImageEmbedder.open(other)) {
      assertEquals(CONFIG.describe(), index.config().describe());
      assertThrows(
          IndexConfigMismatchException.class,
          () -> index.search(wrong, ImageSource.of(photos.resolve("natural/owl.jpg")), top(3)));
      assertThrows(
          IndexConfigMismatchException.class,
          () -> IndexingJob.builder(index, wrong).paths(List.of(photos)).build().run());
    }
  }

  static SearchOptions top(int k) {
    return SearchOptions.top(k);
  }

  @Test
  @Order(4)
  void missingCollectionAndWrongUrlAreClearErrors() {
    EmbeddingsException missing =
        assertThrows(EmbeddingsException.class, () -> SolrImageIndex.open(at("nope")));
    assertEquals(Reason.NOT_FOUND, missing.reason(), missing.getMessage());
    assertTrue(
        missing.getMessage().contains("Solr collection nope does not exist"), missing.getMessage());

    EmbeddingsException refused =
        assertThrows(
            EmbeddingsException.class,
            () ->
                SolrImageIndex.open(
                    SolrSettings.of("http://127.0.0.1:1/solr", "photos").retries(1)));
    assertEquals(Reason.NOT_FOUND, refused.reason(), refused.getMessage());
    assertTrue(
        refused.getMessage().contains("no Solr answers at http://127.0.0.1:1/solr"),
        refused.getMessage());

    String notSolr = cluster.urls.get(0).replace("/solr", "/nothing");
    EmbeddingsException wrongPath =
        assertThrows(
            EmbeddingsException.class,
            () -> SolrImageIndex.open(SolrSettings.of(notSolr, "photos").retries(0)));
    assertEquals(Reason.NOT_FOUND, wrongPath.reason(), wrongPath.getMessage());
  }

  @Test
  @Order(5)
  void killedMidRunThenReRunHoldsEachImageOnce() throws Exception {
    SolrSettings killed = SolrSettings.of(cluster.allUrls(), "killed").shards(2);
    List<String> command =
        io.github.mobilenet.core.ChildJvm.command(
            IndexChild.class, "--enable-native-access=ALL-UNNAMED");
    command.addAll(List.of(cluster.allUrls(), "killed", photos.toString()));
    Process child =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (var lines = child.inputReader(StandardCharsets.UTF_8)) {
      String line;
      while ((line = lines.readLine()) != null && !line.startsWith("committed")) {
        // wait for the first commit: some images are in, most are not
      }
      child.destroyForcibly(); // SIGKILL
      child.waitFor();
      assertTrue(line != null, "the child committed before it was killed");
    }
    try (SolrImageIndex index = SolrImageIndex.openOrCreate(killed, CONFIG)) {
      index.refresh();
      long before = index.size();
      assertTrue(before > 0 && before < good, "killed mid-run: " + before + " of " + good);
      IndexingSummary rest = index(index, photos, Tags.none(), 10);
      assertEquals(good - before, rest.embedded(), "only what the killed run had not sent");
      assertEquals(good, index.size());
      Set<String> paths = new HashSet<>();
      List<String> ids = Collections.synchronizedList(new ArrayList<>());
      index.forEach(
          d -> {
            paths.add(d.path());
            ids.add(d.id());
          });
      assertEquals(good, paths.size(), "each image exactly once");
      assertEquals(good, new HashSet<>(ids).size());
    }
  }

  @Test
  @Order(6)
  void answersWithOneNodeDownAndReportsRetries() throws Exception {
    List<String> notices = Collections.synchronizedList(new ArrayList<>());
    try (SolrImageIndex index = SolrImageIndex.open(at("photos").notices(notices::add), CONFIG)) {
      float[] v = embedder.embed(photos.resolve("natural/owl.jpg"));
      List<SearchHit> before = index.search(v, SearchOptions.top(good));
      cluster.stop(0);
      try {
        for (int i = 0; i < 3; i++) {
          List<SearchHit> after = index.search(v, SearchOptions.top(good));
          assertEquals(good, after.size(), "every shard still answers (2 replicas)");
          assertSameHits(before, after);
        }
        assertEquals(good, index.size());
        assertFalse(notices.isEmpty(), "a request to the stopped node was retried on the other");
        assertTrue(notices.get(0).contains(cluster.urls.get(0)), notices.get(0));
      } finally {
        cluster.start(0);
      }
    }
  }
}
