package io.github.mobilenet.demo.cli;

import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.index.VectorFormat;
import io.github.mobilenet.eval.data.EmbeddedSet;
import io.github.mobilenet.eval.data.EmbeddingCache;
import io.github.mobilenet.eval.data.EmbeddingConfig;
import io.github.mobilenet.eval.data.LabeledImages;
import io.github.mobilenet.eval.data.LayerFeatures;
import io.github.mobilenet.eval.retrieval.IndexedRetrieval;
import io.github.mobilenet.eval.retrieval.Normalization;
import io.github.mobilenet.eval.retrieval.RetrievalBenchmark;
import io.github.mobilenet.eval.retrieval.RetrievalMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;

/**
 * {@code eval retrieval}: mAP, P@1, P@k and recall@k of every labelled image as a query against the
 * others.
 */
final class EvalRetrievalCommand implements Command {
  @Override
  public String name() {
    return "retrieval";
  }

  @Override
  public String usage() {
    return "eval retrieval --labels FILE [--format exact|float|int7|int4|bit [--depth 100]] [--k 10] [--dba N [--own-weight W]] [--whiten DIMS [--whiten-power 1] [--whiten-split images|classes] [--seed S]] "
        + EvalOptions.usage()
        + " DIR\n"
        + "  every image a query against all others (itself excluded; same class = relevant). Prints one line:\n"
        + "  {\"map\": ..., \"p@1\": ..., \"p@10\": ..., \"recall@10\": ..., \"dims\": ..., \"seconds\": ..., ...}\n"
        + "  --format: search through a real index (HNSW over float or quantized vectors, exact rescoring) for the\n"
        + "  top --depth hits of each query; map is then over those hits, and map_exact is the exact ranking cut at\n"
        + "  the same depth. Default: exact (brute-force cosine over the whole set).\n"
        + "  --dba N: database-side augmentation, each vector averaged with its N nearest neighbours (no labels used);\n"
        + "  default "
        + IndexConfig.DEFAULT_AUGMENT
        + " as in an index (0 with --whiten or --normalize none); --dba 0 measures the embedding alone.\n"
        + "  --own-weight W: with --dba, score = W x plain cosine + (1 - W) x augmented cosine (default "
        + IndexConfig.AUGMENT_OWN_WEIGHT
        + ", as an index).\n"
        + "  --whiten: PCA-whitening learned on one half of the images (stratified; 'classes' = disjoint classes),\n"
        + "  evaluated on the other half and vice versa; also prints map_unwhitened on the same halves.\n"
        + "  --whiten-power 0 keeps the centring and projection but not the variance equalisation.\n"
        + "  LABELS: filename<TAB>class per line. Features are cached (see --cache) so sweeps are cheap.";
  }

