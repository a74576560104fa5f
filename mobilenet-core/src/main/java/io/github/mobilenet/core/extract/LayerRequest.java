package io.github.mobilenet.core.extract;

import io.github.mobilenet.core.model.ModelProfile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The layers one call asks for: the caller's names (aliases kept) in the caller's order, and the
 * distinct endpoints behind them, which one graph run computes. Immutable.
 */
record LayerRequest(Map<String, String> endpointByName, List<String> endpoints) {

  /**
   * Resolves {@code layers} against {@code profile}.
   *
   * @throws IllegalArgumentException for an empty set or an unknown layer
   */
  static LayerRequest of(ModelProfile profile, Set<String> layers) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException(
          "no layers requested for model " + profile.id() + " (known: " + known(profile) + ")");
    }
    Map<String, String> byName = new LinkedHashMap<>();
    List<String> endpoints = new ArrayList<>();
    for (String layer : layers) {
      String endpoint = profile.resolve(layer);
      byName.put(layer, endpoint);
      if (!endpoints.contains(endpoint)) {
        endpoints.add(endpoint);
      }
    }
    // Fails here, before any image is read, when no one graph has them all.
    profile.graphFor(endpoints);
    return new LayerRequest(byName, List.copyOf(endpoints));
  }

  /**
   * Re-keys one image's results (endpoint → features) by the caller's names, in their order;
   * unmodifiable.
   */
  Map<String, Features> keyed(Map<String, Features> byEndpoint) {
    Map<String, Features> out = new LinkedHashMap<>();
    endpointByName.forEach((name, endpoint) -> out.put(name, byEndpoint.get(endpoint)));
    return Collections.unmodifiableMap(out);
  }

  private static String known(ModelProfile profile) {
    List<String> all = new ArrayList<>(profile.endpoints().keySet());
    all.addAll(profile.aliases().keySet());
    return String.join(", ", all);
  }
}
