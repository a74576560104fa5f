package io.github.mobilenet.embeddings.index;

import io.github.mobilenet.core.util.Hashing;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Image ids: the first 128 bits of the SHA-256 of the file's bytes, as 32 lower-case hex digits.
 */
public final class ContentHash {
  private ContentHash() {}

  public static String of(byte[] bytes) {
    return hex(Hashing.sha256().digest(bytes));
  }

  public static String of(Path file) throws IOException {
    return hex(Hashing.sha256(file));
  }

  private static String hex(byte[] sha256) {
    return HexFormat.of().formatHex(sha256, 0, 16);
  }
}
