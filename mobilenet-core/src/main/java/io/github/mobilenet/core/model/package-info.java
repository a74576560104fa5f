/**
 * Model profiles: which ONNX graph, its checksums, input layout and normalisation, endpoint names
 * and labels; loading fails fast on a wrong checksum.
 */
package io.github.mobilenet.core.model;
