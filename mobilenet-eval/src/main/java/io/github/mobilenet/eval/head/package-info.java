/**
 * Linear heads: a softmax classifier trained on embeddings, saved to and loaded from a file (behind
 * train-head and predict).
 */
package io.github.mobilenet.eval.head;
