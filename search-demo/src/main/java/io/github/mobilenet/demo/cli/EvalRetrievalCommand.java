package io.github.mobilenet.demo.cli;

import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.index.VectorFormat;
import io.github.mobilenet.eval.data.EmbeddingConfig;
import io.github.mobilenet.eval.data.LayerFeatures;
import io.github.mobilenet.eval.retrieval.IndexedRetrieval;
import io.github.mobilenet.eval.retrieval.Normalization;
import io.github.mobilenet.eval.retrieval.RetrievalBenchmark;
import io.github.mobilenet.eval.retrieval.RetrievalMetrics;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code eval retrieval}: mAP, P@1, P@k and recall@k of every labelled image as a query against the
 * others.
 */
@Command(
    name = "retrieval",
    sortOptions = false,
    description = {
      "mAP, P@1, P@k and recall@k, each image a query.",
      "Every image a query against all others (itself excluded; same class = relevant). Prints one"
          + " line: {\"map\": ..., \"p@1\": ..., \"p@10\": ..., \"recall@10\": ..., \"dims\":"
          + " ..., \"seconds\": ..., ...}. Features are cached (see --cache) so sweeps are cheap."
    })
final class EvalRetrievalCommand extends CliCommand {
  @Option(
      names = "--format",
      paramLabel = "exact|float|int7|int4|bit",
      defaultValue = "exact",
      description =
          "exact: brute-force cosine over the whole set (default). Otherwise search through a real"
              + " index (HNSW over float or quantized vectors, exact rescoring) for the top --depth"
              + " hits of each query; map is then over those hits, and map_exact is the exact"
              + " ranking cut at the same depth.")
  String formatName;

  @Option(
      names = "--depth",
      paramLabel = "N",
      defaultValue = "100",
      description = "Hits per query with --format (default: ${DEFAULT-VALUE}).")
  int depth;

  @Option(
      names = "--k",
      paramLabel = "K",
      defaultValue = "10",
      description = "k of P@k and recall@k (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(
      names = "--dba",
      paramLabel = "N",
      description =
          "Database-side augmentation, each vector averaged with its N nearest neighbours (no"
              + " labels used); default "
              + IndexConfig.DEFAULT_AUGMENT
              + " as in an index (0 with --whiten or --normalize none); 0 measures the embedding"
              + " alone.")
  Integer dbaOption;

  @Option(
      names = "--own-weight",
      paramLabel = "W",
      description =
          "With --dba, score = W x plain cosine + (1 - W) x augmented cosine (default: "
              + IndexConfig.AUGMENT_OWN_WEIGHT
              + ", as an index).")
  Double ownWeightOption;

  @Option(
      names = "--whiten",
      paramLabel = "DIMS",
      defaultValue = "0",
      description =
          "PCA-whitening learned on one half of the images, evaluated on the other half and vice"
              + " versa; also prints map_unwhitened on the same halves (default: 0 = off).")
  int whiten;

  @Option(
      names = "--whiten-power",
      paramLabel = "P",
      defaultValue = "1",
      description =
          "0 keeps the centring and projection but not the variance equalisation (default:"
              + " ${DEFAULT-VALUE}).")
  double whitenPower;

  @Option(
      names = "--whiten-split",
      paramLabel = "images|classes",
      defaultValue = "images",
      description =
          "How the halves are drawn: stratified images, or disjoint classes (default:"
              + " ${DEFAULT-VALUE}).")
  RetrievalBenchmark.WhitenSplit split;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "0",
      description = "Seed of the whitening split (default: ${DEFAULT-VALUE}).")
  int seedOption;

  @Mixin EvalOptions eval;

  @Override
  public Integer call() throws UsageException {
    long start = System.nanoTime();
    EmbeddingConfig config = eval.config();
    VectorFormat format;
    try {
      format = formatName.equals("exact") ? null : VectorFormat.parse(formatName);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--format: " + e.getMessage());
    }
    Check.range("--depth", depth, 100, 1, 1_000_000);
    Check.range("--k", k, 10, 1, 1_000_000);
    Check.range("--whiten", whiten, 0, 0, 100_000);
    boolean dbaApplies = whiten == 0 && config.normalization() != Normalization.NONE;
    int dba =
        Check.range(
            "--dba",
            dbaOption,
            dbaApplies ? IndexConfig.DEFAULT_AUGMENT : 0,
            0,
            IndexConfig.MAX_AUGMENT);
    double ownWeight = ownWeightOption != null ? ownWeightOption : IndexConfig.AUGMENT_OWN_WEIGHT;
    if (!(ownWeight >= 0 && ownWeight <= 1)) {
      throw new UsageException("--own-weight must be between 0 and 1, got " + ownWeight);
    }
    if (ownWeightOption != null && format != null && ownWeight != IndexConfig.AUGMENT_OWN_WEIGHT) {
      throw new UsageException(
          "an index scores with --own-weight "
              + IndexConfig.AUGMENT_OWN_WEIGHT
              + "; other weights need --format exact");
    }
    if (!(whitenPower >= 0 && whitenPower <= 1)) {
      throw new UsageException("--whiten-power must be between 0 and 1, got " + whitenPower);
    }
    long seed = seedOption;
    if (whiten > 0 && format != null) {
      throw new UsageException("--whiten and --format " + format.cliName() + " cannot be combined");
    }
    return eval.withEmbeddedSet(
        "eval retrieval",
        config,
        out(),
        err(),
        (set, extraction, failures) -> {
          if (set.size() < 2) {
            err().println("mobilenet eval retrieval: fewer than 2 images decoded");
            return ExitCode.SOME_FAILED;
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
              indexed =
                  IndexedRetrieval.run(set, extraction.profile(), config, format, dba, depth, k);
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
          if (config.embedding().inputSize() != null) {
            line.put("input_size", config.embedding().inputSize().spec());
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
          Json.line(out(), line);
          return failures == 0 ? ExitCode.OK : ExitCode.SOME_FAILED;
        });
  }
}
