package io.github.mobilenet.embeddings.search;

import io.github.mobilenet.core.image.ImageSource;
import java.util.List;

/**
 * The answer to one query of a batch ({@link
 * io.github.mobilenet.embeddings.index.ImageIndex#searchEach}): its hits, or why it failed.
 *
 * @param query the query image
 * @param hits best first; empty on error
 * @param error why the query failed (e.g. the image does not decode), or null
 */
public record QueryResult(ImageSource query, List<SearchHit> hits, RuntimeException error) {
  /** True when the query was answered. */
  public boolean ok() {
    return error == null;
  }
}
