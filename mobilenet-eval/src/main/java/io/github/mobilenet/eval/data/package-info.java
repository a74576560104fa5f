/**
 * Evaluation data: labelled image sets, distorted copies, the embedding recipe and the on-disk
 * cache of embedded sets.
 */
package io.github.mobilenet.eval.data;
