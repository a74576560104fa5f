package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.image.ImageDecodeException;
import io.github.mobilenet.core.image.ImageFiles;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.embeddings.embed.Embedding;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.ContentHash;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.index.IndexConfigMismatchException;
import io.github.mobilenet.embeddings.search.SearchHit;
import io.github.mobilenet.embeddings.search.SearchOptions;
import io.github.mobilenet.solr.SolrImageIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code search --solr URL --collection NAME}: the same queries and output lines as {@code search
 * --index DIR}, over a SolrCloud collection (kNN by POST, filters as pre-filtering {@code fq}s,
 * scores as cosines). {@code --images} prints every hit of every query image with a {@code query}
 * field; a query image that cannot be read is reported on stderr and makes the exit code 1.
 */
final class SolrSearching {
  private SolrSearching() {}

  static int run(SearchCommand c, SearchOptions options) throws UsageException {
    if (c.indexDir.path != null) {
      throw new UsageException("give --index DIR or --solr URL --collection NAME, not both");
    }
    try (SolrImageIndex index = SolrImageIndex.open(c.solr.settings("search", c.err()))) {
      String where = index.describe();
      String indexModel = index.config().modelId();
      boolean embeds = c.image != null || c.images != null;
      ModelProfile profile =
          embeds || c.model.given() ? c.model.orRecorded(indexModel, where) : null;
      if (profile != null && !profile.id().equals(indexModel)) {
        throw new UsageException(
            ImageIndexes.describe(
                new IndexConfigMismatchException(
                    where
                        + " holds vectors of model "
                        + indexModel
                        + ", the model given is "
                        + profile.id())));
      }
      IndexConfig config = index.config();
      if (c.size.get() != null) {
        ModelProfile p = profile != null ? profile : c.model.orRecorded(indexModel, where);
        config =
            new IndexConfig(
                config.embedding().withInputSize(Embedding.canonical(p, c.size.get())),
                config.format(),
                config.dimension(),
                config.augment());
        try {
          index.requireCompatible(config);
        } catch (IndexConfigMismatchException e) {
          throw new UsageException(ImageIndexes.describe(e));
        }
      }
      if (c.id != null) {
        SearchOptions o = c.excludeSelf ? options.exclude(Set.of(c.id)) : options;
        print(c, null, index.searchById(c.id, o));
        return ExitCode.OK;
      }
      if (c.vector != null) {
        float[] v = SearchCommand.readVector(c.vector);
        try {
          print(c, null, index.search(v, options));
        } catch (IllegalArgumentException e) {
          throw new UsageException("--vector: " + e.getMessage());
        }
        return ExitCode.OK;
      }
      return byImages(c, index, config, profile, options);
    }
  }

  /** --image F, or --images PATH...: embeds each and searches. */
  private static int byImages(
      SearchCommand c,
      SolrImageIndex index,
      IndexConfig config,
      ModelProfile profile,
      SearchOptions options)
      throws UsageException {
    int threads =
        Check.range("--threads", c.threads, Runtime.getRuntime().availableProcessors(), 1, 256);
    List<String> problems = new ArrayList<>();
    List<Path> queries =
        c.image != null ? List.of(c.image) : ImageFiles.expand(c.images, problems::add);
    try (ImageEmbedder embedder = ImageEmbedder.open(config, profile, threads)) {
      for (Path q : queries) {
        SearchOptions o = options;
        try {
          if (c.excludeSelf) {
            o = o.exclude(Set.of(ContentHash.of(q)));
          }
          print(c, c.images != null ? q : null, index.search(embedder, ImageSource.of(q), o));
        } catch (IOException | ImageDecodeException e) {
          if (c.images == null && e instanceof ImageDecodeException d) {
            throw d; // --image: reported as the local search reports it
          }
          problems.add(q + ": " + e.getMessage());
        }
      }
    } catch (IndexConfigMismatchException e) {
      throw new UsageException(ImageIndexes.describe(e));
    }
    for (String p : problems) {
      c.err().println("mobilenet search: cannot read " + p);
    }
    return problems.isEmpty() ? ExitCode.OK : ExitCode.SOME_FAILED;
  }

  private static void print(SearchCommand c, Path query, List<SearchHit> hits) {
    for (SearchHit h : hits) {
      Json.line(
          c.out(),
          query == null
              ? Json.obj("rank", h.rank(), "id", h.id(), "path", h.path(), "score", h.score())
              : Json.obj(
                  "rank",
                  h.rank(),
                  "id",
                  h.id(),
                  "path",
                  h.path(),
                  "score",
                  h.score(),
                  "query",
                  query.toString()));
    }
  }
}
