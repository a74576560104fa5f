package io.github.mobilenet.embeddings.job;

import io.github.mobilenet.embeddings.index.ImageIndex;

/**
 * What a finished {@link IndexingJob} did.
 *
 * @param indexed new files added
 * @param unchanged files already in the index as they are (same path, size and time, or same
 *     content)
 * @param updated files whose content changed and were indexed again
 * @param removed documents dropped because their file is gone (with prune)
 * @param failed files skipped because of an error
 * @param embedded files run through the model (new and updated files whose content was not already
 *     indexed)
 * @param augmented images whose augmented search vector was recomputed ({@link
 *     ImageIndex#augment()})
 * @param augmentSeconds wall time of that pass (included in {@code seconds})
 * @param seconds wall time
 * @param documents images in the index at the end
 * @param retagged files already indexed whose tags changed (also counted as unchanged or updated)
 * @param unmatchedTagRows files the tags name that were not among the files walked (their tags went
 *     nowhere)
 */
public record IndexingSummary(
    int indexed,
    int unchanged,
    int updated,
    int removed,
    int failed,
    int embedded,
    int augmented,
    double augmentSeconds,
    double seconds,
    int documents,
    int retagged,
    int unmatchedTagRows) {}
