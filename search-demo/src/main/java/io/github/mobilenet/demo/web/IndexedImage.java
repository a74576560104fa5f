package io.github.mobilenet.demo.web;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One image as the index stores it.
 *
 * @param id stable id (a content hash); the only way the web API addresses an image
 * @param path where the file was indexed from; never taken from a request
 * @param bytes file size when indexed
 * @param modifiedMillis file modification time when indexed (epoch ms), or -1 when unknown
 * @param width decoded width in pixels (after EXIF orientation)
 * @param height decoded height in pixels
 * @param tags user tags, key → values (a plain tag has key {@code tag}); possibly empty
 */
public record IndexedImage(
    String id,
    Path path,
    long bytes,
    long modifiedMillis,
    int width,
    int height,
    Map<String, List<String>> tags) {
  public IndexedImage {
    Map<String, List<String>> copy = new TreeMap<>();
    tags.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    tags = java.util.Collections.unmodifiableMap(copy);
  }

  /** Whether this image meets every filter. */
  public boolean matches(List<TagFilter> filters) {
    for (TagFilter f : filters) {
      if (!tags.getOrDefault(f.key(), List.of()).contains(f.value())) {
        return false;
      }
    }
    return true;
  }

  /** The file name without folders: what the page shows under a thumbnail. */
  public String name() {
    Path n = path.getFileName();
    return n == null ? path.toString() : n.toString();
  }
}
