/**
 * The public entry point: {@link io.github.mobilenet.core.extract.FeatureExtractor} runs the model
 * on images (batched, thread-safe) and returns {@link io.github.mobilenet.core.extract.Features} of
 * any endpoint, pooled vectors and ImageNet classifications.
 */
package io.github.mobilenet.core.extract;
