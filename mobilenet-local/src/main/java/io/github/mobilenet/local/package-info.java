/**
 * Local features with geometric verification: "is this the same photo / the same object?".
 *
 * <p>A global embedding knows what kind of thing is in an image, not which thing. This module
 * extracts ORB keypoints with binary descriptors ({@link
 * io.github.mobilenet.local.extract.OrbExtractor}), stores them compactly ({@link
 * io.github.mobilenet.local.features.LocalFeatures}, {@link
 * io.github.mobilenet.local.features.LocalFeaturesCodec}), matches descriptors ({@link
 * io.github.mobilenet.local.match}) and verifies the matches with a RANSAC homography ({@link
 * io.github.mobilenet.local.verify.Verifier}); the score is the number of geometrically consistent
 * matches (inliers).
 *
 * <p>The module is optional: it brings OpenCV (org.openpnp:opencv, about 109 MB of natives), used
 * only behind the small interfaces {@link io.github.mobilenet.local.extract.LocalFeatureExtractor},
 * {@link io.github.mobilenet.local.match.DescriptorMatcher} and {@link
 * io.github.mobilenet.local.verify.HomographyEstimator} so a pure-Java implementation can replace
 * it. Images are decoded by mobilenet-core (EXIF, CMYK, size limits), never by OpenCV.
 */
package io.github.mobilenet.local;
