package io.github.mobilenet.local;

/**
 * Loads OpenCV's bundled native library once per JVM, on first use. Every class of this module that
 * touches OpenCV calls {@link #ensureLoaded()} first; loading costs about a second (the library is
 * unpacked to a temporary directory). Thread-safe.
 */
public final class OpenCvRuntime {
  private static volatile Throwable failure;
  private static volatile boolean loaded;

  private OpenCvRuntime() {}

  /**
   * Loads the native library if it is not loaded yet.
   *
   * @throws LocalFeaturesException NATIVE_LIBRARY when this platform has no bundled library or it
   *     cannot be unpacked or linked
   */
  public static void ensureLoaded() {
    if (loaded) {
      return;
    }
    synchronized (OpenCvRuntime.class) {
      if (!loaded && failure == null) {
        try {
          nu.pattern.OpenCV.loadLocally();
          loaded = true;
        } catch (Throwable t) { // UnsatisfiedLinkError, the loader's own unchecked exceptions
          failure = t;
        }
      }
    }
    if (!loaded) {
      throw new LocalFeaturesException(
          System.getProperty("os.name") + "/" + System.getProperty("os.arch"),
          LocalFeaturesException.Reason.NATIVE_LIBRARY,
          "cannot load OpenCV's native library: " + failure,
          failure);
    }
  }

  /** The OpenCV version in use, e.g. "4.9.0" (loads the library). */
  public static String version() {
    ensureLoaded();
    return org.opencv.core.Core.VERSION;
  }
}
