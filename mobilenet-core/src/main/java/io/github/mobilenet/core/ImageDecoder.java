package io.github.mobilenet.core;

import io.github.mobilenet.core.ImageDecodeException.Reason;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes any common image into an upright 8-bit sRGB {@link RgbImage}, safely.
 *
 * <ul>
 *   <li>The format is sniffed from the bytes, never taken from a file name.
 *   <li>The pixel count is read from the header and checked against {@link #maxPixels()} before any
 *       raster is allocated (decompression bombs).
 *   <li>When {@code minSide > 0} and the image is at least twice that on its shorter side, the reader
 *       subsamples while decoding, keeping the shorter side at or above {@code minSide}: a 12 MP photo
 *       never becomes a 36 MB raster when the model needs 224².
 *   <li>EXIF orientation (all 8 values) is applied; gray becomes R=G=B; 16-bit samples are scaled to 8
 *       bits; CMYK/YCCK JPEGs are converted to RGB; alpha is composited over {@link #background()}.
 * </ul>
 *
 * Thread-safe and cheap to share.
 */
public final class ImageDecoder {
  /** 100 megapixels: larger than any camera photo, small enough to refuse bombs. */
  public static final long DEFAULT_MAX_PIXELS = 100_000_000L;
  /** Encoded files above this size are refused before reading. */
  public static final long DEFAULT_MAX_FILE_BYTES = 256L << 20;
  /** Transparent pixels are composited over white, as browsers show them on a default page. */
  public static final int DEFAULT_BACKGROUND = 0xFFFFFF;

  static {
    ImageIO.setUseCache(false); // decode in memory; never write temp files
  }

  private final long maxPixels;
  private final long maxFileBytes;
  private final int background;

  public ImageDecoder() {
    this(DEFAULT_MAX_PIXELS, DEFAULT_MAX_FILE_BYTES, DEFAULT_BACKGROUND);
  }

  /**
   * @param maxPixels images whose header declares more pixels are refused with {@link Reason#TOO_LARGE}
   * @param maxFileBytes files larger than this are refused before reading
   * @param background RGB (0xRRGGBB) that transparent pixels are composited over
   */
  public ImageDecoder(long maxPixels, long maxFileBytes, int background) {
    if (maxPixels <= 0 || maxFileBytes <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
    this.maxPixels = maxPixels;
    this.maxFileBytes = maxFileBytes;
    this.background = background & 0xFFFFFF;
  }

  public long maxPixels() {
    return maxPixels;
  }

  public int background() {
    return background;
  }

  /** Decodes at full resolution. */
  public RgbImage decode(ImageSource source) {
    return decode(source, 0);
  }

  /**
   * Decodes, possibly at a reduced resolution whose shorter side stays at least {@code minSide}
   * (0 = full resolution).
   */
  public RgbImage decode(ImageSource source, int minSide) {
    return switch (source) {
      case ImageSource.DecodedSource d -> toRgb(d.image(), d.name());
      case ImageSource.BytesSource b -> decode(b.bytes(), b.name(), minSide);
      case ImageSource.FileSource f -> decode(f.read(maxFileBytes), f.name(), minSide);
    };
  }

  private RgbImage decode(byte[] bytes, String name, int minSide) {
    if (bytes.length == 0) {
      throw new ImageDecodeException(name, Reason.EMPTY, "0 bytes");
    }
    if (bytes.length > maxFileBytes) {
      throw new ImageDecodeException(name, Reason.TOO_LARGE,
          bytes.length + " bytes exceeds the limit of " + maxFileBytes + " bytes");
    }
    ImageFormat format = ImageFormat.sniff(bytes);
    if (format == null) {
      throw new ImageDecodeException(name, Reason.NOT_AN_IMAGE, "unrecognised file signature " + hexHead(bytes));
    }
    BufferedImage image = read(bytes, name, format, minSide);
    return toRgb(image, name).oriented(ExifOrientation.read(bytes, format));
  }

  private BufferedImage read(byte[] bytes, String name, ImageFormat format, int minSide) {
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      ImageReader reader = readerFor(in, format, name);
      try {
        reader.setInput(in, true, true);
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        if (w <= 0 || h <= 0) {
          throw new ImageDecodeException(name, Reason.CORRUPT, "header declares size " + w + "x" + h);
        }
        if ((long) w * h > maxPixels) {
          throw new ImageDecodeException(name, Reason.TOO_LARGE,
              w + "x" + h + " = " + ((long) w * h) + " pixels exceeds the limit of " + maxPixels);
        }
        ImageReadParam param = reader.getDefaultReadParam();
        int factor = minSide > 0 ? Math.min(w, h) / minSide : 1;
        if (factor >= 2) {
          param.setSourceSubsampling(factor, factor, 0, 0);
        }
        TruncationListener truncation = new TruncationListener();
        reader.addIIOReadWarningListener(truncation);
        BufferedImage image = reader.read(0, param);
        if (truncation.message != null) {
          throw new ImageDecodeException(name, Reason.TRUNCATED, truncation.message);
        }
        return image;
      } finally {
        reader.dispose();
      }
    } catch (ImageDecodeException e) {
      throw e;
    } catch (EOFException e) {
      throw new ImageDecodeException(name, Reason.TRUNCATED, "unexpected end of " + format + " data", e);
    } catch (IOException | RuntimeException e) {
      // ImageIO readers signal corrupt data with IIOException and, sadly, with assorted runtime exceptions.
      String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      Reason reason = isTruncation(e) ? Reason.TRUNCATED : Reason.CORRUPT;
      throw new ImageDecodeException(name, reason, format + " decoder: " + detail, e);
    } catch (OutOfMemoryError e) {
      throw new ImageDecodeException(name, Reason.TOO_LARGE, "out of memory while decoding", null);
    }
  }

  private static ImageReader readerFor(ImageInputStream in, ImageFormat format, String name) {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.name().toLowerCase(java.util.Locale.ROOT));
    if (!readers.hasNext()) {
      throw new ImageDecodeException(name, Reason.UNSUPPORTED_FORMAT, "no ImageIO reader for " + format);
    }
    return readers.next();
  }

  private static boolean isTruncation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof EOFException) {
        return true;
      }
      String m = t.getMessage();
      if (m != null && (m.contains("Premature end") || m.contains("Unexpected end") || m.contains("EOF"))) {
        return true;
      }
    }
    return false;
  }

  private static final class TruncationListener implements javax.imageio.event.IIOReadWarningListener {
    String message;

    @Override
    public void warningOccurred(ImageReader source, String warning) {
      // The JPEG decoder fills missing data with gray and only warns; we refuse silent garbage.
      // JDK reader: "Premature end of JPEG file"; TwelveMonkeys: "Truncated File - Missing EOI marker",
      // "Corrupt JPEG data: premature end of data segment".
      String w = warning == null ? "" : warning.toLowerCase(java.util.Locale.ROOT);
      if (message == null && (w.contains("premature end") || w.contains("truncated file"))) {
        message = warning;
      }
    }
  }

  private static String hexHead(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(8, b.length); i++) {
      s.append(String.format("%02x", b[i] & 0xFF));
    }
    return s.toString();
  }

  /** Converts any BufferedImage to 8-bit sRGB, compositing alpha over the background. */
  RgbImage toRgb(BufferedImage image, String name) {
    int w = image.getWidth();
    int h = image.getHeight();
    if ((long) w * h > maxPixels) {
      throw new ImageDecodeException(name, Reason.TOO_LARGE, w + "x" + h + " exceeds the limit of " + maxPixels + " pixels");
    }
    byte[] out = new byte[Math.multiplyExact(w * h, 3)];
    Raster raster = image.getRaster();
    int bands = raster.getNumBands();
    boolean gray = image.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY
        && image.getColorModel().getNumColorComponents() == 1;
    if (copyInterleavedBgr(image, out)) {
      return new RgbImage(w, h, out);
    }
    if (gray && (bands == 1 || bands == 2)) {
      grayToRgb(raster, bands == 2, out);
      return new RgbImage(w, h, out);
    }
    boolean alpha = image.getColorModel().hasAlpha();
    int[] row = new int[w];
    int br = (background >> 16) & 0xFF;
    int bg = (background >> 8) & 0xFF;
    int bb = background & 0xFF;
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w); // converts palettes, 16-bit and other colour models to sRGB
      for (int x = 0, d = y * w * 3; x < w; x++, d += 3) {
        int p = row[x];
        int r = (p >> 16) & 0xFF;
        int g = (p >> 8) & 0xFF;
        int b = p & 0xFF;
        if (alpha) {
          int a = p >>> 24;
          r = blend(r, br, a);
          g = blend(g, bg, a);
          b = blend(b, bb, a);
        }
        out[d] = (byte) r;
        out[d + 1] = (byte) g;
        out[d + 2] = (byte) b;
      }
    }
    return new RgbImage(w, h, out);
  }

  private static int blend(int c, int bg, int a) {
    return (c * a + bg * (255 - a) + 127) / 255;
  }

  /** Fast path for the 3-byte interleaved rasters that JPEG and RGB PNG decode to. */
  private static boolean copyInterleavedBgr(BufferedImage image, byte[] out) {
    if (image.getType() != BufferedImage.TYPE_3BYTE_BGR) {
      return false;
    }
    Raster raster = image.getRaster();
    if (!(raster.getDataBuffer() instanceof DataBufferByte buffer)
        || !(raster.getSampleModel() instanceof ComponentSampleModel sm)
        || sm.getPixelStride() != 3) {
      return false;
    }
    byte[] data = buffer.getData();
    int[] offsets = sm.getBandOffsets(); // for BGR: R at 2, G at 1, B at 0
    int stride = sm.getScanlineStride();
    int base = buffer.getOffset() - raster.getSampleModelTranslateY() * stride - raster.getSampleModelTranslateX() * 3;
    int w = image.getWidth();
    int h = image.getHeight();
    int r = offsets[0];
    int g = offsets[1];
    int b = offsets[2];
    for (int y = 0; y < h; y++) {
      int s = base + y * stride;
      int d = y * w * 3;
      for (int x = 0; x < w; x++, s += 3, d += 3) {
        out[d] = data[s + r];
        out[d + 1] = data[s + g];
        out[d + 2] = data[s + b];
      }
    }
    return true;
  }

  /**
   * Gray samples are copied as they are (R=G=B=v scaled to 8 bits). Going through Java2D would treat
   * CS_GRAY as linear light and brighten the image, unlike every other decoder.
   */
  private void grayToRgb(Raster raster, boolean withAlpha, byte[] out) {
    int w = raster.getWidth();
    int h = raster.getHeight();
    int bits = raster.getSampleModel().getSampleSize(0);
    long max = (1L << bits) - 1;
    int alphaBits = withAlpha ? raster.getSampleModel().getSampleSize(1) : 8;
    long alphaMax = (1L << alphaBits) - 1;
    int[] v = new int[w];
    int[] a = withAlpha ? new int[w] : null;
    int rx = raster.getMinX();
    int ry = raster.getMinY();
    for (int y = 0; y < h; y++) {
      raster.getSamples(rx, ry + y, w, 1, 0, v);
      if (withAlpha) {
        raster.getSamples(rx, ry + y, w, 1, 1, a);
      }
      for (int x = 0, d = y * w * 3; x < w; x++, d += 3) {
        int g8 = (int) (((v[x] & 0xFFFFFFFFL) * 255 + max / 2) / max);
        int r = g8;
        int g = g8;
        int b = g8;
        if (withAlpha) {
          int a8 = (int) (((a[x] & 0xFFFFFFFFL) * 255 + alphaMax / 2) / alphaMax);
          r = blend(g8, (background >> 16) & 0xFF, a8);
          g = blend(g8, (background >> 8) & 0xFF, a8);
          b = blend(g8, background & 0xFF, a8);
        }
        out[d] = (byte) r;
        out[d + 1] = (byte) g;
        out[d + 2] = (byte) b;
      }
    }
  }

  static boolean isByteRaster(Raster r) {
    return r.getDataBuffer().getDataType() == DataBuffer.TYPE_BYTE;
  }
}
