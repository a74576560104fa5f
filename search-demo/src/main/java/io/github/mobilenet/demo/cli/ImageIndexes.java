package io.github.mobilenet.demo.cli;

import io.github.mobilenet.embeddings.EmbeddingsException;
import io.github.mobilenet.embeddings.index.IndexConfigMismatchException;

/** The index library's failures in this CLI's words: what to do next, with flags and commands. */
final class ImageIndexes {
  private ImageIndexes() {}

  /** The library's message plus what to do about it in this CLI's words (flags, commands). */
  static String describe(EmbeddingsException e) {
    String hint =
        switch (e.reason()) {
          case NOT_FOUND ->
              e.index() == null
                  ? ""
                  : " (create one with: mobilenet index --index " + e.index() + " PATH...)";
          case CONFIG_MISMATCH ->
              e instanceof IndexConfigMismatchException m && !m.differences().isEmpty()
                  ? "; use the index's settings or another --index folder"
                  : "";
          case CORRUPT ->
              e.index() == null ? "" : "; check it with: mobilenet check --index " + e.index();
          default -> "";
        };
    return e.getMessage() + hint;
  }
}
