package io.github.mobilenet.core.image;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * libjpeg-turbo's TurboJPEG API (2.x, {@code tjDecompress2}) through the FFM API: SIMD decoding and
 * DCT-domain scaling, which ImageIO lacks. Compiled for Java 22 and loaded reflectively by {@link
 * ScaledJpegDecoder#load()}. TurboJPEG reports errors by return code (never by exiting or jumping
 * through Java frames), so a bad file costs a declined decode, not the process.
 *
 * <p>Thread-safe: every call has its own TurboJPEG handle and memory.
 */
final class TurboJpeg implements ScaledJpegDecoder {
  private static final int TJPF_RGB = 0;
  private static final int TJCS_GRAY = 2; // TJCS_RGB 0, TJCS_YCbCr 1, TJCS_GRAY 2; 3, 4: CMYK, YCCK
  private static final int TJFLAG_STOPONWARNING = 8192; // truncated data: decline, ImageIO reports
  private static final int TJFLAG_LIMITSCANS = 32768; // progressive files with absurd scan counts
  private static final int FLAGS = TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS;

  /**
   * Up to this many output pixels (a few milliseconds of decoding) TurboJPEG reads and writes Java
   * arrays directly (a critical call: no safepoint until it returns); larger images go through
   * native buffers, whose two copies are small next to their decode.
   */
  static final long HEAP_DECODE_PIXELS = 4_000_000;

  private static final String[] NAMES = {
    "libturbojpeg.so.0", "libturbojpeg.so", "libturbojpeg.0.dylib", "libturbojpeg.dylib", "turbojpeg"
  };

  private final MethodHandle init;
  private final MethodHandle header;
  private final MethodHandle decompress;
  private final MethodHandle decompressHeap;
  private final MethodHandle destroy;
  private final String library;
  private final long heapDecodePixels;

  /**
   * Binds the library (the path in {@code -Dmobilenet.turbojpeg=PATH}, else the usual names).
   *
   * @throws IllegalStateException when no TurboJPEG library can be found or bound
   */
  TurboJpeg() {
    this(HEAP_DECODE_PIXELS);
  }

  /** As {@link #TurboJpeg()}, decoding images up to {@code heapDecodePixels} on the Java heap. */
  TurboJpeg(long heapDecodePixels) {
    this.heapDecodePixels = heapDecodePixels;
    Linker linker = Linker.nativeLinker();
    if (linker.canonicalLayouts().get("long").byteSize() != 8) {
      throw new IllegalStateException("needs a 64-bit C long (LP64)");
    }
    String configured = System.getProperty(PROPERTY, "");
    SymbolLookup lib = null;
    String found = null;
    for (String name : configured.isEmpty() ? NAMES : new String[] {configured}) {
      try {
        lib =
            name.contains("/")
                ? SymbolLookup.libraryLookup(Path.of(name), Arena.global())
                : SymbolLookup.libraryLookup(name, Arena.global());
        found = name;
        break;
      } catch (IllegalArgumentException e) {
        // try the next name
      }
    }
    if (lib == null) {
      throw new IllegalStateException("no TurboJPEG library");
    }
    ValueLayout a = ValueLayout.ADDRESS;
    ValueLayout i = ValueLayout.JAVA_INT;
    ValueLayout l = ValueLayout.JAVA_LONG;
    init = bind(linker, lib, "tjInitDecompress", FunctionDescriptor.of(a));
    // The header is parsed from the Java arrays directly (a scan of the markers, quick).
    header =
        bind(
            linker,
            lib,
            "tjDecompressHeader3",
            FunctionDescriptor.of(i, a, a, l, a, a, a, a),
            Linker.Option.critical(true));
    FunctionDescriptor decompressType = FunctionDescriptor.of(i, a, a, l, a, i, i, i, i, i);
    decompress = bind(linker, lib, "tjDecompress2", decompressType);
    decompressHeap =
        bind(linker, lib, "tjDecompress2", decompressType, Linker.Option.critical(true));
    destroy = bind(linker, lib, "tjDestroy", FunctionDescriptor.of(i, a));
    library = found;
  }

