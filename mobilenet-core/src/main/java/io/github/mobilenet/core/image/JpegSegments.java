package io.github.mobilenet.core.image;

/**
 * A cursor over a JPEG's marker segments, from after its start-of-image marker up to its first
 * start of scan: the one walk that metadata readers (EXIF, ICC) and the truncation check share. It
 * reads only the bytes it is at, never past the end, and tells where it stopped: at a start of scan
 * or end of image ({@link #marker()}), at bytes that are not a marker ({@link #corrupt()}), or at
 * the end of the data.
 */
final class JpegSegments {
  private static final int START_OF_SCAN = 0xDA;
  private static final int END_OF_IMAGE = 0xD9;

  private final byte[] jpeg;
  private int offset = 2;
  private int marker = -1;
  private int length;
  private boolean corrupt;
  private boolean ended;

  JpegSegments(byte[] jpeg) {
    this.jpeg = jpeg;
  }

  /**
   * Moves to the next segment that carries a length; false when the walk ends: at a start of scan
   * or end of image, at a byte where a marker should be and is not, or when fewer than four bytes
   * are left.
   */
  boolean next() {
    if (ended) {
      return false;
    }
    if (marker >= 0) {
      offset += 2 + length;
    }
    ended = true; // until a segment is found below
    while (offset + 4 <= jpeg.length) {
      if ((jpeg[offset] & 0xFF) != 0xFF) {
        corrupt = true;
        marker = -1;
        return false;
      }
      int m = jpeg[offset + 1] & 0xFF;
      if (m == 0xFF) { // a fill byte before the marker
        offset++;
        continue;
      }
      marker = m;
      if (m == START_OF_SCAN || m == END_OF_IMAGE) {
        length = 0;
        return false;
      }
      length = ((jpeg[offset + 2] & 0xFF) << 8) | (jpeg[offset + 3] & 0xFF);
      ended = false;
      return true;
    }
    marker = -1;
    return false;
  }

  /** Walks past the segments left, to where the walk ends. */
  void skipRest() {
    while (next()) {
      continue;
    }
  }

  /** The marker byte after 0xFF of the segment the cursor is at; -1 once the data ran out. */
  int marker() {
    return marker;
  }

  /** True when the cursor stopped at the start of the first scan. */
  boolean atScan() {
    return marker == START_OF_SCAN;
  }

  /** True when the walk stopped at a byte where a marker should be and is not. */
  boolean corrupt() {
    return corrupt;
  }

  /** Offset of the current segment's 0xFF marker byte (or, after the walk, where it stopped). */
  int offset() {
    return offset;
  }

  /** Offset of the current segment's payload, after its marker and length field. */
  int payload() {
    return offset + 4;
  }

  /** Offset one past the current segment's last byte, as its length field declares it. */
  int end() {
    return offset + 2 + length;
  }

  /** The current segment's length field: its payload plus the two bytes of the field. */
  int length() {
    return length;
  }

  /** True when the current segment ends within the data. */
  boolean complete() {
    return end() <= jpeg.length;
  }

  /** True when the current segment is a start of frame (SOF0-SOF15, not DHT, JPG or DAC). */
  boolean atFrame() {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
  }
}
