/**
 * The image index: a Lucene directory of one document per image (id, path, size, tags, own and
 * augmented vectors), its schema-versioned configuration in the commit data, writing, lookups and
 * statistics.
 */
package io.github.mobilenet.embeddings.index;
