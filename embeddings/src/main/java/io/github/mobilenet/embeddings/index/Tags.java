package io.github.mobilenet.embeddings.index;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.github.mobilenet.core.MobileNetException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * User tags per image file, read from a sidecar file. Tags are key → values; a search filter {@code
 * key=value} matches an image that has that value under that key.
 *
 * <p>Formats (chosen by the first non-blank character: <code>&#123;</code> means JSON lines, else
 * CSV or TSV):
 *
 * <ul>
 *   <li>JSON lines: {@code {"path": "a.jpg", "tags": ["beach", "2019"], "label": "dog"}}. Every
 *       property but {@code path} is a key; its value is a string, number or array of them. {@code
 *       tags} is the plural of key {@code tag}.
 *   <li>CSV (comma) or TSV (tab, when the first line has a tab): with a header whose first column
 *       is {@code path}, the other columns are keys; without one, column 1 is the path and the
 *       others are values of key {@code tag}. A cell may hold several values separated by {@code
 *       ;}. Quotes follow RFC 4180 (a quoted cell may span lines); parsed by Jackson's CSV module.
 *       Blank lines are skipped.
 * </ul>
 *
 * <p>Relative paths resolve against the sidecar file's folder. Keys may not contain {@code =}.
 * Instances are immutable and thread-safe.
 */
public final class Tags {
  /** The key that tags without a named key get; {@code tags} is read as this key. */
  public static final String DEFAULT_KEY = "tag";

  /**
   * Reads rows as lists of strings (no schema: each record is an array) with RFC 4180 quotes and no
   * escape character; spaces around quoted cells are dropped (every value is stripped anyway).
   */
  private static final CsvMapper CSV =
      CsvMapper.builder().enable(CsvParser.Feature.TRIM_SPACES).build();

  private final Map<Path, Map<String, List<String>>> byPath;

  private Tags(Map<Path, Map<String, List<String>>> byPath) {
    this.byPath = byPath;
  }

  /** No tags for any file. */
  public static Tags none() {
    return new Tags(Map.of());
  }

  /** Tags of a file (looked up by its absolute normalised path); empty when it has none. */
  public Map<String, List<String>> forFile(Path file) {
    return byPath.getOrDefault(file.toAbsolutePath().normalize(), Map.of());
  }

  public int size() {
    return byPath.size();
  }

