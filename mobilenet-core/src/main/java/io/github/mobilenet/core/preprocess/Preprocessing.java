package io.github.mobilenet.core.preprocess;

import java.util.Locale;

/** Which part of the image reaches the network. */
public enum Preprocessing {
  /**
   * Central square crop of 87.5 % of the shorter side, then resize to the input size: TF-Slim's
   * evaluation convention, and the one the model's ImageNet accuracy was measured with.
   */
  CENTER_CROP,
  /** The whole image resized to the input size (aspect ratio not kept): nothing is cut off. */
  FULL;

  /** The fraction of the shorter side that {@link #CENTER_CROP} keeps. */
  public static final double CENTRAL_FRACTION = 0.875;

  /** Parses the CLI spelling: {@code center-crop} or {@code full}. */
  public static Preprocessing parse(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "center-crop", "center_crop", "centre-crop", "crop" -> CENTER_CROP;
      case "full", "whole" -> FULL;
      default ->
          throw new IllegalArgumentException(
              "unknown preprocessing '" + s + "' (expected center-crop or full)");
    };
  }

  /** The CLI spelling. */
  public String cliName() {
    return this == CENTER_CROP ? "center-crop" : "full";
  }
}
