/**
 * Keypoint extraction: ORB through OpenCV behind {@link
 * io.github.mobilenet.local.extract.LocalFeatureExtractor}.
 */
package io.github.mobilenet.local.extract;
