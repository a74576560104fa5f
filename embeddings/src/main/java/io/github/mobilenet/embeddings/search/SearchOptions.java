package io.github.mobilenet.embeddings.search;

import io.github.mobilenet.embeddings.index.VectorFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How to run a similarity query. Immutable; start from {@link #top(int)} and chain.
 *
 * @param k number of hits
 * @param exact brute force over every float32 vector instead of the HNSW graph
 * @param filters tag conditions, all of which a hit must meet (key → value, exact match)
 * @param excludeIds ids no hit may have; a content hash ({@link
 *     io.github.mobilenet.embeddings.index.ContentHash}) excludes every image with that content
 * @param candidates approximate candidates collected before exact rescoring; 0 = the format's
 *     default ({@link VectorFormat#candidates(int)})
 */
public record SearchOptions(
    int k,
    boolean exact,
    List<Map.Entry<String, String>> filters,
    Set<String> excludeIds,
    int candidates) {
  /**
   * Formerly: a filter matching at most this many documents was searched exactly. Lucene's
   * pre-filtered kNN query now decides that itself (it searches exactly when the filter is small or
   * the graph search would visit more than it matches).
   *
   * @deprecated unused; kept for source compatibility
   */
  @Deprecated public static final int EXACT_FILTER_THRESHOLD = 2000;

  public SearchOptions {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    if (candidates < 0) {
      throw new IllegalArgumentException("candidates must be >= 0, got " + candidates);
    }
    filters = List.copyOf(filters);
    excludeIds = Set.copyOf(excludeIds);
  }

  /** The {@code k} nearest by approximate search, no filters. */
  public static SearchOptions top(int k) {
    return new SearchOptions(k, false, List.of(), Set.of(), 0);
  }

  public SearchOptions exact(boolean value) {
    return new SearchOptions(k, value, filters, excludeIds, candidates);
  }

  /** Adds a condition: the hit has tag {@code key} with value {@code value}. */
  public SearchOptions filter(String key, String value) {
    List<Map.Entry<String, String>> more = new ArrayList<>(filters);
    more.add(Map.entry(key, value));
    return new SearchOptions(k, exact, more, excludeIds, candidates);
  }

  public SearchOptions exclude(Set<String> ids) {
    return new SearchOptions(k, exact, filters, ids, candidates);
  }

  public SearchOptions candidates(int n) {
    return new SearchOptions(k, exact, filters, excludeIds, n);
  }
}
