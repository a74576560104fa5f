package io.github.mobilenet.embeddings.search;

import java.util.Comparator;

/**
 * A candidate: global doc id and exact score.
 *
 * @param doc global doc id in the searcher it came from
 * @param score exact score (cosine, or the augmented blend)
 */
public record Scored(int doc, float score) {
  /** Best score first, ties by doc id. */
  public static final Comparator<Scored> ORDER =
      Comparator.comparingDouble((Scored x) -> -x.score).thenComparingInt(x -> x.doc);
}
