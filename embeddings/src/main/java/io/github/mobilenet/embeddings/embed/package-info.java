/** Turning images into the index's embedding vectors, by the configuration the index records. */
package io.github.mobilenet.embeddings.embed;
