package io.github.mobilenet.core.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.MobileNetException;
import io.github.mobilenet.core.TestFiles;
import io.github.mobilenet.core.TestImages;
import io.github.mobilenet.core.image.ImageDecodeException;
import io.github.mobilenet.core.image.ImageDecodeException.Reason;
import io.github.mobilenet.core.image.ImageDecoder;
import io.github.mobilenet.core.image.ImageDecoderTest;
import io.github.mobilenet.core.image.ImageSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input gives an {@link ImageDecodeException} with its reason and the input's
 * name.
 */
class BadInputTest {
  final ImageDecoder decoder = new ImageDecoder();

  ImageDecodeException refused(byte[] bytes, String name, Reason reason) {
    ImageDecodeException e =
        assertThrows(ImageDecodeException.class, () -> decoder.decode(ImageSource.of(bytes, name)));
    assertEquals(reason, e.reason(), e.getMessage());
    assertEquals(name, e.input());
    assertEquals(MobileNetException.ErrorCode.IMAGE_DECODE, e.code());
    assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
    return e;
  }

  static byte[] photoJpeg() {
    return TestImages.read(TestFiles.test("skimage_coffee.jpg"));
  }

  static byte[] photoPng() {
    return TestImages.read(TestFiles.test("skimage_chelsea.png"));
  }

  @Test
  void empty() {
    refused(new byte[0], "empty.jpg", Reason.EMPTY);
  }

  @Test
  void emptyFile(@TempDir Path dir) throws IOException {
    Path f = Files.createFile(dir.resolve("nothing.png"));
    ImageDecodeException e =
        assertThrows(ImageDecodeException.class, () -> decoder.decode(ImageSource.of(f)));
    assertEquals(Reason.EMPTY, e.reason());
    assertEquals(f.toString(), e.input());
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
  }

  @Test
  void missingFileAndFolder(@TempDir Path dir) {
    Path missing = dir.resolve("missing.jpg");
    ImageDecodeException e =
        assertThrows(ImageDecodeException.class, () -> decoder.decode(ImageSource.of(missing)));
    assertEquals(Reason.IO_ERROR, e.reason());
    assertTrue(
        e.getMessage().contains(missing.toString()) && e.getMessage().contains("no such file"),
        e.getMessage());
    e = assertThrows(ImageDecodeException.class, () -> decoder.decode(ImageSource.of(dir)));
    assertEquals(Reason.IO_ERROR, e.reason());
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
  }

