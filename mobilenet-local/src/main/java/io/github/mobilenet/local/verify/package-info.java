/**
 * Geometric verification: a RANSAC homography over descriptor matches decides whether two images
 * show the same photo or object ({@link io.github.mobilenet.local.verify.Verifier}).
 */
package io.github.mobilenet.local.verify;
