package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.core.util.Npy;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.ContentHash;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.index.IndexConfigMismatchException;
import io.github.mobilenet.embeddings.search.SearchHit;
import io.github.mobilenet.embeddings.search.SearchOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code search}: the images most similar to an image, a stored image or a vector. */
final class SearchCommand implements Command {
  @Override
  public String name() {
    return "search";
  }

  @Override
  public String usage() {
    return "search --index DIR [--k 10] [--exact] (--image FILE | --id ID | --vector FILE.npy) [--filter KEY=VALUE]..."
        + " [--exclude-self] [--candidates N] [--threads N] [--profile PROFILE.json]\n"
        + "  one line per hit: {\"rank\": 1, \"id\": ..., \"path\": ..., \"score\": ...} (score = cosine similarity;\n"
        + "  with database-side augmentation 1/4 x cosine + 3/4 x cosine of the augmented vectors).\n"
        + "  Filters must all hold (tags from index --tags). --exclude-self drops the query's own id (--id) or\n"
        + "  content (--image). --exact: brute force instead of the HNSW graph. Exit 0 ok, 1 failed, 2 usage error.";
  }

  @Override
  public int run(String[] argv, PrintStream out, PrintStream err) throws UsageException {
    Args a =
        Args.parse(
            argv,
            Set.of(
                "index",
                "k",
                "image",
                "id",
                "vector",
                "filter",
                "candidates",
                "threads",
                "profile"),
            Set.of("exact", "exclude-self"));
    Path dir = ImageIndexes.indexPath(a);
    int given = (a.has("image") ? 1 : 0) + (a.has("id") ? 1 : 0) + (a.has("vector") ? 1 : 0);
    if (given != 1) {
      throw new UsageException("give exactly one of --image, --id, --vector");
    }
    if (!a.positionals().isEmpty()) {
      throw new UsageException("unexpected argument " + a.positionals().get(0));
    }
    SearchOptions options =
        SearchOptions.top(a.getInt("k", 10, 1, 10_000))
            .exact(a.has("exact"))
            .candidates(a.getInt("candidates", 0, 0, 100_000));
    for (String f : a.all("filter")) {
      int eq = f.indexOf('=');
      if (eq <= 0) {
        throw new UsageException("--filter needs KEY=VALUE, got '" + f + "'");
      }
      options = options.filter(f.substring(0, eq), f.substring(eq + 1));
    }
    try (ImageIndex index = ImageIndex.open(dir)) {
      List<SearchHit> hits;
      if (a.has("id")) {
        String id = a.get("id", null);
        hits = index.searchById(id, a.has("exclude-self") ? options.exclude(Set.of(id)) : options);
      } else if (a.has("vector")) {
        float[] v = readVector(Path.of(a.get("vector", null)));
        try {
          hits = index.search(v, options);
        } catch (IllegalArgumentException e) {
          throw new UsageException("--vector: " + e.getMessage());
        }
      } else {
        Path image = Path.of(a.get("image", null));
        if (a.has("exclude-self")) {
          try {
            options = options.exclude(Set.of(ContentHash.of(image)));
          } catch (IOException e) {
            err.println("mobilenet search: cannot read " + image + ": " + e);
            return SOME_FAILED;
          }
        }
        ModelProfile profile = IndexOptions.profile(a);
        try (ImageEmbedder embedder =
            ImageEmbedder.open(
                index.config(),
                profile,
                a.getInt("threads", Runtime.getRuntime().availableProcessors(), 1, 256))) {
          hits = index.search(embedder, ImageSource.of(image), options);
        } catch (IndexConfigMismatchException e) {
          throw new UsageException(ImageIndexes.describe(e));
        }
      }
      for (SearchHit h : hits) {
        Json.line(
            out, Json.obj("rank", h.rank(), "id", h.id(), "path", h.path(), "score", h.score()));
      }
      return OK;
    }
  }

  private static float[] readVector(Path npy) throws UsageException {
    try {
      List<float[]> rows = Npy.read(npy);
      if (rows.size() != 1) {
        throw new UsageException(
            "--vector " + npy + " holds " + rows.size() + " rows; give one vector");
      }
      return rows.get(0);
    } catch (IOException e) {
      throw new UsageException("--vector " + npy + ": " + e.getMessage());
    }
  }
}
