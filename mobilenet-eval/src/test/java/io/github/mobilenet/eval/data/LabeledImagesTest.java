package io.github.mobilenet.eval.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabeledImagesTest {
  @Test
  void readsLabelsSortsNumericClassesAndResolvesFiles(@TempDir Path dir) throws IOException {
    for (String f : List.of("a.jpg", "b.jpg", "c.jpg", "sub/d.jpg")) {
      Files.createDirectories(dir.resolve(f).getParent());
      Files.write(dir.resolve(f), new byte[] {1});
    }
    Path labels = dir.resolve("LABELS");
    Files.writeString(labels, "# comment\na.jpg\t10\nb.jpg\t9\n\nc.jpg\t10\nsub/d.jpg\t2\n");
    LabeledImages li = LabeledImages.read(labels, dir);
    assertEquals(List.of("2", "9", "10"), li.classes()); // numeric order, not "10" < "2"
    assertArrayEquals(new int[] {2, 1, 2, 0}, li.labels());
    assertEquals(List.of("a.jpg", "b.jpg", "c.jpg", "sub/d.jpg"), li.names());
    assertEquals(dir.toAbsolutePath().normalize().resolve("sub/d.jpg"), li.files().get(3));
  }

  @Test
  void badLabelFilesNameTheFileAndLine(@TempDir Path dir) throws IOException {
    Files.write(dir.resolve("a.jpg"), new byte[] {1});
    Path labels = dir.resolve("LABELS");
    Files.writeString(labels, "a.jpg\t1\na.jpg 2\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LabeledImages.read(labels, dir));
    assertTrue(e.getMessage().contains("LABELS:2"), e.getMessage());
    Files.writeString(labels, "a.jpg\t1\na.jpg\t2\n");
    e = assertThrows(IllegalArgumentException.class, () -> LabeledImages.read(labels, dir));
    assertTrue(e.getMessage().contains("listed twice"), e.getMessage());
    Files.writeString(labels, "missing.jpg\t1\n");
    NoSuchFileException m =
        assertThrows(NoSuchFileException.class, () -> LabeledImages.read(labels, dir));
    assertTrue(m.getFile().endsWith("missing.jpg"), m.getFile());
    Files.writeString(labels, "../outside.jpg\t1\n");
    assertThrows(IllegalArgumentException.class, () -> LabeledImages.read(labels, dir));
    Files.writeString(labels, "# nothing\n");
    assertThrows(IllegalArgumentException.class, () -> LabeledImages.read(labels, dir));
    assertThrows(NoSuchFileException.class, () -> LabeledImages.read(dir.resolve("nope"), dir));
  }
}
