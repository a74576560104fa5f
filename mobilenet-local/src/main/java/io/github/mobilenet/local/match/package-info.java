/** Hamming 2-nearest-neighbour descriptor matching with the ratio test, in Java or OpenCV. */
package io.github.mobilenet.local.match;