  private static MethodHandle bind(
      Linker linker,
      SymbolLookup lib,
      String name,
      FunctionDescriptor type,
      Linker.Option... options) {
    MemorySegment symbol =
        lib.find(name).orElseThrow(() -> new IllegalStateException("no symbol " + name));
    return linker.downcallHandle(symbol, type, options);
  }

  @Override
  public String description() {
    return "libjpeg-turbo TurboJPEG (" + library + ") through FFM, DCT scaling 1/2, 1/4, 1/8";
  }

  @Override
  public RgbImage decode(byte[] jpeg, int minSide, long maxPixels) {
    try {
      MemorySegment handle = (MemorySegment) init.invokeExact();
      if (handle.equals(MemorySegment.NULL)) {
        return null;
      }
      try {
        MemorySegment src = MemorySegment.ofArray(jpeg);
        int[] info = new int[4];
        MemorySegment at = MemorySegment.ofArray(info);
        int rc =
            (int)
                header.invokeExact(
                    handle,
                    src,
                    (long) jpeg.length,
                    at,
                    at.asSlice(4),
                    at.asSlice(8),
                    at.asSlice(12));
        int w = info[0];
        int h = info[1];
        if (rc != 0 || w <= 0 || h <= 0 || (long) w * h > maxPixels || info[3] > TJCS_GRAY) {
          return null;
        }
        int k = scaleFor(w, h, minSide);
        int sw = scaled(w, k);
        int sh = scaled(h, k);
        return (long) sw * sh <= heapDecodePixels
            ? decodeOnHeap(handle, jpeg, sw, sh)
            : decodeOffHeap(handle, jpeg, sw, sh);
      } finally {
        int ignored = (int) destroy.invokeExact(handle);
      }
    } catch (Throwable e) { // invokeExact declares Throwable; any failure declines
      if (e instanceof Error err && !(e instanceof OutOfMemoryError)) {
        throw err;
      }
      return null;
    }
  }

  /** Straight from the file's bytes into the image's array: no copies, no zeroed native buffer. */
  private RgbImage decodeOnHeap(MemorySegment handle, byte[] jpeg, int w, int h) throws Throwable {
    byte[] rgb = new byte[w * h * 3];
    int rc =
        (int)
            decompressHeap.invokeExact(
                handle,
                MemorySegment.ofArray(jpeg),
                (long) jpeg.length,
                MemorySegment.ofArray(rgb),
                w,
                0,
                h,
                TJPF_RGB,
                FLAGS);
    return rc == 0 ? new RgbImage(w, h, rgb) : null;
  }

  /** Through native memory, so that a long decode does not hold off the JVM's safepoints. */
  private RgbImage decodeOffHeap(MemorySegment handle, byte[] jpeg, int w, int h)
      throws Throwable {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment src = arena.allocate(jpeg.length);
      MemorySegment.copy(jpeg, 0, src, ValueLayout.JAVA_BYTE, 0, jpeg.length);
      MemorySegment dst = arena.allocate((long) w * h * 3);
      int rc =
          (int)
              decompress.invokeExact(
                  handle, src, (long) jpeg.length, dst, w, 0, h, TJPF_RGB, FLAGS);
      return rc == 0 ? new RgbImage(w, h, dst.toArray(ValueLayout.JAVA_BYTE)) : null;
    }
  }

  /** The largest of 8, 4, 2 (else 1) that keeps the shorter scaled side at least minSide. */
  static int scaleFor(int w, int h, int minSide) {
    if (minSide > 0) {
      for (int k = 8; k >= 2; k /= 2) {
        if (Math.min(scaled(w, k), scaled(h, k)) >= minSide) {
          return k;
        }
      }
    }
    return 1;
  }

  /** TurboJPEG's TJSCALED for the factor 1/k: the size rounded up. */
  private static int scaled(int side, int k) {
    return (side + k - 1) / k;
  }
}
