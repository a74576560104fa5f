/**
 * MobileNet features in plain Java: the module's exception family lives here; its sub-packages hold
 * the model ({@code model}), image decoding ({@code image}), preprocessing ({@code preprocess}),
 * feature extraction and classification ({@code extract}) and shared helpers ({@code util}).
 */
package io.github.mobilenet.core;
