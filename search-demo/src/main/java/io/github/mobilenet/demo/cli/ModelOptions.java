package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.core.model.ModelRegistry;
import io.github.mobilenet.core.model.UnknownModelException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Which model a command runs: {@code --model ID} (a model on the classpath, see {@code mobilenet
 * models}) or {@code --profile FILE} (a user's own), never both. Neither given means the command's
 * fallback: the default model, or the one an existing index or head was made with.
 */
final class ModelOptions {
  @Option(
      names = "--model",
      paramLabel = "ID",
      description =
          "Model id (default: "
              + ModelRegistry.DEFAULT_ID
              + ", or the index's model); mobilenet models lists them.")
  String model;

  @Option(
      names = "--profile",
      paramLabel = "PROFILE.json",
      description = "Your own model's profile instead of --model.")
  Path profile;

  /** Whether --model or --profile was given. */
  boolean given() {
    return model != null || profile != null;
  }

  /** The model asked for, else the default model. */
  ModelProfile profile() throws UsageException {
    return profile(ModelRegistry.DEFAULT_ID);
  }

  /**
   * The model asked for, else the registered model {@code fallbackId} (e.g. the id an index
   * records).
   *
   * @throws UsageException for --model with --profile, or an id not on the classpath
   */
  ModelProfile profile(String fallbackId) throws UsageException {
    if (model != null && profile != null) {
      throw new UsageException("--model and --profile exclude each other; give one");
    }
    if (profile != null) {
      return ModelProfile.load(profile);
    }
    return byId(model != null ? model : fallbackId);
  }

  /**
   * The model asked for, else the model {@code what} (an index, a head) records. Another model than
   * the recorded one is not refused here: the caller's check names the difference.
   *
   * @param what e.g. {@code index photos.idx}, for the message
   * @throws UsageException also when nothing was asked and the recorded model is not on the
   *     classpath (a user's own: its profile must be given)
   */
  ModelProfile orRecorded(String recordedId, String what) throws UsageException {
    if (given()) {
      return profile();
    }
    try {
      return byId(recordedId);
    } catch (UsageException e) {
      throw new UsageException(
          what
              + " was made with model "
              + recordedId
              + ", which is not on the classpath; give its --profile ("
              + e.getMessage()
              + ")");
    }
  }

  /** A registered model; an unknown id is a usage error with the registry's message. */
  static ModelProfile byId(String id) throws UsageException {
    try {
      return ModelRegistry.profile(id);
    } catch (UnknownModelException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /**
   * The default layer of an index on {@code profile}: the map that {@code pooled} averages (the
   * last endpoint with the largest stride whose channels equal {@code pooled}'s size), pooled by
   * the index's default pooling. That is {@code layer_19} for every MobileNetV2, {@code
   * Conv2d_13_pointwise} for every MobileNetV1; {@code pooled} itself when no map matches.
   *
   * @throws UsageException when the profile has neither such a map nor {@code pooled}
   */
  static String defaultLayer(ModelProfile profile) throws UsageException {
    ModelProfile.Endpoint pooled = profile.endpoints().get("pooled");
    String best = null;
    int bestStride = 0;
    if (pooled != null && pooled.size() != null) {
      for (var e : profile.endpoints().entrySet()) {
        ModelProfile.Endpoint ep = e.getValue();
        if (ep.spatial() && pooled.size().equals(ep.channels()) && ep.stride() >= bestStride) {
          best = e.getKey();
          bestStride = ep.stride();
        }
      }
    }
    if (best != null) {
      return best;
    }
    if (pooled != null) {
      return "pooled";
    }
    throw new UsageException(
        "model " + profile.id() + " has no pooled endpoint to default to; give --layer");
  }
}
