/**
 * Image embeddings in a Lucene index; {@link io.github.mobilenet.embeddings.EmbeddingsException} is
 * the one exception family of the module.
 */
package io.github.mobilenet.embeddings;
