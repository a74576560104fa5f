package io.github.mobilenet.core.model;

import java.util.List;

/**
 * No model with the asked id is on the classpath. Carries what the caller needs to say what to do
 * instead: the ids that are available, and the artifact that would ship the id when it is one this
 * project publishes.
 */
public class UnknownModelException extends ModelLoadException {
  private final String id;
  private final List<String> available;
  private final String artifact;

  /**
   * @param artifact Maven coordinates of the artifact shipping {@code id}, or null when the id is
   *     not one this project publishes
   */
  public UnknownModelException(String id, List<String> available, String artifact) {
    super(Reason.NOT_FOUND, id, message(id, available, artifact), null);
    this.id = id;
    this.available = List.copyOf(available);
    this.artifact = artifact;
  }

  private static String message(String id, List<String> available, String artifact) {
    String on = "models on the classpath: " + String.join(", ", available);
    return artifact == null
        ? "unknown model '" + id + "'; " + on
        : "model '"
            + id
            + "' is not on the classpath: it ships in the artifact "
            + artifact
            + ", add it as a dependency; "
            + on;
  }

  /** The id that was asked for. */
  public String id() {
    return id;
  }

  /** The ids found on the classpath, in {@link ModelRegistry#ids()} order. */
  public List<String> available() {
    return available;
  }

  /** Maven coordinates of the artifact that ships the id, or null when the id is unknown. */
  public String artifact() {
    return artifact;
  }
}
