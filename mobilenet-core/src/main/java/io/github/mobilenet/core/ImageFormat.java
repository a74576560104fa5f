package io.github.mobilenet.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Image formats recognised by their leading bytes (never by file name). */
public enum ImageFormat {
  /** JPEG/JFIF/EXIF, baseline and progressive, gray, RGB, CMYK and YCCK. */
  JPEG,
  /** PNG, every colour type and bit depth. */
  PNG,
  /** GIF; the first frame of an animation. */
  GIF,
  /** Windows bitmap. */
  BMP,
  /** WebP, lossy and lossless, with alpha. */
  WEBP,
  /** TIFF, first page. */
  TIFF;

  /** The format whose signature starts {@code bytes}, or null when none matches. */
  public static ImageFormat sniff(byte[] b) {
    if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
      return JPEG;
    }
    if (startsWith(b, 0, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})) {
      return PNG;
    }
    if (startsWith(b, 0, ascii("GIF87a")) || startsWith(b, 0, ascii("GIF89a"))) {
      return GIF;
    }
    if (b.length >= 14 && b[0] == 'B' && b[1] == 'M') {
      return BMP;
    }
    if (startsWith(b, 0, ascii("RIFF")) && startsWith(b, 8, ascii("WEBP"))) {
      return WEBP;
    }
    if (startsWith(b, 0, new byte[] {'I', 'I', 42, 0}) || startsWith(b, 0, new byte[] {'M', 'M', 0, 42})) {
      return TIFF;
    }
    return null;
  }

  static boolean startsWith(byte[] b, int at, byte[] prefix) {
    return b.length >= at + prefix.length && Arrays.equals(b, at, at + prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
