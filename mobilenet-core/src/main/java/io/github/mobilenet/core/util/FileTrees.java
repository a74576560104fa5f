package io.github.mobilenet.core.util;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** File-system helpers shared by the modules. */
public final class FileTrees {
  private FileTrees() {}

  /**
   * Deletes {@code root} and everything below it; a missing root is not an error. Symbolic links
   * are deleted, never followed, so a link inside the tree cannot make this delete files outside
   * it.
   */
  public static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            deleteIfPresent(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            deleteIfPresent(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static void deleteIfPresent(Path p) throws IOException {
    try {
      Files.delete(p);
    } catch (NoSuchFileException gone) {
      // deleted by someone else meanwhile: the goal is reached
    }
  }
}
