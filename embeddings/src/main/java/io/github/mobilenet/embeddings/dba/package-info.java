/**
 * Database-side augmentation: each image's vector summed with its nearest neighbours', kept up to
 * date incrementally, and the in-memory reference it is tested against.
 */
package io.github.mobilenet.embeddings.dba;
