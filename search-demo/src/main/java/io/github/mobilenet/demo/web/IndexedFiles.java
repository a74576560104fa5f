package io.github.mobilenet.demo.web;

import io.github.mobilenet.embeddings.index.ImageDoc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Indexed images addressed by id, and their files only while they are still the files that were
 * indexed. A request never names a path: an id is looked up in the index, and the index says where
 * the file is.
 */
final class IndexedFiles {
  /** Ids are content hashes: letters, digits, '-' and '_' only, so no id can spell a path. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  private IndexedFiles() {}

  static boolean isId(String s) {
    return ID.matcher(s).matches();
  }

  /** The indexed image with this id; 404 for anything else, including strings that are not ids. */
  static ImageDoc byId(SearchBackend backend, String id) {
    if (!isId(id)) {
      throw ApiError.notFound("not an image id (ids are letters, digits, '-' and '_')");
    }
    return backend.image(id).orElseThrow(() -> new SearchBackend.UnknownImageException(id));
  }

  /** The file name without folders: what the page shows under a thumbnail. */
  static String name(ImageDoc doc) {
    Path n = Path.of(doc.path()).getFileName();
    return n == null ? doc.path() : n.toString();
  }

  /**
   * The image's file, if it is still the file that was indexed (same size and modification time).
   */
  static Path unchanged(ImageDoc image) {
    Path file = Path.of(image.path());
    String name = name(image);
    try {
      if (!Files.isRegularFile(file)) {
        throw ApiError.notFound(name + " is no longer on disk (re-run the index job)");
      }
      long size = Files.size(file);
      long modified = Files.getLastModifiedTime(file).toMillis();
      if (size != image.size() || (image.modified() >= 0 && modified != image.modified())) {
        throw ApiError.notFound(
            name + " has changed on disk since it was indexed (re-run the index job)");
      }
      return file;
    } catch (NoSuchFileException e) {
      throw ApiError.notFound(name + " is no longer on disk (re-run the index job)");
    } catch (IOException e) {
      throw new ApiError(500, name + " cannot be read: " + e.getMessage());
    }
  }
}
