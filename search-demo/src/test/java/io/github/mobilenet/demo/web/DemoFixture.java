package io.github.mobilenet.demo.web;

import io.github.mobilenet.embeddings.index.ImageDoc;
import io.github.mobilenet.embeddings.job.IndexingListener;
import io.github.mobilenet.embeddings.job.IndexingSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The bundled demo samples indexed once per test JVM and served on a free loopback port; shared by
 * the API and browser tests so the images are embedded only once.
 */
public final class DemoFixture {
  /** Small enough that the oversize test sends little, large enough for every sample photo. */
  static final long MAX_UPLOAD = 4L << 20;

  private static DemoFixture instance;

  public final Path root;
  public final Path indexFolder;
  public final IndexBackend backend;
  public final IndexingSummary summary;
  public final WebServer server;
  private final Map<String, ImageDoc> byName = new HashMap<>();

  private DemoFixture() throws IOException {
    root = repositoryRoot();
    indexFolder =
        Files.createTempDirectory(Files.createDirectories(Path.of("target/tmp")), "demo-index-");
    List<String> failures = new CopyOnWriteArrayList<>();
    DemoSet.Indexed demo =
        DemoSet.index(
            root,
            indexFolder,
            new IndexingListener() {
              @Override
              public void failed(String path, String reason, String message) {
                failures.add(message);
              }
            });
    if (!failures.isEmpty()) {
      demo.backend().close();
      throw new AssertionError("demo samples failed to index: " + failures);
    }
    summary = demo.summary();
    backend = demo.backend();
    backend.warmUp();
    for (ImageDoc i : backend.images(0, 1000)) {
      byName.put(IndexedFiles.name(i), i);
    }
    server =
        WebServer.start(
            backend,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            WebServer.Options.defaults().withMaxUploadBytes(MAX_UPLOAD),
            new PrintStream(System.err, true));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  backend.close();
                }));
  }

  public static synchronized DemoFixture get() throws IOException {
    if (instance == null) {
      instance = new DemoFixture();
    }
    return instance;
  }

  URI uri(String pathAndQuery) {
    return server.uri().resolve(pathAndQuery);
  }

  /** The indexed image with this file name; fails when the demo set lacks it. */
  public ImageDoc image(String fileName) {
    ImageDoc i = byName.get(fileName);
    if (i == null) {
      throw new AssertionError("demo index has no " + fileName + " (has " + byName.keySet() + ")");
    }
    return i;
  }

  Path sample(String relative) {
    Path p = root.resolve("samples").resolve(relative);
    if (!Files.isRegularFile(p)) {
      throw new AssertionError("sample missing: " + p);
    }
    return p;
  }

  static Path repositoryRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("samples/demo"))) {
        return p;
      }
    }
    throw new IllegalStateException("samples/demo not found above " + Path.of("").toAbsolutePath());
  }
}