  @Override
  public int run(String[] argv, PrintStream out, PrintStream err) throws UsageException {
    Args a =
        Args.parse(
            argv,
            EvalOptions.valued(
                "format",
                "depth",
                "k",
                "dba",
                "own-weight",
                "whiten",
                "whiten-power",
                "whiten-split",
                "seed"),
            EvalOptions.flags());
    long start = System.nanoTime();
    EmbeddingConfig config = EvalOptions.config(a);
    String formatName = a.get("format", "exact");
    VectorFormat format =
        formatName.equals("exact") ? null : a.get("format", null, VectorFormat::parse);
    int depth = a.getInt("depth", 100, 1, 1_000_000);
    int k = a.getInt("k", 10, 1, 1_000_000);
    int whiten = a.getInt("whiten", 0, 0, 100_000);
    boolean dbaApplies = whiten == 0 && config.normalization() != Normalization.NONE;
    int dba =
        a.getInt("dba", dbaApplies ? IndexConfig.DEFAULT_AUGMENT : 0, 0, IndexConfig.MAX_AUGMENT);
    double whitenPower = a.getDouble("whiten-power", 1);
    double ownWeight = a.getDouble("own-weight", IndexConfig.AUGMENT_OWN_WEIGHT);
    if (!(ownWeight >= 0 && ownWeight <= 1)) {
      throw new UsageException("--own-weight must be between 0 and 1, got " + ownWeight);
    }
    if (a.has("own-weight") && format != null && ownWeight != IndexConfig.AUGMENT_OWN_WEIGHT) {
      throw new UsageException(
          "an index scores with --own-weight "
              + IndexConfig.AUGMENT_OWN_WEIGHT
              + "; other weights need --format exact");
    }
    if (!(whitenPower >= 0 && whitenPower <= 1)) {
      throw new UsageException("--whiten-power must be between 0 and 1, got " + whitenPower);
    }
    RetrievalBenchmark.WhitenSplit split =
        a.get(
            "whiten-split",
            RetrievalBenchmark.WhitenSplit.IMAGES,
            RetrievalBenchmark.WhitenSplit::parse);
    long seed = a.getInt("seed", 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
    if (whiten > 0 && format != null) {
      throw new UsageException("--whiten and --format " + format.cliName() + " cannot be combined");
    }
    EmbeddingCache.Extraction extraction = EvalOptions.extraction(a, config);
    EmbeddingCache cache = EvalOptions.cache(a);
    try {
      LabeledImages images = EvalOptions.labeled(a);
      EmbeddedSet set =
          EmbeddedSet.of(images, config, cache, extraction, EvalOptions.progress(a, err));
      int failures = EvalOptions.reportFailures(set.failed(), set.errors(), out);
      if (set.size() < 2) {
        err.println("mobilenet eval retrieval: fewer than 2 images decoded");
        return SOME_FAILED;
      }
      long evalStart = System.nanoTime();
      RetrievalBenchmark.Report report;
      IndexedRetrieval.Report indexed = null;
      try {
        if (format == null) {
          report =
              RetrievalBenchmark.run(
                  set,
                  config.normalization().similarity(),
                  new RetrievalBenchmark.Options(
                      k, whiten, split, seed, dba, whitenPower, ownWeight));
        } else {
          indexed = IndexedRetrieval.run(set, extraction.profile(), config, format, dba, depth, k);
          report = new RetrievalBenchmark.Report(indexed.metrics(), null, set.dimensions());
        }
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      double evalSeconds = (System.nanoTime() - evalStart) / 1e9;
      RetrievalMetrics.Result m = report.metrics();
      LayerFeatures.ExtractionTiming t = set.features().timing();
      Map<String, Object> line =
          Json.obj(
              "images",
              set.size(),
              "classes",
              set.classes().size(),
              "queries",
              m.queries(),
              "config",
              config.toString(),
              "layer",
              config.layer(),
              "pool",
              config.pooling().toString(),
              "preprocess",
              config.preprocessing().cliName(),
              "resize",
              config.resize().cliName(),
              "normalize",
              config.normalization().cliName(),
              "format",
              format == null ? "exact" : format.cliName(),
              "dims",
              report.dimensions(),
              "bytes_per_vector",
              4 * report.dimensions(),
              "map",
              EvalOptions.round(m.meanAveragePrecision(), 4),
              "p@1",
              EvalOptions.round(m.precisionAt1(), 4),
              "p@" + k,
              EvalOptions.round(m.precisionAtK(), 4),
              "recall@" + k,
              EvalOptions.round(m.recallAtK(), 4));
      if (indexed != null) {
        line.put("depth", Math.min(depth, set.size() - 1));
        line.put("map_exact", EvalOptions.round(indexed.exact().meanAveragePrecision(), 4));
        line.put("recall@" + k + "_exact", EvalOptions.round(indexed.exact().recallAtK(), 4));
        line.put(
            "search_bytes_per_vector",
            EvalOptions.round(indexed.stats().searchBytesPerVector(), 1));
        line.put("ms_per_query", EvalOptions.round(indexed.millisPerQuery(), 3));
      }
      line.put("dba", dba);
      if (dba > 0) {
        line.put("own_weight", ownWeight);
      }
      if (whiten > 0) {
        line.put("whiten", whiten);
        line.put("whiten_power", whitenPower);
        line.put("whiten_split", split.name().toLowerCase(java.util.Locale.ROOT));
        line.put(
            "map_unwhitened", EvalOptions.round(report.unwhitened().meanAveragePrecision(), 4));
      }
      line.put(
          "extract_ms_per_image",
          EvalOptions.round(t.prepareMillisPerImage() + t.inferMillisPerImage(), 2));
      line.put("images_per_second", EvalOptions.round(t.imagesPerSecond(), 1));
      line.put("cached", set.features().cached());
      line.put("eval_seconds", EvalOptions.round(evalSeconds, 2));
      line.put("seconds", EvalOptions.round((System.nanoTime() - start) / 1e9, 2));
      Json.line(out, line);
      return failures == 0 ? OK : SOME_FAILED;
    } catch (IOException e) {
      err.println("mobilenet eval retrieval: " + e.getMessage());
      return SOME_FAILED;
    }
  }
}
