package io.github.mobilenet.embeddings.index;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One indexed image file (its vector is stored beside it; see {@link ImageIndex#vector(String)}).
 *
 * @param id content hash of the file (SHA-256, first 128 bits as 32 hex digits): the same bytes
 *     always get the same id, so identical copies at two paths share it
 * @param path absolute, normalised path: the document's unique key
 * @param size file size in bytes
 * @param modified last-modified time, epoch milliseconds
 * @param width decoded width (upright, after EXIF orientation)
 * @param height decoded height
 * @param tags user tags, key → values (from a sidecar file); never null
 */
public record ImageDoc(
    String id,
    String path,
    long size,
    long modified,
    int width,
    int height,
    Map<String, List<String>> tags) {
  public ImageDoc {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(path, "path");
    tags = Tags.copy(tags);
  }

  public ImageDoc withTags(Map<String, List<String>> newTags) {
    return new ImageDoc(id, path, size, modified, width, height, newTags);
  }
}
