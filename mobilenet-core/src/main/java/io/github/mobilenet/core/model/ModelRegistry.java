package io.github.mobilenet.core.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The models on the classpath, by id: {@code ModelRegistry.profile("mobilenet_v1_0.5_160")}.
 *
 * <p>A model is found by a resource convention rather than a {@link java.util.ServiceLoader}
 * provider, so that a model artifact is data only (no class compiled against a core version, no
 * module descriptor to keep in step) and anyone can make one by zipping files: a jar lists its ids,
 * one a line, in {@value #INDEX}, and keeps each model in {@code /io/github/mobilenet/models/<id>/}
 * with its {@code profile.json}, the files the profile names, and optionally a {@code card.json}
 * ({@link ModelCard}). The default model in {@code mobilenet-core} registers the same way.
 *
 * <p>Each call reads the indexes afresh (a handful of small resources); profiles are parsed, not
 * cached, and graph files are read and sha256-verified only when an extractor opens them.
 * Thread-safe: holds no state.
 */
public final class ModelRegistry {
  /** Classpath resource, in every jar that ships models, listing their ids one a line. */
  public static final String INDEX = "META-INF/mobilenet/models";

  /** Classpath folder holding one folder per model id. */
  public static final String MODELS_FOLDER = "/io/github/mobilenet/models/";

  /** The model bundled in mobilenet-core, used when none is asked for. */
  public static final String DEFAULT_ID = "mobilenet_v2_1.0_224";

  private static final String KNOWN = "known-models.properties";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelRegistry() {}

  /**
   * The ids on the classpath: the default first, then the others sorted, so that a listing does not
   * depend on the order of the class path.
   */
  public static List<String> ids() {
    Set<String> ids = new LinkedHashSet<>();
    ClassLoader loader = loader();
    try {
      Enumeration<URL> indexes = loader.getResources(INDEX);
      List<String> found = new ArrayList<>();
      while (indexes.hasMoreElements()) {
        found.addAll(readIndex(indexes.nextElement()));
      }
      if (found.contains(DEFAULT_ID)) {
        ids.add(DEFAULT_ID);
      }
      found.sort(null);
      ids.addAll(found);
    } catch (IOException e) {
      throw ModelLoadException.ioError("cannot list the model indexes", INDEX, e);
    }
    return List.copyOf(ids);
  }

  /** True when {@code id} is on the classpath. */
  public static boolean contains(String id) {
    return ids().contains(id);
  }

  /**
   * The profile of a model on the classpath; its graph files resolve in the model's classpath
   * folder and are sha256-verified when an extractor opens them.
   *
   * @throws UnknownModelException when no index lists {@code id}, naming the ids available and, for
   *     a model this project publishes, the artifact that ships it
   * @throws ModelLoadException when the model's profile is missing, invalid, or has another id
   */
  public static ModelProfile profile(String id) {
    Objects.requireNonNull(id, "id");
    List<String> ids = ids();
    if (!ids.contains(id)) {
      throw new UnknownModelException(id, ids, knownArtifacts().get(id));
    }
    ModelProfile p = ModelProfile.fromClasspath(folder(id));
    if (!p.id().equals(id)) {
      throw new ModelLoadException(
          ModelLoadException.Reason.INVALID_PROFILE,
          id,
          "classpath:" + folder(id) + "profile.json has id '" + p.id() + "', expected '" + id + "'",
          null);
    }
    return p;
  }

  /**
   * Model ids this project publishes and the Maven coordinates of the artifact shipping each,
   * whether or not they are on the classpath.
   */
  public static Map<String, String> knownArtifacts() {
    Properties known = new Properties();
    try (InputStream in = ModelRegistry.class.getResourceAsStream(KNOWN)) {
      if (in != null) {
        known.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw ModelLoadException.ioError("cannot read the list of published models", KNOWN, e);
    }
    Map<String, String> out = new TreeMap<>();
    known.forEach((k, v) -> out.put((String) k, ((String) v).trim()));
    return out;
  }

  /** A listing row for every model on the classpath, in {@link #ids()} order. */
  public static List<ModelSummary> summaries() {
    return ids().stream().map(id -> summary(profile(id))).toList();
  }

  /**
   * A listing row for any profile: a registered model or a user's own {@code profile.json}, whose
   * {@code card.json} beside it is read when present.
   */
  public static ModelSummary summary(ModelProfile p) {
    int h = p.input().height();
    int w = p.input().width();
    List<ModelSummary.EndpointShape> shapes = new ArrayList<>();
    p.endpoints()
        .forEach(
            (name, ep) ->
                shapes.add(
                    new ModelSummary.EndpointShape(
                        name,
                        ep.output(),
                        ep.spatial()
                            ? List.of(
                                ep.channels(),
                                Math.ceilDiv(h, ep.stride()),
                                Math.ceilDiv(w, ep.stride()))
                            : List.of(ep.size()))));
    ModelProfile.Endpoint pooled = p.endpoints().get("pooled");
    ModelProfile.Endpoint probs = p.endpoints().get("probs");
    long bytes = 0;
    Set<String> files = new LinkedHashSet<>();
    p.graphs().forEach(g -> files.add(g.file()));
    if (p.labels() != null) {
      files.add(p.labels().file());
    }
    for (String file : files) {
      bytes += size(p.location(), file);
    }
    return new ModelSummary(
        p.id(),
        p.description(),
        p.location() == null ? "" : p.location().describe(""),
        h,
        w,
        shapes,
        p.aliases(),
        pooled != null && !pooled.spatial() ? pooled.size() : 0,
        probs != null && !probs.spatial() ? probs.size() : 0,
        bytes,
        card(p));
  }

  /** The {@code card.json} beside a profile, or {@link ModelCard#NONE} when there is none. */
  public static ModelCard card(ModelProfile p) {
    if (p.location() == null) {
      return ModelCard.NONE;
    }
    try (InputStream in = p.location().open(ModelCard.FILE)) {
      return JSON.readValue(in, ModelCard.class);
    } catch (NoSuchFileException e) {
      return ModelCard.NONE;
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new ModelLoadException(
          ModelLoadException.Reason.INVALID_PROFILE,
          p.location().describe(ModelCard.FILE),
          "invalid model card "
              + p.location().describe(ModelCard.FILE)
              + ": "
              + e.getOriginalMessage(),
          e);
    } catch (IOException e) {
      throw ModelLoadException.ioError(
          "cannot read model card", p.location().describe(ModelCard.FILE), e);
    }
  }

  static String folder(String id) {
    return MODELS_FOLDER + id + "/";
  }

  private static ClassLoader loader() {
    ClassLoader l = ModelRegistry.class.getClassLoader();
    return l != null ? l : ClassLoader.getSystemClassLoader();
  }

  private static List<String> readIndex(URL index) throws IOException {
    List<String> ids = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(index.openStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        String id = line.strip();
        if (id.isEmpty() || id.startsWith("#")) {
          continue;
        }
        if (!ID.matcher(id).matches()) {
          throw new ModelLoadException(
              ModelLoadException.Reason.INVALID_PROFILE,
              String.valueOf(index),
              "invalid model id '" + id + "' in " + index + " (letters, digits, '.', '_', '-')",
              null);
        }
        ids.add(id);
      }
    }
    return ids;
  }

  private static long size(ModelProfile.Location where, String file) {
    try {
      if (where == null) {
        return Files.size(Path.of(file));
      }
      if (where.folder() != null) {
        return Files.size(where.folder().resolve(file));
      }
      URL url = ModelProfile.class.getResource(where.classpathFolder() + file);
      if (url == null) {
        throw new ModelLoadException(
            ModelLoadException.Reason.NOT_FOUND,
            where.describe(file),
            "model file not found: " + where.describe(file),
            null);
      }
      URLConnection c = url.openConnection();
      long n = c.getContentLengthLong();
      if (n >= 0) {
        return n;
      }
      try (InputStream in = c.getInputStream()) {
        return in.transferTo(OutputStream.nullOutputStream());
      }
    } catch (NoSuchFileException e) {
      throw ModelLoadException.notFound("model file", e.getFile(), e);
    } catch (IOException e) {
      throw ModelLoadException.ioError("cannot read the size of model file", file, e);
    }
  }
}
