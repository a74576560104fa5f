/**
 * Retrieval evaluation: rankings, mAP and precision at k, normalisation variants, and the same
 * measured through a real index.
 */
package io.github.mobilenet.eval.retrieval;
