/**
 * Near-duplicate groups: images whose own vectors are within a threshold of their group's
 * representative.
 */
package io.github.mobilenet.embeddings.dups;
