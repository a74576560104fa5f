package io.github.mobilenet.core.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .npy float32 files: the exact header NumPy writes, round trips, and the variants we read. */
class NpyTest {
  static byte[] write(List<float[]> rows) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.write(out, rows);
    return out.toByteArray();
  }

  @Test
  void headerIsWhatNumpyWrites() throws IOException {
    byte[] b = write(List.of(new float[] {1, 2, 3}, new float[] {4, 5, 6}));
    assertEquals((byte) 0x93, b[0]);
    assertEquals("NUMPY", new String(b, 1, 5, StandardCharsets.US_ASCII));
    assertEquals(1, b[6]);
    assertEquals(0, b[7]);
    int headerLen = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
    assertEquals(0, (10 + headerLen) % 64, "data starts on a 64-byte boundary");
    String header = new String(b, 10, headerLen, StandardCharsets.US_ASCII);
    assertTrue(
        header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"), header);
    assertTrue(header.endsWith("\n"));
    assertEquals(10 + headerLen + 6 * 4, b.length);
    ByteBuffer data = ByteBuffer.wrap(b, 10 + headerLen, 24).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 1; i <= 6; i++) {
      assertEquals(i, data.getFloat());
    }
  }

  @Test
  void roundTrip(@TempDir Path dir) throws IOException {
    List<float[]> rows =
        List.of(new float[] {0.5f, -1e-7f, Float.MAX_VALUE}, new float[] {Float.NaN, 3, -0f});
    Path f = dir.resolve("x.npy");
    Npy.write(f, rows);
    List<float[]> back = Npy.read(f);
    assertEquals(2, back.size());
    for (int i = 0; i < 2; i++) {
      assertArrayEquals(rows.get(i), back.get(i));
    }
    byte[] empty = write(List.of());
    assertTrue(new String(empty, StandardCharsets.US_ASCII).contains("'shape': (0, 0)"));
    assertEquals(List.of(), Npy.read(new ByteArrayInputStream(empty), "empty"));
  }

  static byte[] npy(String descr, String shape, boolean fortran, byte[] data) {
    String dict =
        "{'descr': '"
            + descr
            + "', 'fortran_order': "
            + (fortran ? "True" : "False")
            + ", 'shape': "
            + shape
            + ", }\n";
    ByteBuffer b =
        ByteBuffer.allocate(10 + dict.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    b.putShort((short) dict.length()).put(dict.getBytes(StandardCharsets.US_ASCII)).put(data);
    return b.array();
  }

  @Test
  void readsOneDimensionalFloat64AndBigEndian() throws IOException {
    ByteBuffer f8 =
        ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(1.5).putDouble(-2.25);
    List<float[]> v =
        Npy.read(new ByteArrayInputStream(npy("<f8", "(2,)", false, f8.array())), "f8");
    assertEquals(1, v.size());
    assertArrayEquals(new float[] {1.5f, -2.25f}, v.get(0));
    ByteBuffer be = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putFloat(7).putFloat(8);
    assertArrayEquals(
        new float[] {7, 8},
        Npy.read(new ByteArrayInputStream(npy(">f4", "(1, 2)", false, be.array())), "be").get(0));
  }

  @Test
  void refusesWhatItCannotRead() {
    IOException e =
        assertThrows(
            IOException.class,
            () -> Npy.read(new ByteArrayInputStream("hello".getBytes()), "t.npy"));
    assertTrue(e.getMessage().startsWith("t.npy: "), e.getMessage());
    assertThrows(
        IOException.class,
        () -> Npy.read(new ByteArrayInputStream(npy("<i4", "(1,)", false, new byte[4])), "int"));
    assertThrows(
        IOException.class,
        () ->
            Npy.read(new ByteArrayInputStream(npy("<f4", "(1, 1)", true, new byte[4])), "fortran"));
    assertThrows(
        IOException.class,
        () ->
            Npy.read(new ByteArrayInputStream(npy("<f4", "(1, 1, 1)", false, new byte[4])), "3d"));
    assertThrows(
        IOException.class,
        () ->
            Npy.read(new ByteArrayInputStream(npy("<f4", "(2, 2)", false, new byte[8])), "short"));
    assertThrows(IllegalArgumentException.class, () -> write(List.of(new float[2], new float[3])));
  }

  @Test
  void arraysOfAnyShapeRoundTripWithNumpysHeader(@TempDir Path dir) throws IOException {
    float[] v = new float[2 * 3 * 4];
    for (int i = 0; i < v.length; i++) {
      v[i] = i * 0.5f - 3;
    }
    Path f = dir.resolve("a.npy");
    Npy.write(f, new Npy.Array(new int[] {1, 2, 3, 4}, v));
    Npy.Array back = Npy.readArray(f);
    assertArrayEquals(new int[] {1, 2, 3, 4}, back.shape());
    assertArrayEquals(v, back.values());
    byte[] b = java.nio.file.Files.readAllBytes(f);
    String header =
        new String(b, 10, (b[8] & 0xFF) | (b[9] & 0xFF) << 8, StandardCharsets.US_ASCII);
    assertTrue(header.contains("'shape': (1, 2, 3, 4)"), header);
    Npy.write(f, new Npy.Array(new int[] {3}, new float[] {1, 2, 3}));
    b = java.nio.file.Files.readAllBytes(f);
    header = new String(b, 10, (b[8] & 0xFF) | (b[9] & 0xFF) << 8, StandardCharsets.US_ASCII);
    assertTrue(header.contains("'shape': (3,)"), header);
    assertArrayEquals(new float[] {1, 2, 3}, Npy.read(f).get(0));
    assertThrows(
        IllegalArgumentException.class, () -> new Npy.Array(new int[] {2, 2}, new float[3]));
  }
}
