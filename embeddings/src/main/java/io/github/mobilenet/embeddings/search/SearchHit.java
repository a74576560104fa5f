package io.github.mobilenet.embeddings.search;

import io.github.mobilenet.embeddings.index.ImageDoc;

/**
 * One result of a similarity query.
 *
 * @param rank 1-based position
 * @param score the embedding's score: the cosine similarity to the query computed from the float32
 *     vectors (1 = same direction), with database-side augmentation a blend of two cosines ({@link
 *     io.github.mobilenet.embeddings.index.ImageIndex#search(float[], SearchOptions)}); after
 *     verification hits are no longer in the order of this score
 * @param doc the image
 * @param cosine the plain cosine of the query's and the image's own vectors
 * @param inliers geometrically consistent correspondences with the query when verification looked
 *     at the hit ({@link VerifiedRanking}; 0 when there were too few descriptor matches to reach
 *     {@link VerifiedRanking#MIN_INLIERS}), {@link #NOT_CHECKED} when it did not
 */
public record SearchHit(int rank, float score, ImageDoc doc, float cosine, int inliers) {
  /** {@link #inliers()} of a hit that verification did not look at. */
  public static final int NOT_CHECKED = -1;

  /** A hit ranked by the embedding alone, whose score is its cosine. */
  public SearchHit(int rank, float score, ImageDoc doc) {
    this(rank, score, doc, score, NOT_CHECKED);
  }

  public String id() {
    return doc.id();
  }

  public String path() {
    return doc.path();
  }

  /**
   * Whether verification found this image to show what the query shows (at least {@link
   * VerifiedRanking#MIN_INLIERS} inliers); such hits are ranked by {@link
   * VerifiedRanking#rankScore}.
   */
  public boolean verified() {
    return inliers >= VerifiedRanking.MIN_INLIERS;
  }

  /** The same hit at another rank, with its verification outcome. */
  public SearchHit ranked(int newRank, int newInliers) {
    return new SearchHit(newRank, score, doc, cosine, newInliers);
  }
}
