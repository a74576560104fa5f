package io.github.mobilenet.core.util;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, the one digest of the project: model checksums, image ids, cache keys. Thread-safe
 * (every call uses its own {@link MessageDigest}).
 */
public final class Hashing {
  private Hashing() {}

  /** A new SHA-256 digest, for callers that feed it piece by piece. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  /** Lower-case hex SHA-256 of {@code bytes} (64 digits). */
  public static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  /**
   * The raw SHA-256 of a file's bytes, read in 64 KiB blocks (large files are not held in memory).
   * A FIFO, socket or device is refused unopened.
   */
  public static byte[] sha256(Path file) throws IOException {
    if (FileTrees.isSpecialFile(file)) { // opening a FIFO would block
      throw new FileSystemException(
          file.toString(), null, "not a regular file (" + FileTrees.specialFileKind(file) + ")");
    }
    MessageDigest md = sha256();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return md.digest();
  }
}
