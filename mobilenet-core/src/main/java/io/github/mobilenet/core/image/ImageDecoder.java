package io.github.mobilenet.core.image;

import io.github.mobilenet.core.image.ImageDecodeException.Reason;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes any common image into an upright 8-bit sRGB {@link RgbImage}, safely.
 *
 * <ul>
 *   <li>The format is sniffed from the bytes, never taken from a file name.
 *   <li>The pixel count is read from the header and checked against {@link #maxPixels()} before any
 *       raster is allocated (decompression bombs).
 *   <li>When {@code minSide > 0} and the image is at least twice that on its shorter side, it is
 *       reduced by an integer factor, averaging each k×k block, keeping the shorter side at or
 *       above {@code minSide}. An area average cannot alias; the resize to the network's input that
 *       follows is then cheap. (ImageIO cannot decode JPEG at a reduced scale, and reading every
 *       k-th pixel would alias noise and texture.)
 *   <li>{@link #decode(ImageSource, int, int)} decodes plain JPEGs with libjpeg-turbo when this JVM
 *       (22+) finds it, scaled in the DCT domain by 1/2, 1/4 or 1/8; everything else, and every
 *       JPEG when it is missing, goes through ImageIO as above.
 *   <li>EXIF orientation (all 8 values) is applied; gray becomes R=G=B; 16-bit samples are scaled
 *       to 8 bits; CMYK/YCCK JPEGs are converted to RGB; alpha is composited over {@link
 *       #background()}.
 * </ul>
 *
 * Thread-safe and cheap to share.
 */
public final class ImageDecoder {
  /** 100 megapixels: larger than any camera photo, small enough to refuse bombs. */
  public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

  /** The most pixels an {@link RgbImage} can hold (3 bytes each in one array). */
  public static final long MAX_PIXELS_POSSIBLE = (Integer.MAX_VALUE - 8) / 3;

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
  private final RgbConversion conversion;
  private final ScaledJpegDecoder scaledJpeg;

  /** Loaded once per JVM: binding the native library is not free, and it never changes. */
  private static final class Native {
    static final ScaledJpegDecoder JPEG = ScaledJpegDecoder.load();
  }

  /**
   * Default limits (100 MP, 256 MB) and a white background. Like every public constructor, it uses
   * libjpeg-turbo unless {@code -Dmobilenet.turbojpeg=off} is set when it runs.
   */
  public ImageDecoder() {
    this(DEFAULT_MAX_PIXELS, DEFAULT_MAX_FILE_BYTES, DEFAULT_BACKGROUND);
  }

  /**
   * @param maxPixels images whose header declares more pixels are refused with {@link
   *     Reason#TOO_LARGE} (at most {@link #MAX_PIXELS_POSSIBLE})
   * @param maxFileBytes files larger than this are refused before reading
   * @param background RGB (0xRRGGBB) that transparent pixels are composited over
   */
  public ImageDecoder(long maxPixels, long maxFileBytes, int background) {
    this(
        maxPixels,
        maxFileBytes,
        background,
        "off".equalsIgnoreCase(System.getProperty(ScaledJpegDecoder.PROPERTY, ""))
            ? null
            : Native.JPEG);
  }

  /** As above, with the scaled JPEG decoder given (null: ImageIO only); for tests. */
  ImageDecoder(long maxPixels, long maxFileBytes, int background, ScaledJpegDecoder scaledJpeg) {
    if (maxPixels <= 0 || maxFileBytes <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
    if (maxPixels > MAX_PIXELS_POSSIBLE) {
      throw new IllegalArgumentException(
          "maxPixels "
              + maxPixels
              + " exceeds "
              + MAX_PIXELS_POSSIBLE
              + ", the largest RGB image a Java array holds");
    }
    this.maxPixels = maxPixels;
    this.maxFileBytes = maxFileBytes;
    this.background = background & 0xFFFFFF;
    this.conversion = new RgbConversion(maxPixels, this.background);
    this.scaledJpeg = scaledJpeg;
  }

  /**
   * What decodes JPEGs in {@link #decode(ImageSource, int, int)}: libjpeg-turbo with DCT scaling,
   * or ImageIO when that cannot run here (Java 21, no libturbojpeg, {@code
   * -Dmobilenet.turbojpeg=off}).
   */
  public String jpegDecoder() {
    return scaledJpeg != null ? scaledJpeg.description() : "ImageIO (no DCT scaling)";
  }

  /** Images declaring more pixels are refused. */
  public long maxPixels() {
    return maxPixels;
  }

  /** Encoded files larger than this many bytes are refused before reading. */
  public long maxFileBytes() {
    return maxFileBytes;
  }

  /** RGB (0xRRGGBB) that transparency is composited over. */
  public int background() {
    return background;
  }

  /** Decodes at full resolution. */
  public RgbImage decode(ImageSource source) {
    return decode(source, 0);
  }

  /**
   * Decodes, possibly reduced by block averaging to a resolution whose shorter side stays at least
   * {@code minSide} (0 = full resolution).
   */
  public RgbImage decode(ImageSource source, int minSide) {
    return decode(source, minSide, 0);
  }

  /**
   * Decodes for a network input of shorter side {@code scaledMinSide}: a plain JPEG is decoded by
   * libjpeg-turbo (when present, see {@link #jpegDecoder()}) at the smallest DCT-domain scale of
   * 1/2, 1/4, 1/8 whose shorter side stays at least {@code scaledMinSide}; then, like every other
   * image, block-averaged while its shorter side stays at least {@code minSide}. The result is
   * within a small tolerance of a full decode (docs/PERFORMANCE.md), not equal to it. A JPEG with a
   * matrix/TRC RGB profile (Display P3, Adobe RGB) is converted to sRGB after decoding, as ImageIO
   * converts it. CMYK/YCCK JPEGs, JPEGs with other ICC profiles, truncated or damaged ones, and all
   * other formats take the ImageIO path, so limits, errors and colours stay exactly those of {@link
   * #decode(ImageSource, int)}. {@code scaledMinSide} 0 is that method.
   */
  public RgbImage decode(ImageSource source, int minSide, int scaledMinSide) {
    return switch (source) {
      case ImageSource.DecodedSource d ->
          reduce(conversion.toRgb(d.image(), d.name(), false), minSide);
      case ImageSource.BytesSource b -> decode(b.bytes(), b.name(), minSide, scaledMinSide);
      case ImageSource.FileSource f ->
          decode(f.read(maxFileBytes), f.name(), minSide, scaledMinSide);
    };
  }

  private static RgbImage reduce(RgbImage rgb, int minSide) {
    int factor = minSide > 0 ? Math.min(rgb.width(), rgb.height()) / minSide : 1;
    return factor >= 2 ? areaReduce(rgb, factor) : rgb;
  }

  private RgbImage decode(byte[] bytes, String name, int minSide, int scaledMinSide) {
    if (bytes.length == 0) {
      throw new ImageDecodeException(name, Reason.EMPTY, "0 bytes");
    }
    if (bytes.length > maxFileBytes) {
      throw new ImageDecodeException(
          name,
          Reason.TOO_LARGE,
          bytes.length + " bytes exceeds the limit of " + maxFileBytes + " bytes");
    }
    ImageFormat format = ImageFormat.sniff(bytes);
    if (format == null) {
      String known = ImageFormat.unsupported(bytes);
      if (known != null) {
        throw new ImageDecodeException(
            name,
            Reason.UNSUPPORTED_FORMAT,
            known + " images cannot be decoded here; convert to JPEG or PNG");
      }
      throw new ImageDecodeException(
          name, Reason.NOT_AN_IMAGE, "unrecognised file signature " + hexHead(bytes));
    }
    if (format == ImageFormat.JPEG
        && scaledMinSide > 0
        && scaledJpeg != null
        && !ImageFormat.endsEarly(bytes, format)) {
      // A profile other than sRGB is converted here when it is a plain matrix/TRC one (phones'
      // Display P3, Adobe RGB), as ImageIO would; any other stays on ImageIO.
      boolean convert = ImageFormat.jpegNeedsColourConversion(bytes);
      MatrixShaperConversion toSrgb = convert ? MatrixShaperConversion.of(bytes) : null;
      if (!convert || toSrgb != null) {
        RgbImage scaled = scaledJpeg.decode(bytes, scaledMinSide, maxPixels);
        if (scaled != null) {
          RgbImage srgb = toSrgb == null ? scaled : toSrgb.applyInPlace(scaled);
          return reduce(srgb, minSide).oriented(ExifOrientation.read(bytes, format));
        }
      }
    }
    BufferedImage image = read(bytes, name, format);
    // Reduce before turning upright: rotating the smaller image is cheaper, the result the same.
    return reduce(conversion.toRgb(image, name, true), minSide)
        .oriented(ExifOrientation.read(bytes, format));
  }

  private BufferedImage read(byte[] bytes, String name, ImageFormat format) {
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      ImageReader reader = readerFor(in, format, name);
      try {
        reader.setInput(in, true, true);
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        if (w <= 0 || h <= 0) {
          throw new ImageDecodeException(
              name, Reason.CORRUPT, "header declares size " + w + "x" + h);
        }
        if ((long) w * h > maxPixels) {
          throw new ImageDecodeException(
              name,
              Reason.TOO_LARGE,
              w + "x" + h + " = " + ((long) w * h) + " pixels exceeds the limit of " + maxPixels);
        }
        ImageReadParam param = reader.getDefaultReadParam();
        if ((format == ImageFormat.JPEG || format == ImageFormat.PNG)
            && decodesToSrgbBytes(reader)) {
          // The readers' default, 3-byte BGR, costs a per-pixel reorder of every row; R,G,B order
          // is copied
          // row by row, and toRgb can then take the array as it is. Same pixels, ~40 % less decode
          // time.
          param.setDestination(rgbDestination(w, h));
        }
        TruncationListener truncation = new TruncationListener();
        reader.addIIOReadWarningListener(truncation);
        BufferedImage image = reader.read(0, param);
        if (truncation.message != null) {
          throw new ImageDecodeException(name, Reason.TRUNCATED, truncation.message);
        }
        if (format != ImageFormat.PNG
            && format != ImageFormat.GIF
            && ImageFormat.endsEarly(bytes, format)) {
          // Some readers fill in missing data silently; PNG and GIF readers fail instead, or have
          // all they need.
          throw new ImageDecodeException(
              name, Reason.TRUNCATED, "the " + format + " data ends before its declared end");
        }
        return image;
      } finally {
        reader.dispose();
      }
    } catch (ImageDecodeException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // ImageIO readers signal bad data with IIOException and, sadly, with assorted runtime
      // exceptions.
      String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      Reason reason =
          ImageFormat.endsEarly(bytes, format) || e instanceof EOFException
              ? Reason.TRUNCATED
              : Reason.CORRUPT;
      throw new ImageDecodeException(name, reason, format + " decoder: " + detail, e);
    } catch (OutOfMemoryError e) {
      throw new ImageDecodeException(name, Reason.TOO_LARGE, "out of memory while decoding", null);
    }
  }

  private static ImageReader readerFor(ImageInputStream in, ImageFormat format, String name) {
    Iterator<ImageReader> readers =
        ImageIO.getImageReadersByFormatName(format.name().toLowerCase(java.util.Locale.ROOT));
    if (!readers.hasNext()) {
      throw new ImageDecodeException(
          name, Reason.UNSUPPORTED_FORMAT, "no ImageIO reader for " + format);
    }
    return readers.next();
  }

  private static final class TruncationListener
      implements javax.imageio.event.IIOReadWarningListener {
    String message;

    @Override
    public void warningOccurred(ImageReader source, String warning) {
      // JPEG readers fill missing data with gray and only warn; we refuse silent garbage. Other
      // warnings
      // (e.g. "extraneous bytes before marker") are common in good files and are ignored.
      String w = warning == null ? "" : warning.toLowerCase(java.util.Locale.ROOT);
      if (message == null
          && (w.contains("premature end")
              || w.contains("truncated")
              || w.contains("missing eoi"))) {
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

  /**
   * Averages each k×k block into one pixel (rounded); the last row and column of blocks may be
   * narrower and average what they cover. Output size ceil(w / k) × ceil(h / k).
   */
  static RgbImage areaReduce(RgbImage image, int k) {
    int w = image.width();
    int h = image.height();
    int ow = (w + k - 1) / k;
    int oh = (h + k - 1) / k;
    byte[] src = image.rgb();
    byte[] out = new byte[ow * oh * 3];
    long[] sums = new long[ow * 3]; // a block of k*k pixels can exceed int range for very large k
    for (int oy = 0; oy < oh; oy++) {
      Arrays.fill(sums, 0);
      int rows = Math.min(h, oy * k + k) - oy * k;
      for (int y = oy * k; y < oy * k + rows; y++) {
        int s = y * w * 3;
        for (int ox = 0; ox < ow; ox++) {
          int end = s + (Math.min(w, ox * k + k) - ox * k) * 3;
          long r = 0;
          long g = 0;
          long b = 0;
          for (; s < end; s += 3) {
            r += src[s] & 0xFF;
            g += src[s + 1] & 0xFF;
            b += src[s + 2] & 0xFF;
          }
          sums[3 * ox] += r;
          sums[3 * ox + 1] += g;
          sums[3 * ox + 2] += b;
        }
      }
      for (int ox = 0, d = oy * ow * 3; ox < ow; ox++, d += 3) {
        long n = (long) rows * (Math.min(w, ox * k + k) - ox * k);
        out[d] = (byte) ((sums[3 * ox] + n / 2) / n);
        out[d + 1] = (byte) ((sums[3 * ox + 1] + n / 2) / n);
        out[d + 2] = (byte) ((sums[3 * ox + 2] + n / 2) / n);
      }
    }
    return new RgbImage(ow, oh, out);
  }

  /**
   * True when the reader's preferred output is 8-bit sRGB, three bands, no alpha (what most JPEGs
   * and PNGs give).
   */
  private static boolean decodesToSrgbBytes(ImageReader reader) throws IOException {
    Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
    if (!types.hasNext()) {
      return false;
    }
    ColorModel cm = types.next().getColorModel();
    return cm instanceof ComponentColorModel
        && cm.getColorSpace().isCS_sRGB()
        && cm.getNumComponents() == 3
        && !cm.hasAlpha()
        && cm.getTransferType() == DataBuffer.TYPE_BYTE;
  }

  /**
   * A w×h sRGB image whose raster is exactly an {@link RgbImage} array: R,G,B interleaved, no
   * padding.
   */
  private static BufferedImage rgbDestination(int w, int h) {
    ComponentColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            false,
            false,
            Transparency.OPAQUE,
            DataBuffer.TYPE_BYTE);
    WritableRaster raster =
        Raster.createInterleavedRaster(
            new DataBufferByte(Math.multiplyExact(w * 3, h)),
            w,
            h,
            w * 3,
            3,
            new int[] {0, 1, 2},
            null);
    return new BufferedImage(cm, raster, false, null);
  }
}
