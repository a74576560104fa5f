package io.github.mobilenet.embeddings.search;

import io.github.mobilenet.embeddings.index.ImageDoc;

/**
 * One result of a similarity query.
 *
 * @param rank 1-based position
 * @param score cosine similarity to the query, computed from the float32 vectors (1 = same
 *     direction)
 * @param doc the image
 */
public record SearchHit(int rank, float score, ImageDoc doc) {
  public String id() {
    return doc.id();
  }

  public String path() {
    return doc.path();
  }
}
