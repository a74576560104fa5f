package io.github.mobilenet.core.image;

/**
 * Reads the EXIF Orientation tag (0x0112) from JPEG APP1, PNG eXIf, WebP EXIF chunks and TIFF IFD0.
 * Returns 1 (upright) when absent or unreadable: a broken EXIF block must not make a good image
 * fail.
 */
final class ExifOrientation {
  private ExifOrientation() {}

  static int read(byte[] b, ImageFormat format) {
    try {
      return switch (format) {
        case JPEG -> fromJpeg(b);
        case PNG -> fromPng(b);
        case WEBP -> fromWebp(b);
        case TIFF -> fromTiff(b, 0, b.length);
        default -> 1;
      };
    } catch (RuntimeException e) {
      return 1;
    }
  }

  private static int fromJpeg(byte[] b) {
    JpegSegments s = new JpegSegments(b);
    while (s.next()) { // up to the first scan: no metadata after it
      int p = s.offset();
      if (s.marker() == 0xE1
          && s.length() >= 8
          && s.complete()
          && b[p + 4] == 'E'
          && b[p + 5] == 'x'
          && b[p + 6] == 'i'
          && b[p + 7] == 'f'
          && b[p + 8] == 0
          && b[p + 9] == 0) {
        return fromTiff(b, p + 10, s.end());
      }
    }
    return 1;
  }

  private static int fromPng(byte[] b) {
    int p = 8;
    while (p + 12 <= b.length) {
      int len = (int) u32be(b, p);
      if (len < 0 || p + 12 + len > b.length) {
        return 1;
      }
      if (b[p + 4] == 'e' && b[p + 5] == 'X' && b[p + 6] == 'I' && b[p + 7] == 'f') {
        return fromTiff(b, p + 8, p + 8 + len);
      }
      if (b[p + 4] == 'I' && b[p + 5] == 'D' && b[p + 6] == 'A' && b[p + 7] == 'T') {
        return 1; // eXIf must precede IDAT
      }
      p += 12 + len;
    }
    return 1;
  }

  private static int fromWebp(byte[] b) {
    int p = 12;
    while (p + 8 <= b.length) {
      int len = (int) u32le(b, p + 4);
      if (len < 0 || p + 8 + len > b.length) {
        return 1;
      }
      if (b[p] == 'E' && b[p + 1] == 'X' && b[p + 2] == 'I' && b[p + 3] == 'F') {
        int start = p + 8;
        // Some writers keep the JPEG-style "Exif\0\0" prefix inside the chunk.
        if (len >= 6
            && b[start] == 'E'
            && b[start + 1] == 'x'
            && b[start + 2] == 'i'
            && b[start + 3] == 'f') {
          start += 6;
        }
        return fromTiff(b, start, p + 8 + len);
      }
      p += 8 + len + (len & 1);
    }
    return 1;
  }

  /** TIFF structure at [start, end): byte order, IFD0 offset, then the Orientation entry. */
  private static int fromTiff(byte[] b, int start, int end) {
    if (end - start < 8) {
      return 1;
    }
    boolean little;
    if (b[start] == 'I' && b[start + 1] == 'I') {
      little = true;
    } else if (b[start] == 'M' && b[start + 1] == 'M') {
      little = false;
    } else {
      return 1;
    }
    long ifd = little ? u32le(b, start + 4) : u32be(b, start + 4);
    int p = start + (int) ifd;
    if (ifd < 8 || p + 2 > end) {
      return 1;
    }
    int count = little ? u16le(b, p) : u16be(b, p);
    for (int i = 0; i < count; i++) {
      int e = p + 2 + i * 12;
      if (e + 12 > end) {
        return 1;
      }
      int tag = little ? u16le(b, e) : u16be(b, e);
      if (tag == 0x0112) {
        int value = little ? u16le(b, e + 8) : u16be(b, e + 8);
        return value >= 1 && value <= 8 ? value : 1;
      }
    }
    return 1;
  }

  private static int u16be(byte[] b, int p) {
    return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
  }

  private static int u16le(byte[] b, int p) {
    return (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8);
  }

  private static long u32be(byte[] b, int p) {
    return ((long) u16be(b, p) << 16) | u16be(b, p + 2);
  }

  private static long u32le(byte[] b, int p) {
    return u16le(b, p) | ((long) u16le(b, p + 2) << 16);
  }
}
