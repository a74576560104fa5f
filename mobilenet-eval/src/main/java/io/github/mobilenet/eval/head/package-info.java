/**
 * Linear heads, a product feature behind the CLI's train-head and predict: a softmax classifier
 * trained on embeddings, saved to and loaded from a file; and the {@link
 * io.github.mobilenet.eval.head.VectorClassifier} contract the probes share with it.
 */
package io.github.mobilenet.eval.head;
