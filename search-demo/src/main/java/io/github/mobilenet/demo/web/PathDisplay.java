package io.github.mobilenet.demo.web;

import io.github.mobilenet.embeddings.index.ImageDoc;
import java.nio.file.Path;

/**
 * How answers show where an indexed file is. By default a path is relative to a root (the folder
 * the operator named, else the deepest folder holding every indexed file), so the API does not
 * reveal the server's folder layout; a file outside the named root shows as its file name. An
 * operator may opt in to absolute paths.
 *
 * @param absolute show the absolute path as indexed
 * @param root show paths relative to this folder; null means the indexed files' common folder
 */
record PathDisplay(boolean absolute, Path root) {
  PathDisplay {
    root = root == null ? null : root.toAbsolutePath().normalize();
  }

  /**
   * @param commonFolder the deepest folder holding every indexed file, or null when unknown
   */
  String show(ImageDoc doc, Path commonFolder) {
    if (absolute) {
      return doc.path();
    }
    Path file = Path.of(doc.path());
    Path base = root != null ? root : commonFolder;
    if (base != null && file.isAbsolute() && file.startsWith(base) && !file.equals(base)) {
      return base.relativize(file).toString();
    }
    return IndexedFiles.name(doc);
  }

  /** The deepest folder that holds both {@code folder} and {@code file}'s folder. */
  static Path commonFolder(Path folder, Path file) {
    Path parent = file.getParent();
    if (folder == null) {
      return parent;
    }
    if (parent == null) {
      return folder;
    }
    Path a = folder;
    while (a != null && !parent.startsWith(a)) {
      a = a.getParent();
    }
    return a;
  }
}
