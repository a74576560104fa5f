package io.github.mobilenet.demo.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A request's query string, decoded, with checked accessors: every malformed or out-of-range value
 * is an {@link ApiError} 400 that names the parameter, never a server error. A repeated parameter
 * counts by its last value, except {@code filter} and {@code tag}, which add up.
 */
final class QueryParams {
  /** More pairs than any page sends; the request line's size limit comes first in practice. */
  static final int MAX_PAIRS = 4096;

  private final Map<String, List<String>> values;

  private QueryParams(Map<String, List<String>> values) {
    this.values = values;
  }

  static QueryParams parse(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return new QueryParams(out);
    }
    String[] pairs = raw.split("&", MAX_PAIRS + 1);
    if (pairs.length > MAX_PAIRS) {
      throw ApiError.badRequest("more than " + MAX_PAIRS + " query parameters");
    }
    for (String pair : pairs) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      try {
        String name =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        out.computeIfAbsent(name, x -> new ArrayList<>()).add(value);
      } catch (IllegalArgumentException e) {
        throw ApiError.badRequest("malformed query string: " + e.getMessage());
      }
    }
    return new QueryParams(out);
  }

  /** The last value of {@code name}, or null when absent. */
  String get(String name) {
    List<String> v = values.get(name);
    return v == null || v.isEmpty() ? null : v.get(v.size() - 1);
  }

  int intValue(String name, int fallback, int min, int max) {
    String v = get(name);
    if (v == null || v.isEmpty()) {
      return fallback;
    }
    int n = parsed(name, v, Integer::parseInt, "an integer");
    if (n < min || n > max) {
      throw ApiError.badRequest(name + " must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }

  double doubleValue(String name, double fallback, double min, double max) {
    String v = get(name);
    if (v == null || v.isEmpty()) {
      return fallback;
    }
    double d = parsed(name, v, Double::parseDouble, "a number");
    if (!(d >= min && d <= max)) { // also refuses NaN
      throw ApiError.badRequest(
          name + " must be between " + min + " and " + max + ", got " + abbreviate(v));
    }
    return d;
  }

  /** {@code v}, trimmed, parsed by {@code parse}; a 400 naming {@code kind} when it is not one. */
  private static <T> T parsed(String name, String v, Function<String, T> parse, String kind) {
    try {
      return parse.apply(v.trim());
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(name + " must be " + kind + ", got '" + abbreviate(v) + "'");
    }
  }

  /** An image id parameter: required, and of the id alphabet (400 otherwise). */
  String id(String name, String whenMissing) {
    String v = get(name);
    if (v == null) {
      throw ApiError.badRequest(whenMissing);
    }
    if (!IndexedFiles.isId(v)) {
      throw ApiError.badRequest(
          name
              + " must be an image id (1-128 letters, digits, '-' and '_'), got '"
              + abbreviate(v)
              + "'");
    }
    return v;
  }

  /**
   * {@code filter=key=value} (repeatable) and the shorthand {@code tag=value}: hits must meet all
   * of them. More than {@code max} distinct conditions is a 400.
   */
  List<TagFilter> filters(int max) {
    Set<TagFilter> filters = new LinkedHashSet<>();
    for (String f : values.getOrDefault("filter", List.of())) {
      if (!f.isBlank()) {
        filters.add(filter(() -> TagFilter.parse(f)));
      }
    }
    for (String t : values.getOrDefault("tag", List.of())) {
      if (!t.isBlank()) {
        filters.add(filter(() -> new TagFilter(TagFilter.DEFAULT_KEY, t.strip())));
      }
      if (filters.size() > max) {
        break;
      }
    }
    if (filters.size() > max) {
      throw ApiError.badRequest(
          "too many filters: at most " + max + " filter= and tag= conditions per search");
    }
    return List.copyOf(filters);
  }

  private static TagFilter filter(java.util.function.Supplier<TagFilter> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("filter: " + e.getMessage());
    }
  }

  static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
