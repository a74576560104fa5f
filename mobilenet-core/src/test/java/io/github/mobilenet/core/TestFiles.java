package io.github.mobilenet.core;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Paths to the sample images committed in the repository (samples/ at the root). Shared with the
 * other modules' tests through this module's test-jar.
 */
public final class TestFiles {
  private TestFiles() {}

  public static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("samples"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("samples/ not found above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  /**
   * A committed photo by its path under samples/, e.g. {@code natural/cat.bmp}; missing is an
   * error.
   */
  public static Path sample(String relative) {
    return existing(root().resolve("samples").resolve(relative));
  }

  public static Path natural(String name) {
    return sample("natural/" + name);
  }

  public static Path test(String name) {
    return sample("test/" + name);
  }

  private static Path existing(Path p) {
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("test image missing: " + p);
    }
    return p;
  }
}
