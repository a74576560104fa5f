/**
 * Similarity queries over an index: options, hits, exact rescoring of approximate candidates and
 * the scores used to rank.
 */
package io.github.mobilenet.embeddings.search;
