package io.github.mobilenet.core.image;

/**
 * A JPEG decoder that scales in the DCT domain while decoding (1/2, 1/4, 1/8): the fast path of
 * {@link ImageDecoder} for images much larger than the network's input. Optional: the
 * implementation needs Java 22+ (the FFM API) and libjpeg-turbo's TurboJPEG library; when either is
 * missing, {@link #load()} returns null and ImageIO decodes as before.
 *
 * <p>Implementations are thread-safe.
 */
interface ScaledJpegDecoder {
  /**
   * {@code off} turns the fast path off for decoders made from then on; a path names the library.
   */
  String PROPERTY = "mobilenet.turbojpeg";

  /**
   * Decodes a plain (YCbCr, RGB or gray) JPEG to upright-agnostic 8-bit RGB, reduced by the largest
   * of 8, 4, 2 that keeps the shorter side at least {@code minSide} (0: full size). Returns null,
   * having changed nothing, whenever it declines: another colour space (CMYK, YCCK), more than
   * {@code maxPixels}, or any error or warning of the decoder. The caller then decodes the usual
   * way, which reports such files exactly as before.
   */
  RgbImage decode(byte[] jpeg, int minSide, long maxPixels);

  /** What decodes, for reports: library and version. */
  String description();

  /** The TurboJPEG decoder, or null when it cannot run here (old JDK, no library, turned off). */
  static ScaledJpegDecoder load() {
    if ("off".equalsIgnoreCase(System.getProperty(PROPERTY, ""))) {
      return null;
    }
    return load("io.github.mobilenet.core.image.TurboJpeg");
  }

  /**
   * Instantiates {@code className} reflectively: it is compiled for Java 22 and must not be linked
   * on Java 21.
   */
  static ScaledJpegDecoder load(String className) {
    if (Runtime.version().feature() < 22) {
      return null;
    }
    try {
      return (ScaledJpegDecoder) Class.forName(className).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return null; // no library, no native access, or an unsupported platform: ImageIO decodes
    }
  }
}
