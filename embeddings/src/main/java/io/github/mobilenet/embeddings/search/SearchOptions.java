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
 *     default for the index's size ({@link VectorFormat#candidates(int, long)})
 * @param verify verification depth: when the index keeps local features and the query has them, the
 *     best {@code verify} hits by embedding are verified geometrically and re-ranked ({@link
 *     VerifiedRanking}); 0 = rank by the embedding alone
 */
public record SearchOptions(
    int k,
    boolean exact,
    List<Map.Entry<String, String>> filters,
    Set<String> excludeIds,
    int candidates,
    int verify) {
  /**
   * Default verification depth: the top 100 by embedding are verified (docs/QUALITY.md: verified
   * search).
   */
  public static final int DEFAULT_VERIFY = 100;

  /** Most candidates a search may verify. */
  public static final int MAX_VERIFY = 10_000;

  /**
   * Formerly: a filter matching at most this many documents was searched exactly. Lucene's
   * pre-filtered kNN query now decides that itself (it searches exactly when the filter is small or
   * the graph search would visit more than it matches).
   *
   * @deprecated unused; kept for source compatibility
   */
  @Deprecated public static final int EXACT_FILTER_THRESHOLD = 2000;

  /** Options with the default verification depth ({@link #DEFAULT_VERIFY}). */
  public SearchOptions(
      int k,
      boolean exact,
      List<Map.Entry<String, String>> filters,
      Set<String> excludeIds,
      int candidates) {
    this(k, exact, filters, excludeIds, candidates, DEFAULT_VERIFY);
  }

  public SearchOptions {
    if (verify < 0 || verify > MAX_VERIFY) {
      throw new IllegalArgumentException("verify must be 0.." + MAX_VERIFY + ", got " + verify);
    }
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    if (candidates < 0) {
      throw new IllegalArgumentException("candidates must be >= 0, got " + candidates);
    }
    filters = List.copyOf(filters);
    excludeIds = Set.copyOf(excludeIds);
  }

  /**
   * The {@code k} nearest by approximate search, no filters, verified to the default depth (when
   * the index keeps local features).
   */
  public static SearchOptions top(int k) {
    return new SearchOptions(k, false, List.of(), Set.of(), 0, DEFAULT_VERIFY);
  }

  public SearchOptions exact(boolean value) {
    return new SearchOptions(k, value, filters, excludeIds, candidates, verify);
  }

  /** The same options with {@code n} hits. */
  public SearchOptions k(int n) {
    return new SearchOptions(n, exact, filters, excludeIds, candidates, verify);
  }

  /** Verifies the best {@code depth} hits by embedding (0 = none): see {@link VerifiedRanking}. */
  public SearchOptions verify(int depth) {
    return new SearchOptions(k, exact, filters, excludeIds, candidates, depth);
  }

  /** Adds a condition: the hit has tag {@code key} with value {@code value}. */
  public SearchOptions filter(String key, String value) {
    List<Map.Entry<String, String>> more = new ArrayList<>(filters);
    more.add(Map.entry(key, value));
    return new SearchOptions(k, exact, more, excludeIds, candidates, verify);
  }

  public SearchOptions exclude(Set<String> ids) {
    return new SearchOptions(k, exact, filters, ids, candidates, verify);
  }

  public SearchOptions candidates(int n) {
    return new SearchOptions(k, exact, filters, excludeIds, n, verify);
  }
}