  @Test
  void failingStream() {
    InputStream broken =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("disk on fire");
          }
        };
    ImageDecodeException e =
        assertThrows(ImageDecodeException.class, () -> ImageSource.of(broken, "upload-7"));
    assertEquals(Reason.IO_ERROR, e.reason());
    assertTrue(
        e.getMessage().startsWith("upload-7: ") && e.getMessage().contains("disk on fire"),
        e.getMessage());
  }

  @Test
  void truncatedJpeg() {
    byte[] jpeg = photoJpeg();
    refused(Arrays.copyOf(jpeg, jpeg.length / 2), "half.jpg", Reason.TRUNCATED);
    refused(Arrays.copyOf(jpeg, 300), "header-only.jpg", Reason.TRUNCATED);
  }

  @Test
  void truncatedPng() {
    byte[] png = photoPng();
    refused(Arrays.copyOf(png, png.length / 2), "half.png", Reason.TRUNCATED);
    refused(Arrays.copyOf(png, 40), "header-only.png", Reason.TRUNCATED);
  }

  @Test
  void truncatedGifAndBmpAndWebp() {
    byte[] gif = TestImages.encode(ImageDecoderTest.indexed(0xFF0000, 0x00FF00), "gif");
    refused(Arrays.copyOf(gif, gif.length - 12), "cut.gif", Reason.TRUNCATED);
    byte[] bmp = TestImages.encode(TestImages.rgb(40, 30, ImageDecoderTest::pattern), "bmp");
    refused(Arrays.copyOf(bmp, bmp.length / 2), "cut.bmp", Reason.TRUNCATED);
    byte[] webp = TestImages.read(TestImages.fixture("lossy.webp"));
    refused(Arrays.copyOf(webp, webp.length / 2), "cut.webp", Reason.TRUNCATED);
  }

  @Test
  void corruptJpegData() {
    byte[] jpeg = photoJpeg();
    byte[] scrambled = jpeg.clone();
    for (int i = 200; i < 260; i++) {
      scrambled[i] = (byte) 0x55; // inside the quantisation/Huffman tables
    }
    ImageDecodeException e =
        assertThrows(
            ImageDecodeException.class,
            () -> decoder.decode(ImageSource.of(scrambled, "scrambled.jpg")));
    assertTrue(e.reason() == Reason.CORRUPT || e.reason() == Reason.TRUNCATED, e.getMessage());
    assertEquals("scrambled.jpg", e.input());
  }

  @Test
  void notAnImage() {
    ImageDecodeException e =
        refused(
            "name,age\nada,36\n".getBytes(StandardCharsets.UTF_8),
            "people.csv",
            Reason.NOT_AN_IMAGE);
    assertTrue(e.getMessage().contains("6e616d65"), "shows the leading bytes: " + e.getMessage());
    refused(
        "RIFF\u0024\0\0\0WAVEfmt ".getBytes(StandardCharsets.ISO_8859_1),
        "sound.wav",
        Reason.NOT_AN_IMAGE);
  }

  @Test
  void knownButUnsupportedFormatsAreNamed() {
    unsupported("\0\0\0\u0018ftypheic\0\0\0\0mif1heic", "photo.heic", "HEIF");
    unsupported("\0\0\0\u001cftypavif\0\0\0\0avifmif1miaf", "photo.avif", "AVIF");
    unsupported("\0\0\0\u000cjP  \r\n\u0087\n\0\0\0\u0014ftypjp2 ", "scan.jp2", "JPEG 2000");
    unsupported("\u00ff\n\u00fa\u007f\0\0\0\0", "photo.jxl", "JPEG XL");
    unsupported("8BPS\0\1\0\0\0\0\0\0\0\3", "layers.psd", "Photoshop");
  }

  @Test
  void riffWebpWithGarbageIsCorrupt() {
    byte[] bogus = ascii("RIFF\u0020\0\0\0WEBPVP8 \u0014\0\0\0" + "garbagegarbagegarbag");
    ImageDecodeException e =
        assertThrows(
            ImageDecodeException.class, () -> decoder.decode(ImageSource.of(bogus, "bogus.webp")));
    assertTrue(e.reason() == Reason.CORRUPT || e.reason() == Reason.TRUNCATED, e.getMessage());
    assertEquals("bogus.webp", e.input());
  }

  /** {@code bytes} (ISO-8859-1) named {@code name} are refused as a format the message names. */
  private void unsupported(String bytes, String name, String format) {
    String message = refused(ascii(bytes), name, Reason.UNSUPPORTED_FORMAT).getMessage();
    assertTrue(message.contains(format), message);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  // ---- decompression bombs: refused from the header, before any raster exists ----------------

  /** A valid 300-byte PNG whose IHDR declares 50000x50000 RGB (7.5 GB decoded). */
  static byte[] pngBomb() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    ByteBuffer ihdr =
        ByteBuffer.allocate(13)
            .putInt(50_000)
            .putInt(50_000)
            .put((byte) 8)
            .put((byte) 2)
            .put((byte) 0)
            .put((byte) 0)
            .put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    Deflater deflater = new Deflater(9);
    deflater.setInput(new byte[1 + 50_000 * 3]); // first row of zeros; the rest never arrives
    deflater.finish();
    byte[] z = new byte[1024];
    int n = deflater.deflate(z);
    chunk(out, "IDAT", Arrays.copyOf(z, n));
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(12 + data.length);
    b.putInt(data.length).put(type.getBytes(StandardCharsets.US_ASCII)).put(data);
    CRC32 crc = new CRC32();
    crc.update(b.array(), 4, 4 + data.length);
    b.putInt((int) crc.getValue());
    out.writeBytes(b.array());
  }

  /** A GIF whose screen and single frame declare 50000x50000 pixels. */
  static byte[] gifBomb() {
    ByteBuffer b = ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put(ascii("GIF89a"))
        .putShort((short) 50_000)
        .putShort((short) 50_000)
        .put((byte) 0x80)
        .put((byte) 0)
        .put((byte) 0);
    b.put(new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255}); // 2-entry global palette
    b.put((byte) 0x2C)
        .putShort((short) 0)
        .putShort((short) 0)
        .putShort((short) 50_000)
        .putShort((short) 50_000)
        .put((byte) 0);
    b.put((byte) 2)
        .put((byte) 2)
        .put((byte) 0x4C)
        .put((byte) 0x01)
        .put((byte) 0)
        .put((byte) 0x3B); // tiny LZW data, trailer
    return Arrays.copyOf(b.array(), b.position());
  }

  /** A real 16x16 JPEG with its SOF0 frame header patched to 60000x60000. */
  static byte[] jpegBomb() {
    byte[] jpeg = TestImages.jpeg(TestImages.rgb(16, 16, ImageDecoderTest::pattern), 0.9f);
    for (int i = 2; i + 8 < jpeg.length; i++) {
      if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xC0) {
        jpeg[i + 5] = (byte) (60_000 >> 8);
        jpeg[i + 6] = (byte) (60_000 & 0xFF);
        jpeg[i + 7] = (byte) (60_000 >> 8);
        jpeg[i + 8] = (byte) (60_000 & 0xFF);
        return jpeg;
      }
    }
    throw new AssertionError("no SOF0 in the test JPEG");
  }

  @Test
  void decompressionBombsAreRefusedFromTheHeaderWithoutAllocating() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().threadId();
    Object[][] bombs = {
      {pngBomb(), "bomb.png", "50000x50000"},
      {gifBomb(), "bomb.gif", "50000x50000"},
      {jpegBomb(), "bomb.jpg", "60000x60000"}
    };
    for (Object[] bomb : bombs) {
      byte[] bytes = (byte[]) bomb[0];
      assertTrue(bytes.length < 1000, bomb[1] + " is " + bytes.length + " bytes");
      long before = threads.getThreadAllocatedBytes(tid);
      ImageDecodeException e = refused(bytes, (String) bomb[1], Reason.TOO_LARGE);
      long allocated = threads.getThreadAllocatedBytes(tid) - before;
      assertTrue(e.getMessage().contains((String) bomb[2]), e.getMessage());
      assertTrue(
          allocated < 8 << 20, bomb[1] + ": allocated " + allocated + " bytes while refusing");
    }
  }

  @Test
  void pixelLimitIsConfigurable() {
    byte[] png40x30 = TestImages.encode(TestImages.rgb(40, 30, ImageDecoderTest::pattern), "png");
    ImageDecoder strict =
        new ImageDecoder(
            1000, ImageDecoder.DEFAULT_MAX_FILE_BYTES, ImageDecoder.DEFAULT_BACKGROUND);
    ImageDecodeException e =
        assertThrows(
            ImageDecodeException.class, () -> strict.decode(ImageSource.of(png40x30, "40x30.png")));
    assertEquals(Reason.TOO_LARGE, e.reason());
    assertTrue(
        e.getMessage().contains("40x30.png")
            && e.getMessage().contains("1200")
            && e.getMessage().contains("1000"),
        e.getMessage());
    ImageDecoder enough =
        new ImageDecoder(
            1200, ImageDecoder.DEFAULT_MAX_FILE_BYTES, ImageDecoder.DEFAULT_BACKGROUND);
    assertEquals(40, enough.decode(ImageSource.of(png40x30, "40x30.png")).width());
    // Decoded images handed in directly obey the same limit.
    e =
        assertThrows(
            ImageDecodeException.class,
            () -> strict.decode(ImageSource.of(TestImages.rgb(40, 30, (x, y) -> 0), "mem")));
    assertEquals(Reason.TOO_LARGE, e.reason());
  }

  @Test
  void fileSizeLimit(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("big.png");
    Files.write(f, photoPng());
    ImageDecoder small =
        new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, 1000, ImageDecoder.DEFAULT_BACKGROUND);
    ImageDecodeException e =
        assertThrows(ImageDecodeException.class, () -> small.decode(ImageSource.of(f)));
    assertEquals(Reason.TOO_LARGE, e.reason());
    assertTrue(
        e.getMessage().contains(f.toString()) && e.getMessage().contains("1000 bytes"),
        e.getMessage());
  }
}
