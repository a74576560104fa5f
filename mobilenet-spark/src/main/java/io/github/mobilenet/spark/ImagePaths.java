package io.github.mobilenet.spark;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Paths as Spark lists them ({@code file:/photos/a.jpg}, {@code hdfs://nn/photos/a.jpg}) as the
 * local index keys them; with the content hash they give the local index's ids ({@link
 * io.github.mobilenet.embeddings.index.ImageIds}).
 */
public final class ImagePaths {
  /** The extensions the local job takes by name (core's {@code ImageFiles}), lower case. */
  public static final List<String> EXTENSIONS =
      List.of("jpg", "jpeg", "jpe", "jfif", "png", "gif", "bmp", "dib", "webp", "tif", "tiff");

  private ImagePaths() {}

  /**
   * A {@code pathGlobFilter} for file names with an image extension in any letter case: Hadoop's
   * globs are case-sensitive, so each letter is a class, e.g. {@code [jJ][pP][gG]}.
   */
  public static String globFilter() {
    return EXTENSIONS.stream()
        .map(
            e ->
                e.chars()
                    .mapToObj(
                        c -> "[" + (char) c + Character.toString(c).toUpperCase(Locale.ROOT) + "]")
                    .collect(Collectors.joining()))
        .collect(Collectors.joining(",", "*.{", "}"));
  }

  /**
   * The key the local index files an image under: for a local file its absolute normalised path
   * ({@code /photos/a.jpg}); any other filesystem's path stays the URI Spark gives.
   *
   * @param sparkPath the {@code path} column of the {@code binaryFile} source (a URI, not
   *     percent-encoded, as Hadoop prints paths)
   */
  public static String key(String sparkPath) {
    URI uri = new org.apache.hadoop.fs.Path(sparkPath).toUri();
    if (uri.getScheme() == null || uri.getScheme().equals("file")) {
      return Path.of(uri.getPath()).toAbsolutePath().normalize().toString();
    }
    return sparkPath;
  }
}
