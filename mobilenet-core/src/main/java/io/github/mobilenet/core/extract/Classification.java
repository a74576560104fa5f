package io.github.mobilenet.core.extract;

/**
 * One class of a top-k answer: index in the model's label scheme (0 = background here), label,
 * probability.
 */
public record Classification(int index, String label, float score) {}
