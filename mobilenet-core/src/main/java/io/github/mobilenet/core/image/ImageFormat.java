package io.github.mobilenet.core.image;

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
    if (startsWith(b, 0, new byte[] {'I', 'I', 42, 0})
        || startsWith(b, 0, new byte[] {'M', 'M', 0, 42})) {
      return TIFF;
    }
    return null;
  }

  /**
   * The name of a well-known image format that this library cannot decode (HEIF, AVIF, JPEG 2000,
   * JPEG XL, Photoshop), so the error can say so instead of "not an image"; null otherwise.
   */
  static String unsupported(byte[] b) {
    if (startsWith(b, 4, ascii("ftyp")) && b.length >= 12) {
      // ISO base media file: the brands tell HEIF stills from AVIF (both may list mif1).
      String brands = new String(b, 8, Math.min(b.length, 64) - 8, StandardCharsets.ISO_8859_1);
      if (brands.contains("avif") || brands.contains("avis")) {
        return "AVIF";
      }
      for (String heif :
          new String[] {"heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"}) {
        if (brands.startsWith(heif)) {
          return "HEIF/HEIC";
        }
      }
      return null;
    }
    if (startsWith(
            b, 0, new byte[] {0, 0, 0, 12, 'j', 'P', ' ', ' ', '\r', '\n', (byte) 0x87, '\n'})
        || startsWith(b, 0, new byte[] {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51})) {
      return "JPEG 2000";
    }
    if (startsWith(b, 0, new byte[] {(byte) 0xFF, 0x0A})
        || startsWith(
            b, 0, new byte[] {0, 0, 0, 12, 'J', 'X', 'L', ' ', '\r', '\n', (byte) 0x87, '\n'})) {
      return "JPEG XL";
    }
    if (startsWith(b, 0, ascii("8BPS"))) {
      return "Photoshop (PSD)";
    }
    return null;
  }

  /**
   * True when the bytes stop before the end their own structure declares: no JPEG end-of-image
   * marker after the first scan, no PNG IEND chunk, no GIF trailer, a BMP pixel array or WebP RIFF
   * chunk that runs past the end. Tells a cut-off download from corrupt data. Never true for TIFF
   * (offsets point anywhere).
   */
  static boolean endsEarly(byte[] b, ImageFormat format) {
    try {
      return switch (format) {
        case JPEG -> !jpegHasEndAfterScan(b);
        case PNG -> !pngHasEnd(b);
        case GIF -> b[b.length - 1] != 0x3B;
        case BMP -> bmpEnd(b) > b.length;
        case WEBP -> 8 + u32le(b, 4) > b.length;
        case TIFF -> false;
      };
    } catch (IndexOutOfBoundsException e) {
      return true; // the header itself is cut
    }
  }

  /**
   * True when a JPEG carries an ICC profile (an APP2 "ICC_PROFILE" segment before its first scan),
   * or its header cannot be walked.
   */
  static boolean jpegHasIccProfile(byte[] b) {
    return iccProfileStart(b) != 0;
  }

  /**
   * True when ImageIO would convert this JPEG's colours through an embedded ICC profile: it has
   * one, and its description does not name sRGB (Adobe RGB, Display P3, ...), or it cannot be read.
   * Profiles named sRGB are taken as they are, like ImageIO does.
   */
  static boolean jpegNeedsColourConversion(byte[] b) {
    int start = iccProfileStart(b);
    if (start <= 0) {
      return start < 0;
    }
    try {
      int segmentEnd = start - 14 - 2 + (((b[start - 16] & 0xFF) << 8) | (b[start - 15] & 0xFF));
      int tags = (int) u32be(b, start + 128);
      for (int i = 0; i < tags && start + 132 + 12 * i + 12 <= segmentEnd; i++) {
        int e = start + 132 + 12 * i;
        if (startsWith(b, e, ascii("desc"))) {
          long from = start + u32be(b, e + 4);
          long to = Math.min(segmentEnd, from + u32be(b, e + 8));
          byte[] utf16 = "sRGB".getBytes(StandardCharsets.UTF_16BE);
          for (int j = (int) from; j + 4 <= to; j++) {
            if (startsWith(b, j, ascii("sRGB")) || startsWith(b, j, utf16)) {
              return !startsWith(b, start + 16, ascii("RGB "));
            }
          }
          return true;
        }
      }
    } catch (IndexOutOfBoundsException e) {
      return true;
    }
    return true;
  }

  /**
   * Where the first ICC profile's bytes start (after its APP2 segment's 14-byte tag), 0 when there
   * is none, -1 when the header cannot be walked.
   */
  private static int iccProfileStart(byte[] b) {
    byte[] tag = ascii("ICC_PROFILE");
    JpegSegments s = new JpegSegments(b);
    while (s.next()) {
      if (s.marker() == 0xE2 && startsWith(b, s.payload(), tag)) {
        return s.payload() + 14;
      }
    }
    return s.atScan() ? 0 : -1;
  }

  private static boolean jpegHasEndAfterScan(byte[] b) {
    JpegSegments s = new JpegSegments(b);
    s.skipRest();
    if (s.corrupt()) {
      return true; // not a marker where one should be: corrupt, not cut
    }
    // Entropy-coded data never contains FF D9 (FF is stuffed as FF 00), so any FF D9 after SOS is
    // EOI. Searched from the end, where a whole file has it, instead of through all the scan data.
    for (int i = b.length - 2; i >= s.offset(); i--) {
      if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xD9) {
        return true;
      }
    }
    return false;
  }

  private static boolean pngHasEnd(byte[] b) {
    long p = 8;
    while (p + 8 <= b.length) {
      long len = u32be(b, (int) p);
      if (startsWith(b, (int) p + 4, ascii("IEND"))) {
        return true;
      }
      p += 12 + len;
    }
    return false;
  }

  /**
   * Where the pixel array of an uncompressed BMP ends (from its header), else the declared file
   * size.
   */
  private static long bmpEnd(byte[] b) {
    long fileSize = u32le(b, 2);
    long offset = u32le(b, 10);
    long headerSize = u32le(b, 14);
    if (headerSize >= 40) {
      long width = Math.abs((int) u32le(b, 18));
      long height = Math.abs((int) u32le(b, 22));
      int bits = (b[28] & 0xFF) | (b[29] & 0xFF) << 8;
      long compression = u32le(b, 30);
      if (compression == 0 || compression == 3) { // BI_RGB, BI_BITFIELDS: rows padded to 4 bytes
        return offset + (bits * width + 31) / 32 * 4 * height;
      }
    }
    return fileSize;
  }

  private static long u32le(byte[] b, int p) {
    return (b[p] & 0xFFL)
        | (b[p + 1] & 0xFFL) << 8
        | (b[p + 2] & 0xFFL) << 16
        | (b[p + 3] & 0xFFL) << 24;
  }

  private static long u32be(byte[] b, int p) {
    return (b[p] & 0xFFL) << 24
        | (b[p + 1] & 0xFFL) << 16
        | (b[p + 2] & 0xFFL) << 8
        | (b[p + 3] & 0xFFL);
  }

  static boolean startsWith(byte[] b, int at, byte[] prefix) {
    return b.length >= at + prefix.length
        && Arrays.equals(b, at, at + prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
