package io.github.mobilenet.core;

import java.util.List;

/**
 * MobileNetV2's spatial endpoints as the shared models README tables them ("Outputs"), for the
 * tests of every model that claims that layout.
 */
public final class V2Endpoints {
  private V2Endpoints() {}

  /**
   * One spatial endpoint.
   *
   * @param stride total stride: each side of the map is the input side divided by it, rounded up
   */
  public record Spatial(String name, int channels, int stride) {
    /** Channels, height, width of the map for an input of {@code height}×{@code width}. */
    public int[] shape(int height, int width) {
      return new int[] {channels, Math.ceilDiv(height, stride), Math.ceilDiv(width, stride)};
    }
  }

  /** Every spatial endpoint, in graph order. */
  public static final List<Spatial> SPATIAL =
      List.of(
          new Spatial("layer_1", 32, 2),
          new Spatial("layer_2", 16, 2),
          new Spatial("layer_3", 24, 4),
          new Spatial("layer_4", 24, 4),
          new Spatial("layer_5", 32, 8),
          new Spatial("layer_6", 32, 8),
          new Spatial("layer_7", 32, 8),
          new Spatial("layer_8", 64, 16),
          new Spatial("layer_9", 64, 16),
          new Spatial("layer_10", 64, 16),
          new Spatial("layer_11", 64, 16),
          new Spatial("layer_12", 96, 16),
          new Spatial("layer_13", 96, 16),
          new Spatial("layer_14", 96, 16),
          new Spatial("layer_15", 160, 32),
          new Spatial("layer_16", 160, 32),
          new Spatial("layer_17", 160, 32),
          new Spatial("layer_18", 320, 32),
          new Spatial("layer_19", 1280, 32),
          new Spatial("layer_15_expansion", 576, 16));
}
