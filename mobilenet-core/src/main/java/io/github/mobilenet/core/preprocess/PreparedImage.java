package io.github.mobilenet.core.preprocess;

/**
 * A decoded and preprocessed image, ready for inference: {@code tensor} holds 3·H·W floats in the
 * model's input layout. Lets pipelines decode on worker threads and batch inference elsewhere.
 *
 * @param name the input's name, for messages
 * @param width width of the decoded (upright) image before preprocessing
 * @param height height of the decoded (upright) image before preprocessing
 */
public record PreparedImage(String name, int width, int height, float[] tensor) {}
