package io.github.mobilenet.local.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.local.LocalFeaturesException;
import io.github.mobilenet.local.LocalFeaturesException.Reason;
import io.github.mobilenet.local.Photos;
import io.github.mobilenet.local.extract.OrbExtractor;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LocalFeaturesCodecTest {
  private static LocalFeatures query;

  @BeforeAll
  static void extract() {
    query = new OrbExtractor().extractQuery(Photos.sample("test/darknet_dog.jpg"));
  }

  @Test
  void roundTripIsExactAndCompact() {
    LocalFeatures upright = query.withoutMirror();
    byte[] bytes = LocalFeaturesCodec.encode(upright);
    assertEquals(1000, upright.count());
    assertEquals(24 + 1000 * 45, bytes.length); // 45 024 bytes ≈ 44 KiB per image
    assertEquals(bytes.length, LocalFeaturesCodec.encodedSize(upright));
    LocalFeatures back = LocalFeaturesCodec.decode(bytes, "dog");
    assertEquals(upright, back);
    assertArrayEquals(upright.descriptors(), back.descriptors());
    assertEquals(768, back.width());
    assertEquals(576, back.height());
    assertEquals(1.2f, back.scale());
    for (int i = 0; i < back.count(); i++) {
      assertEquals(upright.x(i), back.x(i));
      assertEquals(upright.angle(i), back.angle(i));
      assertEquals(upright.octave(i), back.octave(i));
    }
  }

  @Test
  void companionRoundTrips() {
    byte[] bytes = LocalFeaturesCodec.encode(query);
    assertEquals(2 * (24 + 1000 * 45), bytes.length);
    LocalFeatures back = LocalFeaturesCodec.decode(bytes, "dog query");
    assertTrue(back.hasMirror());
    assertTrue(back.mirror().mirrored());
    assertEquals(query, back);
  }

  @Test
  void emptyFeaturesRoundTrip() {
    LocalFeatures empty =
        new LocalFeatures(
            10,
            20,
            1f,
            false,
            new float[0],
            new float[0],
            new float[0],
            new float[0],
            new byte[0],
            new long[0],
            null);
    byte[] bytes = LocalFeaturesCodec.encode(empty);
    assertEquals(24, bytes.length);
    assertEquals(empty, LocalFeaturesCodec.decode(bytes, "empty"));
  }

  @Test
  void damagedBytesAreRefusedWithTheirName() {
    byte[] good = LocalFeaturesCodec.encode(query.withoutMirror());
    LocalFeaturesException truncated =
        assertThrows(
            LocalFeaturesException.class,
            () -> LocalFeaturesCodec.decode(Arrays.copyOf(good, good.length - 1), "doc 7"));
    assertEquals(Reason.CORRUPT_DATA, truncated.reason());
    assertEquals("doc 7", truncated.input());
    assertTrue(truncated.getMessage().startsWith("doc 7: corrupt data ("), truncated.getMessage());

    byte[] longer = Arrays.copyOf(good, good.length + 3);
    assertEquals(
        Reason.CORRUPT_DATA,
        assertThrows(LocalFeaturesException.class, () -> LocalFeaturesCodec.decode(longer, "x"))
            .reason());

    byte[] badMagic = good.clone();
    badMagic[0] = 'X';
    assertEquals(
        Reason.CORRUPT_DATA,
        assertThrows(LocalFeaturesException.class, () -> LocalFeaturesCodec.decode(badMagic, "x"))
            .reason());

    byte[] newer = good.clone();
    newer[4] = 2;
    LocalFeaturesException version =
        assertThrows(LocalFeaturesException.class, () -> LocalFeaturesCodec.decode(newer, "x"));
    assertEquals(Reason.UNSUPPORTED_VERSION, version.reason());
    assertTrue(version.getMessage().contains("version 2"), version.getMessage());

    byte[] hugeCount = good.clone();
    hugeCount[20] = (byte) 0xFF;
    hugeCount[23] = (byte) 0x7F;
    assertEquals(
        Reason.CORRUPT_DATA,
        assertThrows(LocalFeaturesException.class, () -> LocalFeaturesCodec.decode(hugeCount, "x"))
            .reason());

    byte[] zeroWidth = good.clone();
    Arrays.fill(zeroWidth, 8, 12, (byte) 0);
    assertEquals(
        Reason.CORRUPT_DATA,
        assertThrows(LocalFeaturesException.class, () -> LocalFeaturesCodec.decode(zeroWidth, "x"))
            .reason());

    assertEquals(
        Reason.CORRUPT_DATA,
        assertThrows(
                LocalFeaturesException.class, () -> LocalFeaturesCodec.decode(new byte[3], "x"))
            .reason());
  }

  @Test
  void inconsistentArraysAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new LocalFeatures(
                10,
                10,
                1f,
                false,
                new float[2],
                new float[2],
                new float[2],
                new float[2],
                new byte[2],
                new long[4],
                null));
    assertThrows(IllegalArgumentException.class, () -> query.withMirror(query.withoutMirror()));
  }
}
