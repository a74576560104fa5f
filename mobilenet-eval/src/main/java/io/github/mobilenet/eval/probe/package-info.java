/**
 * Linear and k-NN probes: how well a layer's features separate classes, by stratified
 * cross-validation.
 */
package io.github.mobilenet.eval.probe;
