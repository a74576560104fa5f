package io.github.mobilenet.demo.web;

import java.util.Objects;

/**
 * A search condition: the image has value {@code value} under tag key {@code key} (exact match).
 * Written {@code key=value}, as in the CLI's {@code --filter tag=beach}.
 */
public record TagFilter(String key, String value) {
  /** The key of plain tags (a sidecar's {@code tags} column). */
  public static final String DEFAULT_KEY = "tag";

  public TagFilter {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (key.isBlank() || key.indexOf('=') >= 0 || value.isBlank()) {
      throw new IllegalArgumentException(
          "a filter is key=value with a non-empty key and value, got '" + key + "=" + value + "'");
    }
  }

  /** Parses {@code key=value}; a bare {@code value} means {@code tag=value}. */
  public static TagFilter parse(String s) {
    int eq = s.indexOf('=');
    return eq < 0
        ? new TagFilter(DEFAULT_KEY, s.strip())
        : new TagFilter(s.substring(0, eq).strip(), s.substring(eq + 1).strip());
  }

  @Override
  public String toString() {
    return key + "=" + value;
  }
}
