package io.github.mobilenet.core;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths to the sample images committed in the repository (samples/ at the root). */
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

  public static Path natural(String name) {
    return existing(root().resolve("samples/natural").resolve(name));
  }

  public static Path test(String name) {
    return existing(root().resolve("samples/test").resolve(name));
  }

  private static Path existing(Path p) {
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("test image missing: " + p);
    }
    return p;
  }
}