  /**
   * Reads a sidecar file.
   *
   * @throws MobileNetException naming the file and line when it cannot be read or parsed
   */
  public static Tags load(Path sidecar) {
    String text;
    try {
      text = Files.readString(sidecar, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new MobileNetException("cannot read tags file " + sidecar + ": " + e, e);
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    Path base = sidecar.toAbsolutePath().getParent();
    Map<Path, Map<String, List<String>>> out = new HashMap<>();
    String first = text.lines().filter(l -> !l.isBlank()).findFirst().orElse("").strip();
    if (first.startsWith("{")) {
      readJsonLines(sidecar, text.lines().toList(), base, out);
    } else {
      readDelimited(sidecar, text, base, first.indexOf('\t') >= 0 ? '\t' : ',', out);
    }
    return new Tags(out);
  }

  private static void readJsonLines(
      Path sidecar, List<String> lines, Path base, Map<Path, Map<String, List<String>>> out) {
    ObjectMapper json = new ObjectMapper();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      String where = sidecar + ":" + (i + 1);
      JsonNode node;
      try {
        node = json.readTree(line.startsWith("\uFEFF") ? line.substring(1) : line);
      } catch (JsonProcessingException e) {
        throw new MobileNetException(where + ": not a JSON object: " + e.getOriginalMessage());
      }
      if (node == null || !node.isObject() || !node.path("path").isTextual()) {
        throw new MobileNetException(where + ": expected an object with a \"path\" string");
      }
      Map<String, List<String>> tags = new TreeMap<>();
      for (Map.Entry<String, JsonNode> f : node.properties()) {
        if (f.getKey().equals("path")) {
          continue;
        }
        String key = key(f.getKey(), where);
        JsonNode v = f.getValue();
        List<JsonNode> items = new ArrayList<>();
        if (v.isArray()) {
          v.forEach(items::add);
        } else {
          items.add(v);
        }
        for (JsonNode item : items) {
          if (!item.isValueNode() || item.isNull()) {
            throw new MobileNetException(
                where
                    + ": value of \""
                    + f.getKey()
                    + "\" must be a string, number or array of them");
          }
          add(tags, key, item.asText());
        }
      }
      put(out, base, node.get("path").asText(), tags);
    }
  }

  private static void readDelimited(
      Path sidecar, String text, Path base, char sep, Map<Path, Map<String, List<String>>> out) {
    CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(sep).withQuoteChar('"');
    List<String> header = null;
    boolean firstRow = true;
    int line = 1; // where the current record starts
    int nextLine = 1;
    try (CsvParser parser = CSV.getFactory().createParser(text)) {
      parser.setSchema(schema);
      List<String> cells = new ArrayList<>();
      for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
        if (t == JsonToken.START_ARRAY) {
          line = nextLine;
          cells.clear();
          continue;
        }
        if (t != JsonToken.END_ARRAY) {
          cells.add(parser.getText());
          continue;
        }
        // A record ends once its line break is consumed: the parser now stands on the next line
        // (token locations lag behind, so they cannot tell where a record starts).
        nextLine = parser.currentLocation().getLineNr();
        if (cells.stream().allMatch(String::isBlank)) {
          continue;
        }
        String where = sidecar + ":" + line;
        if (firstRow && cells.get(0).strip().equalsIgnoreCase("path")) {
          header = new ArrayList<>();
          for (int c = 1; c < cells.size(); c++) {
            header.add(key(cells.get(c), where));
          }
          firstRow = false;
          continue;
        }
        firstRow = false;
        Map<String, List<String>> tags = new TreeMap<>();
        for (int c = 1; c < cells.size(); c++) {
          String key =
              header == null ? DEFAULT_KEY : c - 1 < header.size() ? header.get(c - 1) : null;
          if (key == null) {
            throw new MobileNetException(where + ": more cells than header columns");
          }
          for (String v : cells.get(c).split(";")) {
            add(tags, key, v);
          }
        }
        put(out, base, cells.get(0).strip(), tags);
      }
    } catch (JsonProcessingException e) {
      // Jackson's own words, except for the one error users meet most (TagsTest pins it).
      String reason = e.getOriginalMessage();
      throw new MobileNetException(
          sidecar
              + ":"
              + line
              + ": "
              + (reason.startsWith("Missing closing quote") ? "unterminated quote" : reason),
          e);
    } catch (IOException e) {
      // A String source cannot fail to read; anything else is a parser defect worth surfacing.
      throw new MobileNetException(sidecar + ":" + line + ": " + e.getMessage(), e);
    }
  }

  private static String key(String raw, String where) {
    String k = raw.strip();
    if (k.isEmpty() || k.indexOf('=') >= 0) {
      throw new MobileNetException(
          where + ": tag key '" + raw + "' must be non-empty and contain no '='");
    }
    return k.equals("tags") ? DEFAULT_KEY : k;
  }

  private static void add(Map<String, List<String>> tags, String key, String value) {
    String v = value.strip();
    if (!v.isEmpty()) {
      List<String> values = tags.computeIfAbsent(key, k -> new ArrayList<>());
      if (!values.contains(v)) {
        values.add(v);
      }
    }
  }

  private static void put(
      Map<Path, Map<String, List<String>>> out,
      Path base,
      String path,
      Map<String, List<String>> tags) {
    if (path.isEmpty()) {
      return;
    }
    Path p = base.resolve(path).toAbsolutePath().normalize();
    Map<String, List<String>> merged = out.computeIfAbsent(p, k -> new TreeMap<>());
    tags.forEach((k, vs) -> vs.forEach(v -> add(merged, k, v)));
  }

  /** An immutable, key-sorted copy (values keep their order). */
  public static Map<String, List<String>> copy(Map<String, List<String>> tags) {
    if (tags == null || tags.isEmpty()) {
      return Map.of();
    }
    Map<String, List<String>> m = new TreeMap<>();
    tags.forEach(
        (k, v) -> {
          if (!v.isEmpty()) {
            m.put(k, List.copyOf(v));
          }
        });
    return Collections.unmodifiableMap(m);
  }
}
