package io.github.mobilenet.core.extract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.TestFiles;
import io.github.mobilenet.core.TestImages;
import io.github.mobilenet.core.V2Endpoints;
import io.github.mobilenet.core.image.ImageDecodeException;
import io.github.mobilenet.core.image.ImageDecoder;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.image.RgbImage;
import io.github.mobilenet.core.preprocess.PreparedImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Endpoints, shapes, aliases, batching, input kinds and the streaming pipeline on the bundled
 * model.
 */
class FeatureExtractorTest extends DefaultExtractorTest {
  static FeatureExtractor wide;

  static final Path CAT = TestFiles.natural("cat.bmp");

  @BeforeAll
  static void open() {
    wide = FeatureExtractor.builder().inputSize(225, 300).build();
  }

  @AfterAll
  static void close() {
    wide.close();
  }

  @Test
  void everyEndpointHasItsShapeAt224AndAt225x300() {
    for (FeatureExtractor e : List.of(fx, wide)) {
      int h = e.preprocessor().height();
      int w = e.preprocessor().width();
      for (V2Endpoints.Spatial ep : V2Endpoints.SPATIAL) {
        String name = ep.name();
        Features f = e.extractFeatures(CAT, name);
        assertArrayEquals(ep.shape(h, w), f.shape(), name + " at " + h + "x" + w);
        assertEquals(Features.Layout.CHW, f.layout());
        assertEquals(name, f.layer());
      }
      for (String name : List.of("pooled", "logits", "probs")) {
        Features f = e.extractFeatures(CAT, name);
        assertArrayEquals(new int[] {name.equals("pooled") ? 1280 : 1001}, f.shape(), name);
        assertEquals(Features.Layout.C, f.layout());
      }
    }
    // The README's own figures for 224x224 and 225x300.
    assertArrayEquals(new int[] {1280, 7, 7}, fx.extractFeatures(CAT, "layer_19").shape());
    assertArrayEquals(new int[] {1280, 8, 10}, wide.extractFeatures(CAT, "layer_19").shape());
    assertArrayEquals(new int[] {32, 113, 150}, wide.extractFeatures(CAT, "layer_1").shape());
  }

  @Test
  void reluSixLayersStayInTheirRange() {
    for (String name : List.of("layer_1", "layer_15_expansion", "layer_19")) {
      float[] v = fx.extractFeatures(CAT, name).values();
      float min = Float.MAX_VALUE;
      float max = -Float.MAX_VALUE;
      for (float x : v) {
        min = Math.min(min, x);
        max = Math.max(max, x);
      }
      assertTrue(min >= 0 && max <= 6 && max > 1, name + " range " + min + ".." + max);
    }
    // Linear bottlenecks (layer_2) are not clipped and do go negative.
    float[] l2 = fx.extractFeatures(CAT, "layer_2").values();
    float min = Float.MAX_VALUE;
    for (float x : l2) {
      min = Math.min(min, x);
    }
    assertTrue(min < 0, "layer_2 min " + min);
  }

  @Test
  void layer20IsLayer19() {
    Features l19 = fx.extractFeatures(CAT, "layer_19");
    Features l20 = fx.extractFeatures(CAT, "layer_20");
    assertEquals("layer_19", l20.layer());
    assertArrayEquals(l19.shape(), l20.shape());
    assertArrayEquals(l19.values(), l20.values());
    assertTrue(fx.layers().contains("layer_20"));
  }

  @Test
  void pooledIsTheSpatialMeanOfLayer19() {
    for (FeatureExtractor e : List.of(fx, wide)) {
      Features map = e.extractFeatures(CAT, "layer_19");
      float[] pooled = e.extractFeatures(CAT, "pooled").values();
      int positions = map.height() * map.width();
      for (int c = 0; c < 1280; c++) {
        double sum = 0;
        for (int y = 0; y < map.height(); y++) {
          for (int x = 0; x < map.width(); x++) {
            sum += map.get(c, y, x);
          }
        }
        assertEquals(sum / positions, pooled[c], 1e-5, "channel " + c);
      }
      assertArrayEquals(pooled, map.pooled(Pooling.AVG), 1e-5f);
    }
  }

  @Test
  void probsAreTheSoftmaxOfLogits() {
    float[] logits = fx.extractFeatures(CAT, "logits").values();
    float[] probs = fx.extractFeatures(CAT, "probs").values();
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double sum = 0;
    for (float l : logits) {
      sum += Math.exp(l - max);
    }
    double total = 0;
    for (int i = 0; i < logits.length; i++) {
      assertEquals(Math.exp(logits[i] - max) / sum, probs[i], 1e-6, "class " + i);
      total += probs[i];
    }
    assertEquals(1.0, total, 1e-4);
  }

