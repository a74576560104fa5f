package io.github.mobilenet.models.int8;

import java.nio.file.Files;
import java.nio.file.Path;

/** The sample photos committed at the repository root (samples/natural). */
final class Samples {
  private Samples() {}

  static Path natural(String name) {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("samples/natural"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("samples/natural not found above " + Path.of(""));
    }
    Path photo = p.resolve("samples/natural").resolve(name);
    if (!Files.isRegularFile(photo)) {
      throw new IllegalStateException("sample photo missing: " + photo);
    }
    return photo;
  }
}
