/**
 * Near-duplicate groups: copies of one photograph verified by local features ({@link
 * io.github.mobilenet.embeddings.dups.SamePhotoFinder}, candidates from the embedding, the verdict
 * from ORB + homography, rotations and mirror images included), or, the older way, images whose own
 * vectors are within a cosine threshold of their group's representative ({@link
 * io.github.mobilenet.embeddings.dups.DuplicateFinder}).
 */
package io.github.mobilenet.embeddings.dups;
