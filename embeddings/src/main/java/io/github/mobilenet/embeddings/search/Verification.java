package io.github.mobilenet.embeddings.search;

import io.github.mobilenet.local.features.LocalFeatures;
import io.github.mobilenet.local.verify.Verifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Verified search: re-ranks the embedding's shortlist by geometric verification of local features
 * (ORB matches that agree on one homography, {@link Verifier}). The embedding knows what kind of
 * thing a photo shows; verification knows which thing, so an edited copy (crop, rotation, mirror
 * image, heavy JPEG) or another photo of the same object comes first even when its cosine is low.
 *
 * <p>The rule (measured on ukbench84 and flowers17, docs/QUALITY.md): each of the first {@code
 * depth} hits by embedding is verified against the query (with its mirrored companion); hits with
 * at least {@link #MIN_INLIERS} inliers are <i>verified</i> and come first, ordered by {@link
 * #order}; the rest follow in embedding order. Stateless and thread-safe.
 */
public final class Verification {
  /**
   * Inliers from which a hit counts as verified: {@link Verifier#SAME_OBJECT_INLIERS}, the study's
   * "same object" evidence.
   */
  public static final int MIN_INLIERS = Verifier.SAME_OBJECT_INLIERS;

  private Verification() {}

  /**
   * The order of verified hits: by inliers, most first, then by embedding score. (Placeholder of
   * the measured rule; see docs/QUALITY.md.)
   */
  public static final Comparator<SearchHit> ORDER =
      Comparator.comparingInt(SearchHit::inliers)
          .reversed()
          .thenComparing(Comparator.comparingDouble(SearchHit::score).reversed());

  /**
   * Re-ranks {@code shortlist} (in embedding order): verifies its first {@code depth} hits in
   * parallel, puts the verified ones first, and returns the first {@code k}, renumbered.
   *
   * @param stored the stored features of shortlist hit i, or null when it has none (it stays
   *     unverified); called on several threads
   */
  public static List<SearchHit> rerank(
      LocalFeatures query,
      List<SearchHit> shortlist,
      IntFunction<LocalFeatures> stored,
      int depth,
      int k,
      Verifier verifier) {
    int n = Math.min(depth, shortlist.size());
    int[] inliers =
        IntStream.range(0, n)
            .parallel()
            .map(
                i -> {
                  LocalFeatures f = stored.apply(i);
                  return f == null ? SearchHit.NOT_CHECKED : verifier.verify(query, f).inliers();
                })
            .toArray();
    List<SearchHit> verified = new ArrayList<>();
    List<SearchHit> rest = new ArrayList<>();
    for (int i = 0; i < shortlist.size(); i++) {
      SearchHit h = shortlist.get(i);
      SearchHit checked = i < n ? h.ranked(h.rank(), inliers[i]) : h;
      (checked.verified() ? verified : rest).add(checked);
    }
    verified.sort(ORDER);
    List<SearchHit> out = new ArrayList<>(Math.min(k, shortlist.size()));
    for (SearchHit h : verified) {
      if (out.size() < k) {
        out.add(h.ranked(out.size() + 1, h.inliers()));
      }
    }
    for (SearchHit h : rest) {
      if (out.size() < k) {
        out.add(h.ranked(out.size() + 1, h.inliers()));
      }
    }
    return out;
  }
}
