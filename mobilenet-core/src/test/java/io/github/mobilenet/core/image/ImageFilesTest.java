package io.github.mobilenet.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.TestFiles;
import io.github.mobilenet.core.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Directory expansion: recursive, sorted, images only, hidden entries skipped, symlink loops safe.
 */
class ImageFilesTest {
  @TempDir Path dir;

  Path file(String rel, byte[] content) throws IOException {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    return Files.write(p, content);
  }

  @Test
  void walksRecursivelySortedKeepingImagesOnly() throws IOException {
    byte[] jpeg = TestImages.jpeg(TestImages.rgb(4, 4, (x, y) -> 0), 0.9f);
    file("b/2.png", TestImages.encode(TestImages.rgb(4, 4, (x, y) -> 0), "png"));
    file("a/1.jpg", jpeg);
    file("a/z/3.JPEG", jpeg);
    file("a/notes.txt", "text".getBytes());
    file("a/no-extension", jpeg); // kept: its first bytes are a JPEG signature
    file(".hidden/4.jpg", jpeg);
    file("a/.5.jpg", jpeg);
    Files.createSymbolicLink(dir.resolve("a/z/loop"), dir.resolve("a")); // a cycle
    Files.createSymbolicLink(dir.resolve("c.jpg"), dir.resolve("a/1.jpg")); // the same file again
    List<String> problems = new ArrayList<>();
    List<Path> found = ImageFiles.expand(List.of(dir), problems::add);
    List<String> rel = found.stream().map(p -> dir.relativize(p).toString()).toList();
    assertEquals(List.of("a/1.jpg", "a/no-extension", "a/z/3.JPEG", "b/2.png"), rel);
    assertEquals(List.of(), problems);
  }

  @Test
  void namedFilesAreKeptEvenWhenNotImagesOrMissing() throws IOException {
    Path text = file("notes.txt", "text".getBytes());
    Path missing = dir.resolve("missing.jpg");
    Path image = file("x/1.png", TestImages.encode(TestImages.rgb(4, 4, (x, y) -> 0), "png"));
    List<Path> found = ImageFiles.expand(List.of(text, missing, dir.resolve("x"), image), p -> {});
    assertEquals(
        List.of(text, missing, image), found); // the folder's 1.png is the named file: listed once
  }

  @Test
  void sampleFolderExpandsToItsImages() {
    List<Path> natural =
        ImageFiles.expand(List.of(TestFiles.root().resolve("samples/natural")), p -> {});
    assertEquals(11, natural.size());
    assertTrue(natural.stream().allMatch(p -> !p.getFileName().toString().equals("README.md")));
  }
}
