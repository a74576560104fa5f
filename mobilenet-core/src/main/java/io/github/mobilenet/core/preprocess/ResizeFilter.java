package io.github.mobilenet.core.preprocess;

import java.util.Locale;

/** How pixels are resampled to the input size. */
public enum ResizeFilter {
  /**
   * Bilinear with half-pixel centres and no antialiasing (TF2 {@code tf.image.resize(...,
   * 'bilinear')}, OpenCV INTER_LINEAR), computed in double precision: bit-for-bit the reference
   * preprocessing of the model's published figures. Aliases when downscaling by more than 2×.
   */
  BILINEAR,
  /**
   * Triangle filter whose support widens with the scale factor (Pillow's antialiased BILINEAR): an
   * area-weighted average when downscaling, identical to {@link #BILINEAR} in the interior when
   * upscaling. No aliasing, so the embedding barely depends on the source resolution.
   */
  ANTIALIAS;

  /** Parses the CLI spelling: {@code bilinear} or {@code antialias}. */
  public static ResizeFilter parse(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "bilinear" -> BILINEAR;
      case "antialias", "area" -> ANTIALIAS;
      default ->
          throw new IllegalArgumentException(
              "unknown resize filter '" + s + "' (expected bilinear or antialias)");
    };
  }

  /** The CLI spelling. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
