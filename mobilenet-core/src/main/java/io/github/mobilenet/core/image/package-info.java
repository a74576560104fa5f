/**
 * Image sources and safe decoding: format sniffing, EXIF orientation, gray/CMYK/alpha/16-bit to
 * 8-bit RGB, size and pixel limits, typed decode failures, walking folders for image files.
 */
package io.github.mobilenet.core.image;
