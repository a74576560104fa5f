/**
 * Small learning algorithms the evaluation and heads need: L-BFGS, softmax regression, symmetric
 * eigen-decomposition (EJML, with fixed order and signs), PCA whitening.
 */
package io.github.mobilenet.eval.learn;
