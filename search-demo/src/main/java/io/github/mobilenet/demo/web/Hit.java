package io.github.mobilenet.demo.web;

/**
 * One search result.
 *
 * @param image the indexed image
 * @param score similarity to the query as the index scores it (cosine, blended with the augmented
 *     cosine when the index augments; 1 = identical)
 */
public record Hit(IndexedImage image, double score) {}
