/**
 * From decoded pixels to the model's input tensor: the whole image or a centre crop, antialiased or
 * reference-bilinear resize, the profile's normalisation and layout.
 */
package io.github.mobilenet.core.preprocess;
