package io.github.mobilenet.core.image;

import io.github.mobilenet.core.util.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Expands command-line paths into image files. A named file is always kept (so a bad file gets
 * reported, not ignored). Directories are walked recursively in sorted order, following symlinks
 * but never looping, skipping hidden entries, and keeping files that have an image extension or
 * whose first bytes are an image signature. Inside a walked folder, a FIFO, socket or device and a
 * symbolic link whose target is missing are kept too, unopened: reading them then gives a per-file
 * error ({@code not a regular file}, {@code no such file}) instead of losing them silently.
 */
public final class ImageFiles {
  private static final Set<String> EXTENSIONS =
      Set.of("jpg", "jpeg", "jpe", "jfif", "png", "gif", "bmp", "dib", "webp", "tif", "tiff");

  private ImageFiles() {}

  /**
   * Files in walk order; problems met while walking (unreadable folders, loops) go to {@code
   * problems}.
   */
  public static List<Path> expand(List<Path> paths, Consumer<String> problems) {
    List<Path> out = new ArrayList<>();
    Set<Path> seen = new HashSet<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        walk(p, out, seen, problems);
      } else if (seen.add(canonical(p))) {
        out.add(p);
      }
    }
    return out;
  }

  private static void walk(Path dir, List<Path> out, Set<Path> seen, Consumer<String> problems) {
    List<Path> found = new ArrayList<>();
    try {
      Files.walkFileTree(
          dir,
          EnumSet.of(FileVisitOption.FOLLOW_LINKS),
          Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
              return !d.equals(dir) && isHidden(d)
                  ? FileVisitResult.SKIP_SUBTREE
                  : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
              if (isHidden(f)) {
                return FileVisitResult.CONTINUE;
              }
              // Links are followed, so a link's own attributes mean its target is missing or
              // unreadable. Such a link, like a FIFO, socket or device (which cannot be sniffed
              // without opening it), is kept so that reading it reports a per-file error.
              if (attrs.isRegularFile()
                  ? looksLikeImage(f)
                  : attrs.isOther() || attrs.isSymbolicLink()) {
                found.add(f);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
              if (!(e
                  instanceof
                  FileSystemLoopException)) { // loops are expected with symlinks; skip quietly
                problems.accept(f + ": " + e);
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      problems.accept(dir + ": " + e);
    }
    found.sort(null);
    for (Path f : found) {
      if (seen.add(canonical(f))) {
        out.add(f);
      }
    }
  }

  private static Path canonical(Path f) {
    try {
      return f.toRealPath();
    } catch (IOException e) {
      return f.toAbsolutePath().normalize();
    }
  }

  private static boolean isHidden(Path p) {
    Path name = p.getFileName();
    return name != null && name.toString().startsWith(".");
  }

  /**
   * By extension, else by the first bytes. A FIFO, socket or device is never opened: it is an image
   * only by its name.
   */
  public static boolean looksLikeImage(Path f) {
    String name = f.getFileName().toString();
    int dot = name.lastIndexOf('.');
    if (dot >= 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))) {
      return true;
    }
    if (FileTrees.isSpecialFile(f)) {
      return false;
    }
    try (InputStream in = Files.newInputStream(f)) {
      return ImageFormat.sniff(in.readNBytes(16)) != null;
    } catch (IOException e) {
      return false;
    }
  }
}
