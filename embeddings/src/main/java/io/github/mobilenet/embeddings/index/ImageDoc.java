package io.github.mobilenet.embeddings.index;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One indexed image file, the one description of an indexed image every layer shares (its vector is
 * stored beside it; see {@link ImageIndex#vector(String)}). Immutable.
 *
 * @param id the image's id: unique per path for images indexed since ids are per path ({@link
 *     ImageIds#of}); for older images the content hash, shared by identical copies
 * @param path absolute, normalised path: the document's unique key
 * @param size file size in bytes
 * @param modified last-modified time, epoch milliseconds
 * @param width decoded width (upright, after EXIF orientation)
 * @param height decoded height
 * @param tags user tags, key → values (from a sidecar file); never null
 * @param content content hash of the file ({@link ContentHash}): identical files share it
 */
public record ImageDoc(
    String id,
    String path,
    long size,
    long modified,
    int width,
    int height,
    Map<String, List<String>> tags,
    String content) {
  public ImageDoc {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(content, "content");
    tags = Tags.copy(tags);
  }

  /** An image whose id is its content hash (the layout before per-path ids). */
  public ImageDoc(
      String id,
      String path,
      long size,
      long modified,
      int width,
      int height,
      Map<String, List<String>> tags) {
    this(id, path, size, modified, width, height, tags, id);
  }

  public ImageDoc withTags(Map<String, List<String>> newTags) {
    return new ImageDoc(id, path, size, modified, width, height, newTags, content);
  }
}
