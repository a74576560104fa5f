package io.github.mobilenet.core.extract;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.core.preprocess.PreparedImage;
import io.github.mobilenet.core.preprocess.Preprocessor;
import io.github.mobilenet.core.util.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes every endpoint of a model for one image as float32 {@code .npy} files plus a {@value
 * #MANIFEST} that says what each file holds and how the image was preprocessed: the intermediate
 * tensors, for comparing against another implementation of the same network.
 *
 * <p>All endpoints come from one run of one graph. Every tensor has a leading batch dimension of 1:
 * spatial maps are {@code [1, C, H, W]} ({@link Layout#NCHW}, as the network computes them) or
 * {@code [1, H, W, C]} ({@link Layout#NHWC}, TensorFlow's order); vectors are {@code [1, C]}
 * (layout {@code NC}) in both.
 *
 * <p>Thread-safe when its extractor is (it keeps no state of its own). Files of the same names in
 * the folder are replaced; the manifest is written last, so its presence means the dump is
 * complete.
 */
public final class EndpointDump {
  /** File name of the manifest in a dump folder. */
  public static final String MANIFEST = "manifest.json";

  /** Memory order of the spatial tensors in a dump. */
  public enum Layout {
    /** [1, C, H, W]: channel-major, as the network computes (PyTorch, ONNX). */
    NCHW,
    /** [1, H, W, C]: channels last (TensorFlow, TFLite). */
    NHWC;

    /** Parses {@code nchw} or {@code nhwc}, any case. */
    public static Layout parse(String s) {
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "nchw" -> NCHW;
        case "nhwc" -> NHWC;
        default ->
            throw new IllegalArgumentException(
                "unknown tensor layout '" + s + "' (expected nchw or nhwc)");
      };
    }
  }

  /**
   * One file of a dump.
   *
   * @param name the endpoint
   * @param file the {@code .npy} file name in the dump folder
   * @param shape its dimensions, batch (1) first
   * @param layout {@code NCHW}, {@code NHWC} or {@code NC} (a vector)
   * @param dtype always {@code float32}
   */
  @JsonPropertyOrder({"name", "file", "shape", "layout", "dtype"})
  public record Tensor(String name, String file, int[] shape, String layout, String dtype) {}

  /**
   * How the image became the network input.
   *
   * @param mode {@code full} or {@code center-crop}
   * @param resizeFilter {@code antialias} or {@code bilinear}
   * @param inputLayout the network input's layout ({@code NCHW} or {@code NHWC})
   * @param channelOrder {@code RGB} or {@code BGR}
   * @param mean per channel (R, G, B), subtracted from the 0..255 value
   * @param std per channel (R, G, B), divided by after subtracting the mean
   * @param normalisation the formula, in words
   */
  @JsonPropertyOrder({
    "mode",
    "resizeFilter",
    "inputLayout",
    "channelOrder",
    "mean",
    "std",
    "normalisation"
  })
  public record PreprocessingInfo(
      String mode,
      String resizeFilter,
      String inputLayout,
      String channelOrder,
      double[] mean,
      double[] std,
      String normalisation) {}

  /**
   * What a dump folder holds.
   *
   * @param model the model id
   * @param image the image's name (its path for a file)
   * @param imageWidth width of the decoded, upright image
   * @param imageHeight height of the decoded, upright image
   * @param inputHeight network input height this image ran at
   * @param inputWidth network input width this image ran at
   * @param inputSize the extractor's input size setting ({@code HxW}, or {@code S} for a shorter
   *     side)
   * @param layout the layout of the spatial tensors
   * @param batchDimension what the leading dimension of every tensor is
   * @param preprocessing how the image became the input
   * @param aliases other names of endpoints (alias → endpoint); not written twice
   * @param tensors one entry per endpoint, in the profile's order
   */
  @JsonPropertyOrder({
    "model",
    "image",
    "imageWidth",
    "imageHeight",
    "inputHeight",
    "inputWidth",
    "inputSize",
    "layout",
    "batchDimension",
    "preprocessing",
    "aliases",
    "tensors"
  })
  public record Manifest(
      String model,
      String image,
      int imageWidth,
      int imageHeight,
      int inputHeight,
      int inputWidth,
      String inputSize,
      Layout layout,
      String batchDimension,
      PreprocessingInfo preprocessing,
      Map<String, String> aliases,
      List<Tensor> tensors) {}

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final FeatureExtractor extractor;

  /** Dumps what {@code extractor} computes, with its model, input size and preprocessing. */
  public EndpointDump(FeatureExtractor extractor) {
    this.extractor = java.util.Objects.requireNonNull(extractor);
  }

  /** Dumps an image file; see {@link #write(ImageSource, Path, Layout)}. */
  public Manifest write(Path image, Path folder, Layout layout) throws IOException {
    return write(ImageSource.of(image), folder, layout);
  }

  /**
   * Runs {@code image} through the graph with every endpoint of the profile as an output and writes
   * each as {@code <endpoint>.npy} into {@code folder} (created when missing), then the manifest.
   *
   * @return the manifest written
   * @throws io.github.mobilenet.core.image.ImageDecodeException when the image cannot be decoded
   * @throws IllegalArgumentException when no single graph of the model outputs every endpoint
   * @throws IOException when the folder or a file cannot be written (the message names it)
   */
  public Manifest write(ImageSource image, Path folder, Layout layout) throws IOException {
    ModelProfile profile = extractor.profile();
    Set<String> endpoints = new LinkedHashSet<>(profile.endpoints().keySet());
    PreparedImage prepared = extractor.prepare(image);
    Map<String, Features> all = extractor.run(List.of(prepared), endpoints).get(0);
    int[] input = extractor.inputSizeFor(prepared.width(), prepared.height());
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new IOException("cannot create dump folder " + folder + ": " + e, e);
    }
    List<Tensor> tensors = new ArrayList<>();
    Set<String> files = new HashSet<>();
    for (String name : endpoints) {
      Features f = all.get(name);
      String file = fileName(name, files);
      Npy.Array array = toArray(f, layout);
      Path target = folder.resolve(file);
      try {
        Npy.write(target, array);
      } catch (IOException e) {
        throw new IOException("cannot write " + target + ": " + e, e);
      }
      String tensorLayout = f.isSpatial() ? layout.name() : "NC";
      tensors.add(new Tensor(name, file, array.shape(), tensorLayout, "float32"));
    }
    Manifest manifest =
        new Manifest(
            profile.id(),
            image.name(),
            prepared.width(),
            prepared.height(),
            input[0],
            input[1],
            extractor.inputSize().spec(),
            layout,
            "every tensor has a leading batch dimension of 1 (one image)",
            preprocessing(extractor.preprocessor(), profile.input()),
            new TreeMap<>(profile.aliases()),
            List.copyOf(tensors));
    Path target = folder.resolve(MANIFEST);
    try {
      JSON.writeValue(target.toFile(), manifest);
    } catch (IOException e) {
      throw new IOException("cannot write " + target + ": " + e, e);
    }
    return manifest;
  }

  /**
   * Reads the manifest of a dump folder.
   *
   * @throws IOException when it is missing or not a manifest (the message names the file)
   */
  public static Manifest readManifest(Path folder) throws IOException {
    Path file = folder.resolve(MANIFEST);
    try {
      return JSON.readValue(file.toFile(), Manifest.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IOException("invalid dump manifest " + file + ": " + e.getOriginalMessage(), e);
    }
  }

  /**
   * {@code [1, C, H, W]} or {@code [1, H, W, C]} for a map, {@code [1, C]} for a vector. NHWC is
   * the transpose (c, y, x) → (y, x, c) of the network's channel-major map.
   */
  static Npy.Array toArray(Features f, Layout layout) {
    float[] v = f.values();
    if (!f.isSpatial()) {
      return new Npy.Array(new int[] {1, f.channels()}, v);
    }
    int c = f.channels();
    int h = f.height();
    int w = f.width();
    if (layout == Layout.NCHW) {
      return new Npy.Array(new int[] {1, c, h, w}, v);
    }
    float[] t = new float[v.length];
    int plane = h * w;
    for (int ch = 0; ch < c; ch++) {
      for (int p = 0; p < plane; p++) {
        t[p * c + ch] = v[ch * plane + p];
      }
    }
    return new Npy.Array(new int[] {1, h, w, c}, t);
  }

  /** {@code <endpoint>.npy}, with characters unsafe in a file name replaced; unique in the dump. */
  private static String fileName(String endpoint, Set<String> taken) {
    String base = endpoint.replaceAll("[^A-Za-z0-9._-]", "_");
    if (base.isEmpty() || base.startsWith(".")) {
      base = "_" + base;
    }
    String name = base + ".npy";
    for (int i = 2; !taken.add(name.toLowerCase(Locale.ROOT)); i++) {
      name = base + "_" + i + ".npy";
    }
    return name;
  }

  private static PreprocessingInfo preprocessing(Preprocessor p, ModelProfile.Input input) {
    return new PreprocessingInfo(
        p.mode().cliName(),
        p.filter().cliName(),
        input.layout().name(),
        input.channelOrder().name(),
        input.mean().clone(),
        input.std().clone(),
        "(v - mean) / std per channel, v the 8-bit value 0..255");
  }
}
