package io.github.mobilenet.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.extract.Features;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.ImageDoc;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.job.IndexingJob;
import io.github.mobilenet.embeddings.job.IndexingSummary;
import io.github.mobilenet.solr.SolrImageIndex;
import io.github.mobilenet.solr.SolrSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark {@code local[2]} against the local index on the same real photos (a folder with a space in
 * its name, a subfolder, a cut-off JPEG, a text file named .jpg and a file that is no image by
 * name): the same ids, paths, sizes and vectors, every good image once, the bad ones as error rows.
 */
class SparkEmbedJobTest {
  private static final List<String> GOOD =
      List.of(
          "darknet_dog.jpg",
          "kodak_kodim01.jpg",
          "skimage_coffee.jpg",
          "derived_chelsea_exif6.jpg",
          "skimage_coins.png",
          "darknet_horses.jpg");

  @TempDir static Path dir;
  static Path photos;
  static SparkSession spark;

  @BeforeAll
  static void start() throws Exception {
    photos = Files.createDirectories(dir.resolve("my photos"));
    Path sub = Files.createDirectories(photos.resolve("sub"));
    for (int i = 0; i < GOOD.size(); i++) {
      Files.copy(sample(GOOD.get(i)), (i % 2 == 0 ? photos : sub).resolve(GOOD.get(i)));
    }
    byte[] eagle = Files.readAllBytes(sample("darknet_eagle.jpg"));
    Files.write(sub.resolve("cut.jpg"), java.util.Arrays.copyOf(eagle, 3000));
    Files.writeString(photos.resolve("notes.jpg"), "not a photo\n");
    Files.writeString(photos.resolve("readme.txt"), "skipped by name\n");
    spark = SparkEmbedJob.session("local[2]");
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void parquetHoldsEveryGoodImageOnceWithTheLocalIndexIdsSizesAndVectors() throws Exception {
    Path out = dir.resolve("out");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    SparkEmbedJob.Summary s =
        SparkEmbedJob.run(
            spark,
            JobArgs.parse(
                "--input", photos.toString(), "--output", out.toString(), "--partitions", "3"),
            new PrintStream(stdout, true, StandardCharsets.UTF_8));
    assertEquals(GOOD.size() + 2, s.rows());
    assertEquals(2, s.failed());
    List<String> lines = stdout.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(3, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(0).contains("\"reason\":\"not_an_image\""), lines.get(0));
    assertTrue(lines.get(1).contains("\"reason\":\"truncated\""), lines.get(1));
    assertTrue(lines.get(2).startsWith("{\"rows\":8,\"failed\":2,"), lines.get(2));

    Map<String, Row> good = new HashMap<>();
    Map<String, Row> bad = new HashMap<>();
    for (Row r : spark.read().parquet(out.toString()).collectAsList()) {
      Map<String, Row> into = r.isNullAt(r.fieldIndex("error")) ? good : bad;
      assertNull(into.put(r.getString(r.fieldIndex("path")), r), "twice: " + r);
    }
    assertEquals(GOOD.size(), good.size());
    Row cut = bad.get(photos.resolve("sub/cut.jpg").toString());
    assertEquals("truncated", cut.getString(cut.fieldIndex("reason")));
    assertTrue(cut.isNullAt(cut.fieldIndex("embedding")) && cut.isNullAt(cut.fieldIndex("width")));
    Row notes = bad.get(photos.resolve("notes.jpg").toString());
    assertEquals("not_an_image", notes.getString(notes.fieldIndex("reason")));
    assertTrue(notes.getString(notes.fieldIndex("error")).contains("notes.jpg"));

    try (ImageEmbedder embedder = ImageEmbedder.open(IndexConfig.defaults());
        ImageIndex index =
            ImageIndex.openOrCreate(dir.resolve("local.idx"), IndexConfig.defaults())) {
      IndexingSummary local =
          IndexingJob.builder(index, embedder).paths(List.of(photos)).build().run();
      assertEquals(GOOD.size(), local.indexed());
      List<ImageDoc> docs = new ArrayList<>();
      index.forEach(docs::add);
      assertEquals(GOOD.size(), docs.size());
      for (ImageDoc d : docs) {
        Row r = good.get(d.path());
        assertNotNull(r, "no Spark row for " + d.path());
        assertEquals(d.id(), r.getString(r.fieldIndex("id")), d.path());
        assertEquals(d.width(), r.getInt(r.fieldIndex("width")), d.path());
        assertEquals(d.height(), r.getInt(r.fieldIndex("height")), d.path());
        float[] v = floats(r.getList(r.fieldIndex("embedding")));
        double cos = Features.cosine(v, index.vectorByPath(d.path()).orElseThrow());
        assertTrue(cos >= 0.9999, d.path() + ": cosine " + cos);
      }
    }
    // the same output again is refused, not overwritten
    assertThrows(
        IllegalArgumentException.class,
        () ->
            SparkEmbedJob.run(
                spark,
                JobArgs.parse("--input", photos.toString(), "--output", out.toString()),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
  }

  @Test
  void transformerAtOtherSettingsMatchesTheLocalEmbedderAfterAPipelineRoundTrip() {
    SparkImageEmbedder stage =
        new SparkImageEmbedder()
            .setPreprocessing("center-crop")
            .setPooling("avg")
            .setInputSize("192")
            .setBatchSize(2)
            .setOutputCol("vec");
    Dataset<Row> files =
        spark
            .read()
            .format("binaryFile")
            .option("recursiveFileLookup", "true")
            .option("pathGlobFilter", ImagePaths.globFilter())
            .load(photos.toString());
    Path saved = dir.resolve("pipeline");
    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {stage}).fit(files);
    try {
      model.write().save(saved.toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    PipelineModel loaded = PipelineModel.load(saved.toString());
    SparkImageEmbedder back = (SparkImageEmbedder) loaded.stages()[0];
    assertEquals(stage.uid(), back.uid());
    assertEquals(stage.settings(), back.settings());

    int before = Extractors.open();
    List<Row> rows =
        loaded.transform(files).select("path", "vec", "width", "error").collectAsList();
    assertEquals(GOOD.size() + 2, rows.size());
    assertEquals(before + 1, Extractors.open(), "one extractor per setting per JVM");
    try (ImageEmbedder local = ImageEmbedder.open(back.settings().config())) {
      int embedded = 0;
      for (Row r : rows) {
        if (r.isNullAt(3)) {
          float[] v = floats((Vector) r.get(1));
          Path file = Path.of(ImagePaths.key(r.getString(0)));
          double cos = Features.cosine(v, local.embed(file));
          assertTrue(cos >= 0.9999, file + ": cosine " + cos);
          embedded++;
        } else {
          assertTrue(r.isNullAt(1) && r.isNullAt(2), r.toString());
        }
      }
      assertEquals(GOOD.size(), embedded);
    }
  }

  @Test
  void solrCollectionHoldsEveryGoodImageOnceAfterTwoRuns() throws Exception {
    try (SolrTestCluster solr = new SolrTestCluster(1)) {
      Path out = dir.resolve("solr-out");
      String[] args = {
        "--input",
        photos.toString(),
        "--output",
        out.toString(),
        "--overwrite",
        "--solr",
        solr.allUrls(),
        "--collection",
        "photos"
      };
      PrintStream quiet =
          new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
      assertEquals(
          GOOD.size(), SparkEmbedJob.run(spark, JobArgs.parse(args), quiet).solrDocuments());
      // again (a re-run, or retried tasks): documents are replaced, never duplicated
      assertEquals(
          GOOD.size(), SparkEmbedJob.run(spark, JobArgs.parse(args), quiet).solrDocuments());
      try (SolrImageIndex index =
          SolrImageIndex.open(
              SolrSettings.of(solr.allUrls(), "photos"),
              SolrFeed.config(JobArgs.parse(args).settings()))) {
        assertEquals(GOOD.size(), index.size());
        for (Row r : spark.read().parquet(out.toString()).where("error is null").collectAsList()) {
          String id = r.getString(r.fieldIndex("id"));
          ImageDoc d = index.get(id).orElseThrow(() -> new AssertionError("not in Solr: " + r));
          assertEquals(r.getString(r.fieldIndex("path")), d.path());
          assertEquals(r.getInt(r.fieldIndex("width")), d.width());
          assertEquals(r.getString(r.fieldIndex("content_hash")), d.content());
          float[] v = floats(r.getList(r.fieldIndex("embedding")));
          double cos = Features.cosine(v, index.vector(id).orElseThrow());
          assertTrue(cos >= 0.9999, d.path() + ": cosine " + cos);
        }
      }
    }
  }

  @Test
  void sparkPathsBecomeTheLocalIndexKeys() {
    assertEquals("/tmp/my photos/a.jpg", ImagePaths.key("file:/tmp/my photos/a.jpg"));
    assertEquals("/tmp/b.jpg", ImagePaths.key("file:///tmp/x/../b.jpg"));
    assertEquals("hdfs://nn:8020/p/a.jpg", ImagePaths.key("hdfs://nn:8020/p/a.jpg"));
    assertTrue(ImagePaths.globFilter().startsWith("*.{[jJ][pP][gG],[jJ][pP][eE][gG],"));
    assertThrows(
        IllegalArgumentException.class, () -> JobArgs.parse("--input", "x", "--layer", "nope"));
    assertThrows(IllegalArgumentException.class, () -> JobArgs.parse("--input", "x"));
    assertEquals(SparkEmbedJob.class.getName(), SparkJobLauncher.JOB_CLASS);
  }

  /** A photo of the repository's samples/test (found from the working directory up). */
  static Path sample(String name) {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("samples/test"))) {
      p = p.getParent();
    }
    if (p == null || !Files.isRegularFile(p.resolve("samples/test").resolve(name))) {
      throw new IllegalStateException("samples/test/" + name + " not found");
    }
    return p.resolve("samples/test").resolve(name);
  }

  private static float[] floats(List<Float> list) {
    float[] v = new float[list.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = list.get(i);
    }
    return v;
  }

  private static float[] floats(Vector vector) {
    double[] d = vector.toArray();
    float[] v = new float[d.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) d[i];
    }
    return v;
  }
}
