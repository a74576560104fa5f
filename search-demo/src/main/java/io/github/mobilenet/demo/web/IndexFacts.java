package io.github.mobilenet.demo.web;

import java.util.Map;

/**
 * What the page shows about an index.
 *
 * @param count number of indexed images
 * @param model model id (e.g. mobilenet_v2_1.0_224)
 * @param layer embedding layer (e.g. layer_19)
 * @param pooling pooling of a spatial layer, or "none"
 * @param preprocessing preprocessing mode (full or center-crop)
 * @param format vector storage format (float, int7, int4, bit)
 * @param dimensions vector length
 * @param augment database-side augmentation neighbours (0 = off)
 * @param tags every tag key → value → number of images carrying it
 * @param location where the index lives (shown, never used to address files)
 */
public record IndexFacts(
    long count,
    String model,
    String layer,
    String pooling,
    String preprocessing,
    String format,
    int dimensions,
    int augment,
    Map<String, Map<String, Integer>> tags,
    String location) {}
