package io.github.mobilenet.embeddings.dups;

import io.github.mobilenet.embeddings.search.SearchHit;
import java.util.List;
import java.util.Optional;

/**
 * Near-identical images. The first member is the group's representative (the largest image, ties
 * broken by path); each member's score is its cosine similarity to the representative (1 for
 * itself). Groups made by cosine alone ({@link DuplicateFinder#groups(double)}) have every score at
 * least their threshold and no verifications; groups verified as the same photograph ({@link
 * SamePhotoFinder}) carry one {@link Verification} per member, in the same order.
 *
 * @param members the images, representative first
 * @param verifications empty, or one per member: inliers and transform against the representative
 */
public record DuplicateGroup(List<SearchHit> members, List<Verification> verifications) {
  /** Checks that there is one verification per member, or none. */
  public DuplicateGroup {
    members = List.copyOf(members);
    verifications = List.copyOf(verifications);
    if (!verifications.isEmpty() && verifications.size() != members.size()) {
      throw new IllegalArgumentException(
          members.size() + " members but " + verifications.size() + " verifications");
    }
  }

  /** A group made by cosine alone. */
  public DuplicateGroup(List<SearchHit> members) {
    this(members, List.of());
  }

  /** Number of members, the representative included. */
  public int size() {
    return members.size();
  }

  /** The verification of member {@code i} (0 = the representative), if the group was verified. */
  public Optional<Verification> verification(int i) {
    return verifications.isEmpty() ? Optional.empty() : Optional.of(verifications.get(i));
  }
}
