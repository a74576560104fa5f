package io.github.mobilenet.embeddings.dups;

import io.github.mobilenet.local.verify.Match;
import io.github.mobilenet.local.verify.Transform;

/**
 * Why a member belongs to its duplicate group: the geometric verification of the representative
 * (image A) against the member (image B).
 *
 * @param inliers correspondences that agree with one homography; for the representative itself, its
 *     keypoint count (every keypoint matches itself)
 * @param transform what the member is of the representative ({@code rot90}: the member is the
 *     representative turned a quarter clockwise; {@code hflip}: mirrored; {@code crop}: part of
 *     it); {@link Transform#IDENTITY} for the representative; {@link Transform#NONE} when the pair
 *     was linked by a near-identical embedding alone (cosine ≥ {@link
 *     DuplicateOptions#NEAR_IDENTICAL_COSINE}, e.g. images too plain to have keypoints)
 */
public record Verification(int inliers, Transform transform) {
  /** The verdict of a {@link Match}. */
  public static Verification of(Match m) {
    return new Verification(m.inliers(), m.transform());
  }
}
