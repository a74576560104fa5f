package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.image.ImageFiles;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.ContentHash;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.search.SearchHit;
import io.github.mobilenet.embeddings.search.SearchOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code search --images PATH...}: many queries in one process ({@link ImageIndex#searchEach}), one
 * JSON line per hit with the query's path first; a query that fails prints an error line and the
 * run exits 1.
 */
final class SearchImages {
  private SearchImages() {}

  /**
   * Runs every image under {@code paths} (folders walked as {@code index} walks them) as a query.
   *
   * @return {@link ExitCode#OK}, or {@link ExitCode#SOME_FAILED} when a query or walk failed
   */
  static int run(
      ImageIndex index,
      ImageEmbedder embedder,
      List<Path> paths,
      SearchOptions options,
      boolean excludeSelf,
      int threads,
      PrintStream out) {
    int[] failures = {0};
    List<Path> files =
        ImageFiles.expand(
            paths,
            problem -> {
              failures[0]++;
              Json.line(out, Json.obj("query", problem, "error", "cannot walk"));
            });
    List<ImageSource> queries = new ArrayList<>(files.size());
    files.forEach(f -> queries.add(ImageSource.of(f)));
    index.searchEach(
        embedder,
        queries.iterator(),
        options,
        q -> excludeSelf ? Set.of(contentHash(q)) : Set.of(),
        threads,
        r -> {
          if (!r.ok()) {
            failures[0]++;
            Json.line(
                out,
                Json.obj(
                    "query",
                    r.query().name(),
                    "error",
                    r.error() instanceof UncheckedIOException u
                        ? u.getCause().toString()
                        : r.error().getMessage()));
            return;
          }
          for (SearchHit h : r.hits()) {
            Map<String, Object> line = Json.obj("query", r.query().name());
            line.putAll(hit(h));
            Json.line(out, line);
          }
        });
    return failures[0] == 0 ? ExitCode.OK : ExitCode.SOME_FAILED;
  }

  /** A hit's JSON fields: rank, id, path, score, cosine and, when verified, inliers. */
  static Map<String, Object> hit(SearchHit h) {
    Map<String, Object> m =
        Json.obj(
            "rank",
            h.rank(),
            "id",
            h.id(),
            "path",
            h.path(),
            "score",
            h.score(),
            "cosine",
            h.cosine());
    if (h.verified()) {
      m.put("inliers", h.inliers());
    }
    return m;
  }

  private static String contentHash(ImageSource query) {
    Path file = ((ImageSource.FileSource) query).path();
    try {
      return ContentHash.of(file);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
    }
  }
}
