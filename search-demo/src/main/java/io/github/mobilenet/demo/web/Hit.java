package io.github.mobilenet.demo.web;

/**
 * One search result.
 *
 * @param image the indexed image
 * @param score similarity to the query: cosine of the L2-normalised embeddings (1 = identical)
 */
public record Hit(IndexedImage image, double score) {}
