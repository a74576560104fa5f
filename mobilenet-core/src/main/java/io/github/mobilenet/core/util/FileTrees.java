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

  /**
   * True when {@code path} (symbolic links followed) is a FIFO, socket or device, told from its
   * attributes without opening it: opening a FIFO blocks until something writes to it, possibly
   * forever, so such a file must be refused before any read. False when nothing readable is there
   * (opening it then reports why).
   */
  public static boolean isSpecialFile(Path path) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class).isOther();
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * What kind of special file {@code path} is, for messages: "a FIFO", "a socket", "a character
   * device", "a block device", or "a special file" where the platform does not say.
   */
  public static String specialFileKind(Path path) {
    try {
      if (Files.getAttribute(path, "unix:mode") instanceof Integer mode) {
        switch (mode & 0170000) { // S_IFMT
          case 0010000:
            return "a FIFO";
          case 0140000:
            return "a socket";
          case 0020000:
            return "a character device";
          case 0060000:
            return "a block device";
          default:
            break;
        }
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      // no unix attribute view here: the generic description below
    }
    return "a special file";
  }

  private static void deleteIfPresent(Path p) throws IOException {
    try {
      Files.delete(p);
    } catch (NoSuchFileException gone) {
      // deleted by someone else meanwhile: the goal is reached
    }
  }
}
