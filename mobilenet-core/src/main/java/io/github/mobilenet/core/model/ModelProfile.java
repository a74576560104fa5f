package io.github.mobilenet.core.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mobilenet.core.util.FileTrees;
import io.github.mobilenet.core.util.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Describes a model: its ONNX graph files (with sha256), input tensor (name, layout, channel order,
 * size, normalisation), endpoints (name → ONNX output, channels, stride) and labels. Read from JSON
 * with {@link #load(Path)}; the bundled MobileNetV2 profile is {@link #mobileNetV2()}.
 *
 * <p>A profile may list several graph files with the same weights: an endpoint runs on the first
 * graph that outputs it, so list the leanest graph first (the bundled profile runs {@code pooled},
 * {@code logits} and {@code layer_19} on a graph with only those outputs, measured 6–9 % faster).
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record ModelProfile(
    @JsonProperty(value = "id", required = true) String id,
    @JsonProperty("description") String description,
    @JsonProperty(value = "input", required = true) Input input,
    @JsonProperty(value = "graphs", required = true) List<Graph> graphs,
    @JsonProperty(value = "endpoints", required = true) Map<String, Endpoint> endpoints,
    @JsonProperty("aliases") Map<String, String> aliases,
    @JsonProperty("labels") Labels labels,
    @JsonIgnore Location location) {

  /** Classpath folder of the bundled model. */
  static final String BUNDLED_FOLDER = "/io/github/mobilenet/models/mobilenet_v2_1.0_224/";

  /** Input tensor layout. */
  public enum Layout {
    /** [N, channels, height, width] (PyTorch, this model). */
    NCHW,
    /** [N, height, width, channels] (TensorFlow). */
    NHWC
  }

  /** Channel order of the input tensor. */
  public enum ChannelOrder {
    /** Red, green, blue. */
    RGB,
    /** Blue, green, red (Caffe, OpenCV-trained models). */
    BGR
  }

  /**
   * @param mean per-channel value subtracted from the 0..255 pixel (in R, G, B order)
   * @param std per-channel divisor; the bundled model uses 127.5 and 127.5, i.e. x / 127.5 − 1
   */
  public record Input(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty(value = "layout", required = true) Layout layout,
      @JsonProperty(value = "channelOrder", required = true) ChannelOrder channelOrder,
      @JsonProperty(value = "height", required = true) int height,
      @JsonProperty(value = "width", required = true) int width,
      @JsonProperty(value = "mean", required = true) double[] mean,
      @JsonProperty(value = "std", required = true) double[] std) {}

  /** One ONNX file and the output names it declares. */
  public record Graph(
      @JsonProperty(value = "file", required = true) String file,
      @JsonProperty(value = "sha256", required = true) String sha256,
      @JsonProperty(value = "outputs", required = true) List<String> outputs) {}

  /**
   * An endpoint: spatial maps have {@code channels} and {@code stride}; vectors have {@code size}.
   */
  public record Endpoint(
      @JsonProperty(value = "output", required = true) String output,
      @JsonProperty("channels") Integer channels,
      @JsonProperty("stride") Integer stride,
      @JsonProperty("size") Integer size) {
    /** True for a map [C, H, W] (has a stride), false for a vector. */
    @JsonIgnore
    public boolean spatial() {
      return stride != null;
    }
  }

  /** Class labels, one per line, line i+1 = class i. */
  public record Labels(
      @JsonProperty(value = "file", required = true) String file,
      @JsonProperty(value = "sha256", required = true) String sha256) {}

  /** Where relative file names resolve: a folder on disk or a classpath folder. */
  public record Location(Path folder, String classpathFolder) {
    InputStream open(String file) throws IOException {
      if (folder != null) {
        return Files.newInputStream(folder.resolve(file));
      }
      InputStream in = ModelProfile.class.getResourceAsStream(classpathFolder + file);
      if (in == null) {
        throw new NoSuchFileException("classpath:" + classpathFolder + file);
      }
      return in;
    }

    String describe(String file) {
      return folder != null
          ? folder.resolve(file).toString()
          : "classpath:" + classpathFolder + file;
    }
  }

  /**
   * Copies the collections (unmodifiable; endpoints keep their order). Use {@link #load} to read
   * and validate JSON.
   */
  public ModelProfile {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(input, "input");
    aliases = aliases == null ? Map.of() : Map.copyOf(aliases);
    endpoints =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(Objects.requireNonNull(endpoints, "endpoints")));
    graphs = List.copyOf(Objects.requireNonNull(graphs, "graphs"));
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /** The bundled MobileNetV2 1.0/224 (TF-Slim endpoints; see the model README in the resources). */
  public static ModelProfile mobileNetV2() {
    return fromClasspath(BUNDLED_FOLDER);
  }

  /**
   * Reads {@code folder + "profile.json"} from the classpath ({@code folder} starts and ends with
   * '/'); its file names resolve in the same classpath folder. Used by {@link ModelRegistry}.
   */
  static ModelProfile fromClasspath(String folder) {
    String resource = folder + "profile.json";
    try (InputStream in = ModelProfile.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new ModelLoadException(
            ModelLoadException.Reason.NOT_FOUND,
            "classpath:" + resource,
            "model profile missing from the classpath: " + resource,
            null);
      }
      return parse(in, resource).withLocation(new Location(null, folder));
    } catch (IOException e) {
      throw new ModelLoadException(
          ModelLoadException.Reason.IO_ERROR,
          "classpath:" + resource,
          "cannot read profile " + resource + ": " + e,
          e);
    }
  }

  /** Reads a profile; its file names resolve against the JSON file's folder. */
  public static ModelProfile load(Path json) {
    refuseSpecialFile(json, json.toString(), "model profile");
    try (InputStream in = Files.newInputStream(json)) {
      Path folder = json.toAbsolutePath().getParent();
      return parse(in, json.toString()).withLocation(new Location(folder, null));
    } catch (NoSuchFileException e) {
      throw new ModelLoadException(
          ModelLoadException.Reason.NOT_FOUND,
          json.toString(),
          "model profile not found: " + json,
          e);
    } catch (IOException e) {
      throw new ModelLoadException(
          ModelLoadException.Reason.IO_ERROR,
          json.toString(),
          "cannot read model profile " + json + ": " + e.getMessage(),
          e);
    }
  }

  private static ModelProfile parse(InputStream in, String name) throws IOException {
    ModelProfile p;
    try {
      p = JSON.readValue(in, ModelProfile.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new ModelLoadException(
          ModelLoadException.Reason.INVALID_PROFILE,
          name,
          "invalid model profile " + name + ": " + e.getOriginalMessage(),
          e);
    }
    p.validate(name);
    return p;
  }

  private ModelProfile withLocation(Location where) {
    return new ModelProfile(id, description, input, graphs, endpoints, aliases, labels, where);
  }

  private void validate(String name) {
    List<String> problems = new ArrayList<>();
    if (input.mean() == null
        || input.std() == null
        || input.mean().length != 3
        || input.std().length != 3) {
      problems.add("input.mean and input.std need 3 values");
    } else if (!(input.std()[0] > 0 && input.std()[1] > 0 && input.std()[2] > 0)) {
      problems.add("input.std values must be > 0");
    }
    if (input.height() < 1 || input.width() < 1) {
      problems.add("input.height and input.width must be >= 1");
    }
    if (input.layout() == null || input.channelOrder() == null) {
      problems.add("input.layout (NCHW|NHWC) and input.channelOrder (RGB|BGR) are required");
    }
    if (graphs.isEmpty()) {
      problems.add("graphs is empty");
    }
    for (Map.Entry<String, Endpoint> e : endpoints.entrySet()) {
      Endpoint ep = e.getValue();
      if (graphs.stream().noneMatch(g -> g.outputs().contains(ep.output()))) {
        problems.add(
            "endpoint "
                + e.getKey()
                + " maps to output '"
                + ep.output()
                + "' that no graph declares");
      }
      if (ep.spatial()
          ? ep.channels() == null || ep.channels() < 1 || ep.stride() < 1
          : ep.size() == null || ep.size() < 1) {
        problems.add(
            "endpoint "
                + e.getKey()
                + " needs channels+stride (spatial) or size (vector), all >= 1");
      }
    }
    for (Map.Entry<String, String> a : aliases.entrySet()) {
      if (!endpoints.containsKey(a.getValue())) {
        problems.add("alias " + a.getKey() + " points to unknown endpoint " + a.getValue());
      }
    }
    if (!problems.isEmpty()) {
      throw new ModelLoadException(
          ModelLoadException.Reason.INVALID_PROFILE,
          name,
          "invalid model profile " + name + ": " + String.join("; ", problems),
          null);
    }
  }

  /**
   * The endpoint name behind a layer name or alias; throws listing the valid names when unknown.
   */
  public String resolve(String layer) {
    String name = aliases.getOrDefault(layer, layer);
    if (!endpoints.containsKey(name)) {
      List<String> known = new ArrayList<>(endpoints.keySet());
      known.addAll(aliases.keySet());
      throw new IllegalArgumentException(
          "unknown layer '"
              + layer
              + "' for model "
              + id
              + " (known: "
              + String.join(", ", known)
              + ")");
    }
    return name;
  }

  /** The first graph declaring the endpoint's output. */
  public Graph graphFor(String endpoint) {
    return graphFor(List.of(endpoint));
  }

  /**
   * The first graph declaring the outputs of every endpoint in {@code layers} (names or aliases),
   * so that one run computes them all.
   *
   * @throws IllegalArgumentException for an unknown layer, or when no single graph has them all
   */
  public Graph graphFor(java.util.Collection<String> layers) {
    List<String> outputs = layers.stream().map(l -> endpoints.get(resolve(l)).output()).toList();
    return graphs.stream()
        .filter(g -> g.outputs().containsAll(outputs))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no graph of model "
                        + id
                        + " outputs all of "
                        + layers
                        + " at once; request them in separate calls"));
  }

  /**
   * Reads a graph file, verifying its sha256; a mismatch or a missing file is a {@link
   * ModelLoadException}.
   */
  public byte[] readVerified(String file, String sha256) {
    String where = location == null ? file : location.describe(file);
    if (location == null || location.folder() != null) {
      Path path = location == null ? Path.of(file) : location.folder().resolve(file);
      refuseSpecialFile(path, where, "model file");
    }
    byte[] bytes;
    try (InputStream in =
        location == null ? Files.newInputStream(Path.of(file)) : location.open(file)) {
      bytes = in.readAllBytes();
    } catch (NoSuchFileException e) {
      throw new ModelLoadException(
          ModelLoadException.Reason.NOT_FOUND, where, "model file not found: " + where, e);
    } catch (IOException e) {
      throw new ModelLoadException(
          ModelLoadException.Reason.IO_ERROR,
          where,
          "cannot read model file " + where + ": " + e,
          e);
    }
    String actual = sha256(bytes);
    if (!actual.equalsIgnoreCase(sha256)) {
      throw new ModelLoadException(
          ModelLoadException.Reason.CHECKSUM_MISMATCH,
          where,
          "sha256 mismatch for "
              + where
              + ": expected "
              + sha256
              + ", got "
              + actual
              + " (corrupt or different file; fix the file or the profile)",
          null);
    }
    return bytes;
  }

  /**
   * Class labels by index, verified against the profile's sha256; empty when the profile has none.
   */
  public List<String> readLabels() {
    if (labels == null) {
      return List.of();
    }
    String text =
        new String(
            readVerified(labels.file(), labels.sha256()), java.nio.charset.StandardCharsets.UTF_8);
    return text.lines().toList();
  }

  /**
   * Refuses a FIFO, socket or device before opening it: opening a FIFO blocks until something
   * writes to it. A missing file passes; opening it then reports it as not found.
   */
  private static void refuseSpecialFile(Path path, String where, String what) {
    if (FileTrees.isSpecialFile(path)) {
      throw new ModelLoadException(
          ModelLoadException.Reason.NOT_A_REGULAR_FILE,
          where,
          what + " " + where + " is not a regular file (" + FileTrees.specialFileKind(path) + ")",
          null);
    }
  }

  /** Lower-case hex SHA-256 of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    return Hashing.sha256Hex(bytes);
  }
}
