package io.github.mobilenet.embeddings.index;

import io.github.mobilenet.core.util.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Image ids: the first 128 bits of the SHA-256 of the file's content hash and its path, as 32
 * lower-case hex digits (the same form as a {@link ContentHash}). Identical files at two paths get
 * two ids, so each path stays findable by id; the content hash stays beside it ({@link
 * ImageDoc#content()}) for reusing vectors. Indexes written before keep their ids (there the id is
 * the content hash).
 */
public final class ImageIds {
  private ImageIds() {}

  /**
   * The id of the file at {@code path} (absolute, normalised) with content hash {@code content}.
   */
  public static String of(String content, String path) {
    byte[] digest =
        Hashing.sha256().digest((content + "\0" + path).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest, 0, 16);
  }
}
