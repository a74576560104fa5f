package io.github.mobilenet.embeddings.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mobilenet.core.MobileNetException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * User tags per image file, read from a sidecar file. Tags are key → values; a search filter
 * {@code key=value} matches an image that has that value under that key.
 *
 * <p>Formats (chosen by the first non-blank character: {@code {} means JSON lines, else CSV or TSV):
 * <ul>
 *   <li>JSON lines: {@code {"path": "a.jpg", "tags": ["beach", "2019"], "label": "dog"}}. Every property but
 *       {@code path} is a key; its value is a string, number or array of them. {@code tags} is the plural of
 *       key {@code tag}.
 *   <li>CSV (comma) or TSV (tab, when the first line has a tab): with a header whose first column is
 *       {@code path}, the other columns are keys; without one, column 1 is the path and the others are
 *       values of key {@code tag}. A cell may hold several values separated by {@code ;}. Quotes follow RFC 4180.
 * </ul>
 * Relative paths resolve against the sidecar file's folder. Keys may not contain {@code =}.
 */
public final class Tags {
  /** The key that tags without a named key get; {@code tags} is read as this key. */
  public static final String DEFAULT_KEY = "tag";

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
    List<String> lines;
    try {
      lines = Files.readAllLines(sidecar, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new MobileNetException("cannot read tags file " + sidecar + ": " + e, e);
    }
    Path base = sidecar.toAbsolutePath().getParent();
    Map<Path, Map<String, List<String>>> out = new HashMap<>();
    String first = lines.stream().filter(l -> !l.isBlank()).findFirst().orElse("").strip();
    if (first.startsWith("\uFEFF")) {
      first = first.substring(1);
    }
    if (first.startsWith("{")) {
      readJsonLines(sidecar, lines, base, out);
    } else {
      readDelimited(sidecar, lines, base, first.indexOf('\t') >= 0 ? '\t' : ',', out);
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
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new MobileNetException(where + ": not a JSON object: " + e.getOriginalMessage());
      }
      if (node == null || !node.isObject() || !node.path("path").isTextual()) {
        throw new MobileNetException(where + ": expected an object with a \"path\" string");
      }
      Map<String, List<String>> tags = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
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
      Path sidecar,
      List<String> lines,
      Path base,
      char sep,
      Map<Path, Map<String, List<String>>> out) {
    List<String> header = null;
    boolean firstRow = true;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      String where = sidecar + ":" + (i + 1);
      List<String> cells =
          splitRow(firstRow && line.startsWith("\uFEFF") ? line.substring(1) : line, sep, where);
      if (firstRow && cells.get(0).strip().equalsIgnoreCase("path")) {
        header = new ArrayList<>();
        for (int c = 1; c < cells.size(); c++) {
          header.add(key(cells.get(c).strip(), where));
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
  }

  /** Splits one CSV/TSV row with RFC 4180 quotes (no embedded newlines). */
  static List<String> splitRow(String line, char sep, String where) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cell.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cell.append(ch);
        }
      } else if (ch == '"' && cell.toString().isBlank()) {
        quoted = true;
        cell.setLength(0);
      } else if (ch == sep) {
        cells.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(ch);
      }
    }
    if (quoted) {
      throw new MobileNetException(where + ": unterminated quote");
    }
    cells.add(cell.toString());
    return cells;
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
