package io.github.mobilenet.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.TestFiles;
import io.github.mobilenet.core.TestImages;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class JpegSegmentsTest {
  // SOI, APP0 (length 4), a fill byte, SOF0 (length 11, 3 components), SOS, scan data, EOI.
  private static final byte[] HEADER =
      HexFormat.of()
          .parseHex(
              "FFD8"
                  + "FFE000044A46"
                  + "FF"
                  + "FFC0000B080010001003012200"
                  + "FFDA00021234"
                  + "FFD9");

  @Test
  void walksTheHeaderSegmentsOverFillBytesToTheFirstScan() {
    JpegSegments s = new JpegSegments(HEADER);
    assertTrue(s.next());
    assertEquals(0xE0, s.marker());
    assertEquals(2, s.offset());
    assertEquals(6, s.payload());
    assertEquals(8, s.end());
    assertFalse(s.atFrame());
    assertTrue(s.next());
    assertEquals(0xC0, s.marker());
    assertEquals(9, s.offset()); // after the fill byte
    assertTrue(s.atFrame());
    assertTrue(s.complete());
    assertFalse(s.next());
    assertTrue(s.atScan());
    assertEquals(22, s.offset());
    assertFalse(s.corrupt());
    assertFalse(s.next()); // stays ended
    assertEquals(22, s.offset());
  }

  @Test
  void tellsCorruptBytesFromDataThatRunsOut() {
    byte[] corrupt = HEADER.clone();
    corrupt[8] = 0x12; // where the fill byte before SOF should be
    JpegSegments bad = new JpegSegments(corrupt);
    bad.skipRest();
    assertTrue(bad.corrupt());
    assertEquals(-1, bad.marker());

    JpegSegments cut = new JpegSegments(Arrays.copyOf(HEADER, 14));
    assertTrue(cut.next());
    assertTrue(cut.next());
    assertFalse(cut.complete()); // SOF spans 13 bytes, 5 are there
    assertFalse(cut.next());
    assertFalse(cut.corrupt());
    assertFalse(cut.atScan());
    assertEquals(-1, cut.marker());
  }

  @Test
  void aRealPhotosHeaderEndsAtItsScanWithItsFrameAndProfileSeen() {
    byte[] photo =
        TestImages.withProfile(
            TestImages.read(TestFiles.test("kodak_kodim05.jpg")), TestImages.displayP3(0));
    List<Integer> markers = new ArrayList<>();
    JpegSegments s = new JpegSegments(photo);
    while (s.next()) {
      assertTrue(s.complete());
      markers.add(s.marker());
    }
    assertTrue(s.atScan());
    assertTrue(markers.contains(0xE2), markers.toString());
    assertTrue(markers.stream().anyMatch(m -> m == 0xC0 || m == 0xC2), markers.toString());
    assertEquals(0xFF, photo[s.offset()] & 0xFF);
    assertEquals(0xDA, photo[s.offset() + 1] & 0xFF);
  }
}
