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
  void quotedCellsMaySpanLinesAndLinesStayCounted(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("t.csv");
    Files.writeString(
        f,
        "path,note\r\n"
            + "a.jpg,  \"two\nlines;x\"  \r\n"
            + "   \n"
            + "b.jpg,\"\"\"x\"\";y\"\n"
            + "c.jpg,1,2\n");
    MobileNetException e = assertThrows(MobileNetException.class, () -> Tags.load(f));
    assertEquals(f + ":6: more cells than header columns", e.getMessage());
    Files.writeString(
        f, "path,note\na.jpg,  \"two\nlines;x\"  \n   \nb.jpg,\"\"\"x\"\";y\"\n#c.jpg,a\"b\n");
    Tags t = Tags.load(f);
    assertEquals(3, t.size());
    assertEquals(Map.of("note", List.of("two\nlines", "x")), t.forFile(dir.resolve("a.jpg")));
    assertEquals(Map.of("note", List.of("\"x\"", "y")), t.forFile(dir.resolve("b.jpg")));
    assertEquals(Map.of("note", List.of("a\"b")), t.forFile(dir.resolve("#c.jpg")));
  }

  @Test
  void tsvWithHeaderKeepsCommasInCells(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("t.tsv");
    Files.writeString(f, "\n PATH \ttags\t place \nsub/a, b.jpg\tx, y\t\"Oslo\"\n");
    assertEquals(
        Map.of("tag", List.of("x, y"), "place", List.of("Oslo")),
        Tags.load(f).forFile(dir.resolve("sub/a, b.jpg")));
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
    assertTrue(loadFailure(nested).contains(nested + ":1"));
    Path quote = dir.resolve("q.csv");
    Files.writeString(quote, "a.jpg,\"open\n");
    assertTrue(loadFailure(quote).contains("unterminated quote"));
    Files.writeString(quote, "a.jpg,x\n\nb.jpg,\"open\nc.jpg,y\n");
    assertEquals(quote + ":3: unterminated quote", loadFailure(quote));
    Files.writeString(quote, "a.jpg,x\nb.jpg,\"closed\"junk\n");
    assertTrue(loadFailure(quote).startsWith(quote + ":2: "));
    Path eqKey = dir.resolve("k.csv");
    Files.writeString(eqKey, "path,a=b\nx.jpg,1\n");
    assertTrue(loadFailure(eqKey).contains("no '='"));
    assertTrue(loadFailure(dir.resolve("missing.csv")).contains("cannot read tags file"));
  }

  /** The message of the {@link MobileNetException} that loading {@code file} throws. */
  private static String loadFailure(Path file) {
    return assertThrows(MobileNetException.class, () -> Tags.load(file)).getMessage();
  }
}
