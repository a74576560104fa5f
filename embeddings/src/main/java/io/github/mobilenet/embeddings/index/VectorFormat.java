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
