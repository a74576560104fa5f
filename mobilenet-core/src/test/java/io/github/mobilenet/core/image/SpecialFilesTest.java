package io.github.mobilenet.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.mobilenet.core.TestFiles;
import io.github.mobilenet.core.extract.ExtractionResult;
import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.image.ImageDecodeException.Reason;
import io.github.mobilenet.core.model.ModelLoadException;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.core.util.Hashing;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FIFOs, sockets and dangling symbolic links, named or met in a walked folder: each becomes a
 * per-file error naming the path, and none is ever opened (opening a FIFO blocks until a writer
 * comes). Every test runs under a preemptive timeout, so a regression fails instead of hanging.
 */
class SpecialFilesTest {
  /** Far above what these tests need; only a blocked open of a FIFO gets near it. */
  static final Duration HANG = Duration.ofSeconds(60);

  @TempDir Path dir;
  Path fifo;
  Path socket;
  Path dangling;
  ServerSocketChannel server;

  @BeforeEach
  void makeSpecialFiles() throws Exception {
    fifo = dir.resolve("pipe.jpg");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertEquals(0, mkfifo.waitFor(), "mkfifo failed");
    socket = dir.resolve("sock");
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    dangling = Files.createSymbolicLink(dir.resolve("gone.jpg"), dir.resolve("deleted.jpg"));
  }

  @AfterEach
  void closeSocket() throws IOException {
    server.close();
  }

  @Test
  void walkedFolderKeepsThemUnopenedInSortedOrder() throws Exception {
    Path photo = Files.copy(TestFiles.natural("parrot.jpg"), dir.resolve("parrot.jpg"));
    Files.writeString(dir.resolve("notes.txt"), "not an image, skipped");
    assertEquals(
        0, new ProcessBuilder("mkfifo", dir.resolve(".hidden-pipe").toString()).start().waitFor());
    List<String> problems = new ArrayList<>();
    List<Path> found =
        assertTimeoutPreemptively(HANG, () -> ImageFiles.expand(List.of(dir), problems::add));
    assertEquals(List.of(dangling, photo, fifo, socket), found);
    assertEquals(List.of(), problems);
  }

  @Test
  void namedSpecialFilesAreKept() {
    List<Path> found =
        assertTimeoutPreemptively(
            HANG, () -> ImageFiles.expand(List.of(fifo, socket, dangling), p -> {}));
    assertEquals(List.of(fifo, socket, dangling), found);
  }

  @Test
  void readingThemGivesPerFileErrorsNamingThePath() {
    ImageDecoder decoder = new ImageDecoder();
    ImageDecodeException e = decodeFails(decoder, fifo);
    assertEquals(Reason.NOT_A_REGULAR_FILE, e.reason());
    assertEquals(fifo.toString(), e.input());
    assertEquals(fifo + ": not a regular file (a FIFO)", e.getMessage());

    e = decodeFails(decoder, socket);
    assertEquals(Reason.NOT_A_REGULAR_FILE, e.reason());
    assertEquals(socket + ": not a regular file (a socket)", e.getMessage());

    e = assertThrows(ImageDecodeException.class, () -> decoder.decode(ImageSource.of(dangling)));
    assertEquals(Reason.IO_ERROR, e.reason());
    assertEquals(dangling + ": io error (no such file)", e.getMessage());
  }

  @Test
  void sniffingAndHashingNeverOpenThem() {
    Path unnamed = dir.resolve("pipe");
    assertTimeoutPreemptively(
        HANG,
        () -> {
          assertEquals(0, new ProcessBuilder("mkfifo", unnamed.toString()).start().waitFor());
          assertFalse(ImageFiles.looksLikeImage(unnamed));
          FileSystemException e =
              assertThrows(FileSystemException.class, () -> Hashing.sha256(unnamed));
          assertEquals(unnamed + ": not a regular file (a FIFO)", e.getMessage());
        });
  }

  @Test
  void extractionStreamReportsEachAndGoesOn() {
    try (FeatureExtractor fx = FeatureExtractor.create()) {
      Path photo = TestFiles.natural("parrot.jpg");
      List<ImageSource> sources =
          List.of(ImageSource.of(fifo), ImageSource.of(photo), ImageSource.of(dangling));
      List<ExtractionResult> results = new ArrayList<>();
      assertTimeoutPreemptively(
          HANG, () -> fx.extractEach(sources.iterator(), "pooled", 2, results::add));
      assertEquals(3, results.size());
      assertEquals(fifo + ": not a regular file (a FIFO)", results.get(0).error().getMessage());
      assertEquals(
          Reason.NOT_A_REGULAR_FILE, ((ImageDecodeException) results.get(0).error()).reason());
      assertNull(results.get(1).error());
      assertArrayEquals(
          fx.extractFeatures(photo, "pooled").values(), results.get(1).features().values());
      assertEquals(dangling + ": io error (no such file)", results.get(2).error().getMessage());
    }
  }

  @Test
  void aProfileOrModelFileThatIsAFifoIsRefused() throws IOException {
    ModelLoadException e =
        assertTimeoutPreemptively(
            HANG, () -> assertThrows(ModelLoadException.class, () -> ModelProfile.load(fifo)));
    assertEquals(ModelLoadException.Reason.NOT_A_REGULAR_FILE, e.reason());
    assertEquals(fifo.toString(), e.input());
    assertEquals("model profile " + fifo + " is not a regular file (a FIFO)", e.getMessage());
  }

  /** The error decoding {@code file} throws, within {@link #HANG} (a FIFO must not block). */
  private static ImageDecodeException decodeFails(ImageDecoder decoder, Path file) {
    return assertTimeoutPreemptively(
        HANG,
        () -> assertThrows(ImageDecodeException.class, () -> decoder.decode(ImageSource.of(file))));
  }
}
