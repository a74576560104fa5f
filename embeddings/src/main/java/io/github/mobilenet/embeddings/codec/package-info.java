/**
 * Lucene vectors formats (float and scalar-quantized HNSW) that only lift Lucene's 1024-dimension
 * limit; registered by SPI so plain Lucene reopens the index.
 */
package io.github.mobilenet.embeddings.codec;