  @Test
  void batchResultsEqualSingleResults() throws IOException {
    List<Object> images =
        List.of(
            CAT,
            TestFiles.natural("parrot.jpg"),
            TestFiles.test("skimage_coffee.jpg"),
            ImageIO.read(TestFiles.test("kodak_kodim05.jpg").toFile()),
            TestImages.read(TestFiles.test("skimage_chelsea.png")));
    for (String layer : List.of("pooled", "layer_5")) {
      List<Features> batch = fx.extractFeatures(images, layer);
      assertEquals(images.size(), batch.size());
      for (int i = 0; i < images.size(); i++) {
        Features single = fx.extractFeatures(ImageSource.from(images.get(i)), layer);
        assertArrayEquals(single.values(), batch.get(i).values(), layer + " image " + i);
      }
    }
    // Split into batches of 2, 2 and 1: still one result per image, in order, equal values.
    try (FeatureExtractor small = FeatureExtractor.builder().maxBatch(2).build()) {
      List<Features> batched = small.extractFeatures(images, "pooled");
      List<Features> reference = fx.extractFeatures(images, "pooled");
      for (int i = 0; i < images.size(); i++) {
        assertArrayEquals(reference.get(i).values(), batched.get(i).values(), "image " + i);
      }
    }
    assertEquals(List.of(), fx.extractFeatures(List.of(), "pooled"));
  }

  @Test
  void everyInputKindGivesTheSameFeatures() throws IOException {
    Path png = TestFiles.test("skimage_chelsea.png");
    byte[] bytes = TestImages.read(png);
    BufferedImage decoded = ImageIO.read(png.toFile());
    float[] fromPath = fx.extractFeatures(png, "pooled").values();
    assertArrayEquals(fromPath, fx.extractFeatures(bytes, "pooled").values());
    assertArrayEquals(
        fromPath, fx.extractFeatures(new ByteArrayInputStream(bytes), "pooled").values());
    assertArrayEquals(fromPath, fx.extractFeatures(decoded, "pooled").values());
    assertArrayEquals(
        fromPath, fx.extractFeatures(ImageSource.of(bytes, "chelsea"), "pooled").values());
  }

  @Test
  void imagesAlreadyAtTheInputSizeGiveTheSameFeaturesAsTheirFiles() throws IOException {
    BufferedImage photo = ImageIO.read(TestFiles.test("kodak_kodim05.jpg").toFile());
    BufferedImage bgr = new BufferedImage(224, 224, BufferedImage.TYPE_3BYTE_BGR);
    bgr.getGraphics().drawImage(photo, 0, 0, 224, 224, null);
    float[] direct = fx.extractFeatures(bgr, "pooled").values();
    assertArrayEquals(fx.extractFeatures(TestImages.encode(bgr, "png"), "pooled").values(), direct);
    assertArrayEquals(direct, fx.extractFeatures(List.of(bgr, bgr), "pooled").get(1).values());
  }

  @Test
  void exifRotatedCopyEmbedsLikeTheUprightOriginal() {
    PreparedImage rotated = fx.prepare(TestFiles.test("derived_chelsea_exif6.jpg"));
    assertEquals(451, rotated.width());
    assertEquals(300, rotated.height());
    float[] a = fx.run(List.of(rotated), "pooled").get(0).values();
    float[] b = fx.extractFeatures(TestFiles.test("skimage_chelsea.png"), "pooled").values();
    double upright = Features.cosine(a, b);
    assertTrue(upright > 0.99, "cosine " + upright);
    // Control: the same pixels without the rotation are clearly further away.
    RgbImage sideways =
        new ImageDecoder()
            .decode(ImageSource.of(TestFiles.test("derived_chelsea_exif6.jpg")))
            .oriented(8);
    float[] c =
        fx.run(
                List.of(new PreparedImage("sideways", 300, 451, fx.preprocessor().apply(sideways))),
                "pooled")
            .get(0)
            .values();
    assertTrue(
        Features.cosine(c, b) < upright - 0.1,
        "sideways cosine " + Features.cosine(c, b) + " vs upright " + upright);
  }

