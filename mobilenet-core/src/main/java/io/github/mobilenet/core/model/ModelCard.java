package io.github.mobilenet.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a model listing shows beside the profile: licence, where the artifact and the weights come
 * from, and measured accuracy and speed. Read from an optional {@code card.json} beside {@code
 * profile.json}; kept out of the profile so that a profile stays what loading needs and nothing
 * else. Every field is free text and may be null (a user's own model often has none of them).
 *
 * @param licence SPDX identifier of the weights' licence, e.g. {@code Apache-2.0}
 * @param artifact Maven coordinates (groupId:artifactId) of the jar that ships the model
 * @param source where the weights come from (repository, commit, file, checksum)
 * @param accuracy measured accuracy, with the data set and who measured it
 * @param speed measured speed, with the machine and settings
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record ModelCard(
    @JsonProperty("licence") String licence,
    @JsonProperty("artifact") String artifact,
    @JsonProperty("source") String source,
    @JsonProperty("accuracy") String accuracy,
    @JsonProperty("speed") String speed) {

  /** File name of a card beside a model's {@code profile.json}. */
  public static final String FILE = "card.json";

  /** A card that says nothing: a model without {@code card.json}. */
  public static final ModelCard NONE = new ModelCard(null, null, null, null, null);
}
