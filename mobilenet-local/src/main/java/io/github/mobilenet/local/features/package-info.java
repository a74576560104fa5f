/** The keypoints and descriptors of one image, and their compact, versioned binary form. */
package io.github.mobilenet.local.features;