  /**
   * Large images are block-averaged before the resize (reducedDecode, the default). On pure noise,
   * the worst case for aliasing, the features must stay those of the full-resolution resize.
   */
  @Test
  void reducingLargeImagesFirstKeepsTheirFeatures() {
    java.util.Random random = new java.util.Random(42);
    BufferedImage noise = TestImages.rgb(1800, 1350, (x, y) -> random.nextInt(0x1000000));
    try (FeatureExtractor full = FeatureExtractor.builder().reducedDecode(false).build()) {
      for (Object image : List.<Object>of(noise, TestFiles.test("skimage_retina.jpg"))) {
        float[] reduced = fx.extractFeatures(ImageSource.from(image), "pooled").values();
        float[] exact = full.extractFeatures(ImageSource.from(image), "pooled").values();
        double cosine = Features.cosine(reduced, exact);
        assertTrue(cosine > 0.999, image + ": cosine " + cosine);
      }
    }
  }

  @Test
  void extractEachStreamsInOrderAndReportsBadImagesWithoutStopping() {
    List<ImageSource> sources = new ArrayList<>();
    List<Path> good =
        List.of(
            CAT,
            TestFiles.natural("parrot.jpg"),
            TestFiles.test("skimage_coffee.jpg"),
            TestFiles.test("darknet_dog.jpg"),
            TestFiles.test("skimage_camera.png"));
    sources.add(ImageSource.of(good.get(0)));
    sources.add(ImageSource.of(good.get(1)));
    sources.add(ImageSource.of("not an image".getBytes(), "bad-1"));
    sources.add(ImageSource.of(good.get(2)));
    sources.add(ImageSource.of(new byte[0], "bad-2"));
    sources.add(ImageSource.of(good.get(3)));
    sources.add(ImageSource.of(good.get(4)));
    List<ExtractionResult> results = new ArrayList<>();
    try (FeatureExtractor small = FeatureExtractor.builder().maxBatch(2).build()) {
      small.extractEach(sources.iterator(), "pooled", 2, results::add);
    }
    assertEquals(sources.size(), results.size());
    int g = 0;
    for (int i = 0; i < sources.size(); i++) {
      ExtractionResult r = results.get(i);
      assertEquals(sources.get(i), r.source(), "order at " + i);
      if (sources.get(i).name().startsWith("bad")) {
        assertTrue(!r.ok() && r.features() == null);
        assertTrue(
            r.error() instanceof ImageDecodeException d && d.input().equals(sources.get(i).name()),
            r.error().getMessage());
      } else {
        assertNull(r.error());
        assertArrayEquals(
            fx.extractFeatures(good.get(g++), "pooled").values(),
            r.features().values(),
            "image " + i);
        assertTrue(r.width() > 0 && r.height() > 0);
      }
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> fx.extractEach(sources.iterator(), "layer_99", 1, r -> {}));
  }

