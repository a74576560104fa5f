package io.github.mobilenet.embeddings.index;

import io.github.mobilenet.embeddings.codec.ImageVectorsFormat;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import org.apache.lucene.codecs.KnnVectorsFormat;

/**
 * How an index stores its vectors for approximate (HNSW) search. Every format also keeps the
 * float32 vectors, which exact search and the rescoring of approximate candidates read, so scores
 * are always exact cosines; the quantized formats make the graph search read 4× ({@link #INT7}), 8×
 * ({@link #INT4}) or 32× ({@link #BIT}) fewer bytes per vector.
 */
public enum VectorFormat {
  /** float32 HNSW (Lucene99HnswVectorsFormat). */
  FLOAT32("float", 2, 64),
  /** 7-bit scalar-quantized HNSW (Lucene104HnswScalarQuantizedVectorsFormat, SEVEN_BIT). */
  INT7("int7", 3, 64),
  /** 4-bit scalar-quantized HNSW (PACKED_NIBBLE). */
  INT4("int4", 5, 100),
  /** 1-bit quantized HNSW with 4-bit queries (SINGLE_BIT_QUERY_NIBBLE). */
  BIT("bit", 10, 200);

  private final String cliName;
  private final int oversample;
  private final int minCandidates;

  VectorFormat(String cliName, int oversample, int minCandidates) {
    this.cliName = cliName;
    this.oversample = oversample;
    this.minCandidates = minCandidates;
  }

  /** The CLI and commit-data spelling: float, int7, int4 or bit. */
  public String cliName() {
    return cliName;
  }

  /**
   * How many approximate candidates a top-{@code k} query collects before exact float rescoring: an
   * oversampled list, larger for coarser quantization (tuned with {@code bench-index}, see
   * docs/INDEX.md).
   */
  public int candidates(int k) {
    return Math.max(k * oversample, Math.max(k, minCandidates));
  }

  /** Images up to which {@link #candidates(int, long)} adds nothing to {@link #candidates(int)}. */
  public static final long CANDIDATES_SIZE_STEP = 125_000;

  /** The fewest candidates {@link #candidates(int, long)} asks for, at any index size. */
  public static final int MIN_SIZE_CANDIDATES = 64;

  /** Where the doubling of {@link #candidates(int, long)} stops (from 500 001 images). */
  public static final int DOUBLED_SIZE_CANDIDATES = 512;

  /**
   * The most candidates the index size alone asks for (past {@value #LARGEST_STEP_DOCS} images).
   */
  public static final int MAX_SIZE_CANDIDATES = 768;

  /** Images past which {@link #candidates(int, long)} asks for {@value #MAX_SIZE_CANDIDATES}. */
  public static final long LARGEST_STEP_DOCS = 750_000;

  /**
   * {@link #candidates(int)} for an index of {@code docs} images: at least {@value
   * #MIN_SIZE_CANDIDATES} candidates, doubled for each doubling of the index past {@value
   * #CANDIDATES_SIZE_STEP} images up to {@value #DOUBLED_SIZE_CANDIDATES}, then {@value
   * #MAX_SIZE_CANDIDATES} past {@value #LARGEST_STEP_DOCS}. On 1 M clustered synthetic vectors
   * (int7, docs/PERFORMANCE.md) recall@10 was 0.84–0.88 at 64 candidates, 0.949 at 128, 0.972 at
   * 256, 0.977–0.984 at 512 over four builds and 0.986–0.988 at 768 (p50 2.7–3.3 ms) over two; at
   * 100 k, 64 gave 0.998.
   */
  public int candidates(int k, long docs) {
    int floor = MIN_SIZE_CANDIDATES;
    while (floor < DOUBLED_SIZE_CANDIDATES
        && CANDIDATES_SIZE_STEP * (floor / MIN_SIZE_CANDIDATES) < docs) {
      floor *= 2;
    }
    if (docs > LARGEST_STEP_DOCS) {
      floor = MAX_SIZE_CANDIDATES;
    }
    return Math.max(candidates(k), floor);
  }

  /** The Lucene vectors format registered for this encoding (found again by name through SPI). */
  public KnnVectorsFormat luceneFormat() {
    return luceneFormat(1, null);
  }

  /**
   * The same format, with merges building the HNSW graph on {@code mergeWorkers} threads of {@code
   * mergeExecutor} (null: on the merging thread alone). Files are identical.
   */
  public KnnVectorsFormat luceneFormat(int mergeWorkers, ExecutorService mergeExecutor) {
    return switch (this) {
      case FLOAT32 -> new ImageVectorsFormat.Float32(mergeWorkers, mergeExecutor);
      case INT7 -> new ImageVectorsFormat.Int7(mergeWorkers, mergeExecutor);
      case INT4 -> new ImageVectorsFormat.Int4(mergeWorkers, mergeExecutor);
      case BIT -> new ImageVectorsFormat.Bit(mergeWorkers, mergeExecutor);
    };
  }

  /** Parses float (or float32), int7, int4, bit (or int1). */
  public static VectorFormat parse(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "float", "float32", "f32" -> FLOAT32;
      case "int7" -> INT7;
      case "int4" -> INT4;
      case "bit", "int1", "1bit" -> BIT;
      default ->
          throw new IllegalArgumentException(
              "unknown vector format '" + s + "' (expected float, int7, int4 or bit)");
    };
  }

  @Override
  public String toString() {
    return cliName;
  }
}
