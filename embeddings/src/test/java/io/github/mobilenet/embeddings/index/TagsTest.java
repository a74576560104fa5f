package io.github.mobilenet.embeddings.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.MobileNetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TagsTest {
  @Test
  void csvWithHeaderQuotesAndSeveralValues(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("t.csv");
    Files.writeString(
        f,
        "\uFEFFpath,tag,label\n"
            + "a.jpg,beach;sunset,dog\n"
            + "\"sub/b, c.jpg\",\"x \"\"quoted\"\"\",\n"
            + "\n"
            + "/abs/d.png,,cat\n");
    Tags t = Tags.load(f);
    assertEquals(3, t.size());
    assertEquals(
        Map.of("tag", List.of("beach", "sunset"), "label", List.of("dog")),
        t.forFile(dir.resolve("a.jpg")));
    assertEquals(Map.of("tag", List.of("x \"quoted\"")), t.forFile(dir.resolve("sub/b, c.jpg")));
    assertEquals(Map.of("label", List.of("cat")), t.forFile(Path.of("/abs/d.png")));
    assertEquals(Map.of(), t.forFile(dir.resolve("other.jpg")));
  }

  @Test
  void tsvWithoutHeaderGivesKeyTag(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("LABELS");
    Files.writeString(f, "image_0001.jpg\t0\nimage_0081.jpg\t1\textra\n");
    Tags t = Tags.load(f);
    assertEquals(Map.of("tag", List.of("0")), t.forFile(dir.resolve("image_0001.jpg")));
    assertEquals(Map.of("tag", List.of("1", "extra")), t.forFile(dir.resolve("image_0081.jpg")));
  }

  @Test
  void jsonLines(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("t.jsonl");
    Files.writeString(
        f,
        "{\"path\": \"a.jpg\", \"tags\": [\"x\", \"y\"], \"year\": 2019, \"label\": \"dog\"}\n"
            + "{\"path\": \"a.jpg\", \"tags\": \"z\"}\n");
    assertEquals(
        Map.of("tag", List.of("x", "y", "z"), "year", List.of("2019"), "label", List.of("dog")),
        Tags.load(f).forFile(dir.resolve("a.jpg")));
  }

  @Test
  void errorsNameTheFileAndLine(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, "{\"path\": \"a.jpg\"}\n{\"tags\": [\"x\"]}\n");
    MobileNetException e = assertThrows(MobileNetException.class, () -> Tags.load(bad));
    assertTrue(e.getMessage().startsWith(bad + ":2: "), e.getMessage());
    Path nested = dir.resolve("nested.jsonl");
    Files.writeString(nested, "{\"path\": \"a.jpg\", \"tags\": [{\"x\": 1}]}\n");
    assertTrue(
        assertThrows(MobileNetException.class, () -> Tags.load(nested))
            .getMessage()
            .contains(nested + ":1"));
    Path quote = dir.resolve("q.csv");
    Files.writeString(quote, "a.jpg,\"open\n");
    assertTrue(
        assertThrows(MobileNetException.class, () -> Tags.load(quote))
            .getMessage()
            .contains("unterminated quote"));
    Path eqKey = dir.resolve("k.csv");
    Files.writeString(eqKey, "path,a=b\nx.jpg,1\n");
    assertTrue(
        assertThrows(MobileNetException.class, () -> Tags.load(eqKey))
            .getMessage()
            .contains("no '='"));
    assertTrue(
        assertThrows(MobileNetException.class, () -> Tags.load(dir.resolve("missing.csv")))
            .getMessage()
            .contains("cannot read tags file"));
  }
}
