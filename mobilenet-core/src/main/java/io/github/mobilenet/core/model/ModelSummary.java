package io.github.mobilenet.core.model;

import java.util.List;
import java.util.Map;

/**
 * One row of a model listing: what a user needs to pick a model. Built by {@link
 * ModelRegistry#summary(ModelProfile)} for a registered model and for a user's own profile alike.
 *
 * @param id the profile's id
 * @param location where the profile was read: {@code classpath:/…/} or a folder on disk
 * @param inputHeight native input height in pixels
 * @param inputWidth native input width in pixels
 * @param endpoints every endpoint with its shape at the native input size, in profile order
 * @param aliases alternative layer names → endpoint
 * @param embeddingDimension size of the {@code pooled} vector; 0 when the model has none
 * @param classes number of classes of {@code probs}; 0 when the model has no classifier
 * @param bytes size on disk of the graph and label files, summed
 * @param card licence, provenance and measured figures; {@link ModelCard#NONE} when absent
 */
public record ModelSummary(
    String id,
    String description,
    String location,
    int inputHeight,
    int inputWidth,
    List<EndpointShape> endpoints,
    Map<String, String> aliases,
    int embeddingDimension,
    int classes,
    long bytes,
    ModelCard card) {

  /** Copies the collections. */
  public ModelSummary {
    endpoints = List.copyOf(endpoints);
    aliases = Map.copyOf(aliases);
  }

  /**
   * An endpoint and the shape of one image's output at the native input size: {@code [C, H, W]} for
   * a spatial map ({@code ceil(size / stride)} per side), {@code [size]} for a vector.
   */
  public record EndpointShape(String name, String output, List<Integer> shape) {
    /** Copies the shape. */
    public EndpointShape {
      shape = List.copyOf(shape);
    }

    /** The shape as {@code 32x112x112} or {@code 1280}. */
    public String shapeText() {
      StringBuilder sb = new StringBuilder();
      for (int d : shape) {
        sb.append(sb.isEmpty() ? "" : "x").append(d);
      }
      return sb.toString();
    }
  }
}
