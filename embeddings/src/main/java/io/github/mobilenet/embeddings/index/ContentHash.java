package io.github.mobilenet.embeddings.index;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Image ids: the first 128 bits of the SHA-256 of the file's bytes, as 32 lower-case hex digits.
 */
public final class ContentHash {
  private ContentHash() {}

  public static String of(byte[] bytes) {
    return hex(digest().digest(bytes));
  }

  public static String of(Path file) throws IOException {
    MessageDigest md = digest();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return hex(md.digest());
  }

  private static String hex(byte[] sha256) {
    return HexFormat.of().formatHex(sha256, 0, 16);
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
