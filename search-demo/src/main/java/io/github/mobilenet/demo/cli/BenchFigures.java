package io.github.mobilenet.demo.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON line {@code bench} ends with: the fields of issue 14 first, in its order (img/s, or ms
 * where the name ends in {@code _ms}), then the others; sections that did not run leave theirs out.
 */
final class BenchFigures {
  private BenchFigures() {}

  static void putIf(Map<String, Object> m, boolean when, String key, double v) {
    if (when && !Double.isNaN(v)) {
      m.put(key, v);
    }
  }

  /** The fields first, in its order, rounded; the rest after them. */
  static Map<String, Object> ordered(Map<String, Object> figures) {
    Map<String, Object> out = new LinkedHashMap<>();
    List<String> first =
        List.of(
            "raw_batch8",
            "extract_batch8",
            "end_to_end",
            "naive",
            "end_to_end_int8",
            "large_photo_ms",
            "large_photo_naive_ms");
    for (String k : first) {
      if (figures.containsKey(k)) {
        out.put(k, figures.get(k));
      }
    }
    figures.forEach(out::putIfAbsent);
    out.replaceAll((k, v) -> v instanceof Double d ? Math.round(d * 100) / 100.0 : v);
    return out;
  }
}