  /**
   * Lanes (each worker decodes a batch and runs it on its own single-threaded session) give what
   * one decode worker ahead of the shared session gives: the same order, errors, values of the
   * per-image work, and features, float for float; for an exact size and for a size per image.
   */
  @Test
  void lanesGiveWhatOneWorkerGives() {
    List<ImageSource> sources = new ArrayList<>();
    sources.add(ImageSource.of(CAT));
    sources.add(ImageSource.of(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2}, "bad-jpeg"));
    for (String name :
        List.of(
            "kodak_kodim01.jpg",
            "darknet_dog.jpg",
            "skimage_camera.png",
            "derived_chelsea_exif6.jpg")) {
      sources.add(ImageSource.of(TestFiles.test(name)));
    }
    sources.add(ImageSource.of("not an image".getBytes(), "bad-text"));
    sources.add(ImageSource.of(TestFiles.natural("parrot.jpg")));
    sources.add(ImageSource.of(TestFiles.natural("cat_720p.jpg")));
    for (FeatureExtractor.Builder b :
        List.of(
            FeatureExtractor.builder().maxBatch(3),
            FeatureExtractor.builder().maxBatch(3).shorterSide(160))) {
      try (FeatureExtractor e = b.build()) {
        List<String> one = stream(e, sources, 1);
        List<String> lanes = stream(e, sources, 2);
        assertEquals(sources.size(), lanes.size());
        assertEquals(one, lanes);
        assertTrue(lanes.get(1).startsWith("bad-jpeg error"), lanes.get(1));
        assertTrue(
            lanes.get(0).startsWith(sources.get(0).name() + " 512x341 decoded 512x341 ["),
            lanes.get(0));
      }
    }
  }

  @Test
  void lanesRunNoMoreBatchesAtOnceThanThereAreLanes() {
    // 4 workers as 2 lanes, one image per batch: 6 batches, 4 of them in the window at once
    List<ImageSource> sources = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      sources.add(ImageSource.of(TestFiles.natural("parrot.jpg")));
    }
    java.util.Set<Long> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    List<String> ok = new ArrayList<>();
    try (FeatureExtractor e = FeatureExtractor.builder().build()) {
      new StreamingExtraction(
              e,
              LayerRequest.of(e.profile(), java.util.Set.of("pooled")),
              1,
              rgb -> threads.add(Thread.currentThread().threadId()),
              (r, extra) -> ok.add(r.source().name() + " " + (r.error() == null)))
          .run(sources.iterator(), 4, 2);
    }
    assertEquals(6, ok.size());
    assertTrue(ok.stream().allMatch(s -> s.endsWith(" true")), ok.toString());
    assertTrue(threads.size() <= 2, threads.size() + " threads ran batches, for 2 lanes");
  }

  /** Each result as one line: source, sizes, the per-image value and every float, or the error. */
  private static List<String> stream(FeatureExtractor e, List<ImageSource> sources, int lanes) {
    List<String> out = new ArrayList<>();
    LayerRequest request = LayerRequest.of(e.profile(), java.util.Set.of("pooled"));
    new StreamingExtraction(
            e,
            request,
            3,
            rgb -> "decoded " + rgb.width() + "x" + rgb.height(),
            (r, extra) ->
                out.add(
                    r.source().name()
                        + (r.error() != null
                            ? " error " + r.error().getClass().getSimpleName()
                            : " "
                                + r.width()
                                + "x"
                                + r.height()
                                + " "
                                + extra
                                + " "
                                + java.util.Arrays.toString(r.features().get("pooled").values()))))
        .run(sources.iterator(), 2, lanes);
    return out;
  }

  @Test
  void concurrentCallersGetTheSameAnswers() throws Exception {
    List<Path> images =
        List.of(
            CAT,
            TestFiles.natural("parrot.jpg"),
            TestFiles.test("skimage_coffee.jpg"),
            TestFiles.test("darknet_dog.jpg"));
    List<float[]> expected = new ArrayList<>();
    for (Path p : images) {
      expected.add(fx.extractFeatures(p, "pooled").values());
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[]>> futures = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (Path p : images) {
          futures.add(pool.submit(() -> fx.extractFeatures(p, "pooled").values()));
        }
      }
      for (int i = 0; i < futures.size(); i++) {
        assertArrayEquals(expected.get(i % images.size()), futures.get(i).get(), "call " + i);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aBatchWithBadImagesThrowsTheFirstOneInOrder() {
    List<Object> images =
        List.of(
            CAT,
            ImageSource.of(new byte[0], "bad-a"),
            TestFiles.natural("parrot.jpg"),
            ImageSource.of("text".getBytes(), "bad-b"));
    ImageDecodeException e =
        assertThrows(ImageDecodeException.class, () -> fx.extractFeatures(images, "pooled"));
    assertEquals("bad-a", e.input());
    assertEquals(ImageDecodeException.Reason.EMPTY, e.reason());
  }

  /**
   * close() while other threads extract: they finish or get IllegalStateException, nothing crashes.
   */
  @Test
  void closeWhileInUseIsSafe() throws Exception {
    FeatureExtractor shared = FeatureExtractor.create();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Integer>> workers = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        workers.add(
            pool.submit(
                () -> {
                  int done = 0;
                  try {
                    for (int i = 0; i < 2000; i++) { // far more than fit in the 300 ms before close
                      assertEquals(1280, shared.extractFeatures(CAT, "pooled").size());
                      done++;
                    }
                  } catch (IllegalStateException closed) {
                    assertTrue(closed.getMessage().contains("closed"));
                  }
                  return done;
                }));
      }
      Thread.sleep(300);
      shared.close();
      for (Future<Integer> w : workers) {
        assertTrue(w.get() < 2000, "the extractor was closed under the workers");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void unknownLayersAndClosedExtractorsFailClearly() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> fx.extractFeatures(CAT, "layer_0"));
    assertTrue(
        e.getMessage().contains("layer_0")
            && e.getMessage().contains("layer_19")
            && e.getMessage().contains("pooled"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> fx.classify(CAT, 0));
    FeatureExtractor closed = FeatureExtractor.create();
    closed.close();
    closed.close(); // idempotent
    IllegalStateException s =
        assertThrows(IllegalStateException.class, () -> closed.extractFeatures(CAT, "pooled"));
    assertTrue(s.getMessage().contains("closed"), s.getMessage());
  }
}
