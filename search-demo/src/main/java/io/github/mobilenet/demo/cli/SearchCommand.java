package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.core.util.Npy;
import io.github.mobilenet.embeddings.embed.Embedding;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.ContentHash;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.index.IndexConfigMismatchException;
import io.github.mobilenet.embeddings.search.SearchHit;
import io.github.mobilenet.embeddings.search.SearchOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code search}: the images most similar to an image, a stored image or a vector. */
@Command(
    name = "search",
    sortOptions = false,
    description = {
      "The images most like an image, a stored image or a vector.",
      "One line per hit: {\"rank\": 1, \"id\": ..., \"path\": ..., \"score\": ..., \"cosine\":"
          + " ..., \"inliers\": ...} (score = cosine similarity; with database-side augmentation"
          + " 1/4 x cosine + 3/4 x cosine of the augmented vectors; cosine = of the own vectors;"
          + " inliers only on verified hits, which come first). With --images each line starts"
          + " with \"query\". Exit 0 ok, 1 failed, 2 usage error."
    })
final class SearchCommand extends CliCommand {
  @Mixin OptionalIndexDirOption indexDir = new OptionalIndexDirOption();

  @Mixin SolrOptions solr = new SolrOptions();

  @Option(names = "--image", paramLabel = "FILE", description = "Query by this image.")
  Path image;

  @Option(names = "--id", paramLabel = "ID", description = "Query by a stored image's id.")
  String id;

  @Option(
      names = "--images",
      paramLabel = "PATH",
      arity = "1..*",
      description =
          "Query by each of these images (folders walked recursively, as index does), in one"
              + " process; each hit line gets a \"query\" field.")
  List<Path> images;

  @Option(
      names = "--vector",
      paramLabel = "FILE.npy",
      description = "Query by a vector (one row of float32).")
  Path vector;

  @Option(
      names = "--k",
      paramLabel = "K",
      defaultValue = "10",
      description = "Hits, 1..10000 (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--exact", description = "Brute force instead of the HNSW graph.")
  boolean exact;

  @Option(
      names = "--filter",
      paramLabel = "KEY=VALUE",
      description =
          "Only images with this tag (from index --tags); repeat for more, all must hold.")
  List<String> filters = List.of();

  @Option(
      names = "--exclude-self",
      description = "Drop the query's own id (--id) or content (--image, --images).")
  boolean excludeSelf;

  @Option(
      names = "--candidates",
      paramLabel = "N",
      defaultValue = "0",
      description = "HNSW candidates to explore, 0..100000 (default: 0 = the index's choice).")
  int candidates;

  @Option(
      names = "--verify",
      paramLabel = "N",
      defaultValue = "" + SearchOptions.DEFAULT_VERIFY,
      description =
          "Verify the best N hits by embedding with the index's local features (ORB +"
              + " homography) and put verified ones first, 0..10000 (default: ${DEFAULT-VALUE};"
              + " 0 = the embedding alone; --vector queries are never verified).")
  int verify;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Inference threads for --image, 1..256 (default: the number of cores).")
  Integer threads;

  /** For --image: the index's model unless given; with --id or --vector only checked. */
  @Mixin ModelOptions model;

  /** For --image: the index's input size unless given (then it must be the index's). */
  @Mixin SizeOption size;

  @Override
  public Integer call() throws UsageException {
    int given =
        (image != null ? 1 : 0)
            + (id != null ? 1 : 0)
            + (vector != null ? 1 : 0)
            + (images != null ? 1 : 0);
    if (given != 1) {
      throw new UsageException("give exactly one of --image, --id, --vector, --images");
    }
    SearchOptions options =
        SearchOptions.top(Check.range("--k", k, 10, 1, 10_000))
            .exact(exact)
            .candidates(Check.range("--candidates", candidates, 0, 0, 100_000))
            .verify(
                Check.range(
                    "--verify", verify, SearchOptions.DEFAULT_VERIFY, 0, SearchOptions.MAX_VERIFY));
    for (String f : filters) {
      int eq = f.indexOf('=');
      if (eq <= 0) {
        throw new UsageException("--filter needs KEY=VALUE, got '" + f + "'");
      }
      options = options.filter(f.substring(0, eq), f.substring(eq + 1));
    }
    if (solr.given()) {
      return SolrSearching.run(this, options);
    }
    if (indexDir.path == null) {
      throw new UsageException("--index is required");
    }
    try (ImageIndex index = ImageIndex.open(indexDir.path)) {
      String indexModel = index.config().modelId();
      ModelProfile profile =
          image != null || images != null || model.given()
              ? model.orRecorded(indexModel, "index " + indexDir.path)
              : null;
      if (profile != null && !profile.id().equals(indexModel)) {
        throw new UsageException(
            ImageIndexes.describe(
                new IndexConfigMismatchException(
                    "the index holds vectors of model "
                        + indexModel
                        + ", the model given is "
                        + profile.id())));
      }
      if (size.get() != null) {
        IndexConfig c = index.config();
        ModelProfile p =
            profile != null ? profile : model.orRecorded(indexModel, "index " + indexDir.path);
        try {
          index.requireCompatible(
              new IndexConfig(
                  c.embedding().withInputSize(Embedding.canonical(p, size.get())),
                  c.format(),
                  c.dimension(),
                  c.augment()));
        } catch (IndexConfigMismatchException e) {
          throw new UsageException(ImageIndexes.describe(e));
        }
      }
      int threadCount =
          Check.range("--threads", threads, Runtime.getRuntime().availableProcessors(), 1, 256);
      if (images != null) {
        try (ImageEmbedder embedder = ImageEmbedder.open(index.config(), profile, threadCount)) {
          return SearchImages.run(
              index, embedder, images, options, excludeSelf, threadCount, out());
        } catch (IndexConfigMismatchException e) {
          throw new UsageException(ImageIndexes.describe(e));
        }
      }
      List<SearchHit> hits;
      if (id != null) {
        hits = index.searchById(id, excludeSelf ? options.exclude(Set.of(id)) : options);
      } else if (vector != null) {
        float[] v = readVector(vector);
        try {
          hits = index.search(v, options);
        } catch (IllegalArgumentException e) {
          throw new UsageException("--vector: " + e.getMessage());
        }
      } else {
        if (excludeSelf) {
          try {
            options = options.exclude(Set.of(ContentHash.of(image)));
          } catch (IOException e) {
            err().println("mobilenet search: cannot read " + image + ": " + e);
            return ExitCode.SOME_FAILED;
          }
        }
        try (ImageEmbedder embedder = ImageEmbedder.open(index.config(), profile, threadCount)) {
          hits = index.search(embedder, ImageSource.of(image), options);
        } catch (IndexConfigMismatchException e) {
          throw new UsageException(ImageIndexes.describe(e));
        }
      }
      for (SearchHit h : hits) {
        Json.line(out(), SearchImages.hit(h));
      }
      return ExitCode.OK;
    }
  }

  static float[] readVector(Path npy) throws UsageException {
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
