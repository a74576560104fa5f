package io.github.mobilenet.embeddings.codec;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

/**
 * Lucene's HNSW vectors formats with a maximum dimension of {@value #MAX_DIMENSIONS} instead of
 * 1024, so 1280-d pooled MobileNetV2 vectors (and pooled spatial grids) fit. The files are exactly
 * Lucene's; only the dimension check differs. Each subclass is registered under its own name in
 * {@code META-INF/services/org.apache.lucene.codecs.KnnVectorsFormat}: segments record that name,
 * so any JVM with this jar on the classpath reopens the index through the ordinary SPI lookup.
 */
public abstract class ImageVectorsFormat extends KnnVectorsFormat {
  /** Largest vector dimension accepted (a 2×2 grid of 1280 channels is 5120). */
  public static final int MAX_DIMENSIONS = 16384;

  /** HNSW neighbours per node (Lucene's default). */
  public static final int MAX_CONN = Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN;

  /** HNSW construction beam width (Lucene's default). */
  public static final int BEAM_WIDTH = Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH;

  private final KnnVectorsFormat delegate;

  private ImageVectorsFormat(String name, KnnVectorsFormat delegate) {
    super(name);
    this.delegate = delegate;
  }

  @Override
  public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
    return delegate.fieldsWriter(state);
  }

  @Override
  public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
    return delegate.fieldsReader(state);
  }

  @Override
  public int getMaxDimensions(String fieldName) {
    return MAX_DIMENSIONS;
  }

  @Override
  public String toString() {
    return getName() + "(" + delegate + ")";
  }

  private static KnnVectorsFormat quantized(
      ScalarEncoding encoding, int mergeWorkers, ExecutorService mergeExecutor) {
    return mergeExecutor == null
        ? new Lucene104HnswScalarQuantizedVectorsFormat(encoding, MAX_CONN, BEAM_WIDTH)
        : new Lucene104HnswScalarQuantizedVectorsFormat(
            encoding, MAX_CONN, BEAM_WIDTH, mergeWorkers, mergeExecutor);
  }

  /** float32 vectors in an HNSW graph. */
  public static final class Float32 extends ImageVectorsFormat {
    /** The format as read back (and written by a single merge thread). */
    public Float32() {
      this(1, null);
    }

    /**
     * The format whose merges build the HNSW graph on {@code mergeWorkers} threads of {@code
     * mergeExecutor} (null: on the merging thread); the files are the same.
     */
    public Float32(int mergeWorkers, ExecutorService mergeExecutor) {
      super(
          "ImageVectorsFloat32",
          mergeExecutor == null
              ? new Lucene99HnswVectorsFormat(MAX_CONN, BEAM_WIDTH)
              : new Lucene99HnswVectorsFormat(MAX_CONN, BEAM_WIDTH, mergeWorkers, mergeExecutor));
    }
  }

  /** 7-bit scalar quantization, float32 kept for rescoring. */
  public static final class Int7 extends ImageVectorsFormat {
    /** The format as read back (and written by a single merge thread). */
    public Int7() {
      this(1, null);
    }

    /**
     * The format whose merges build the HNSW graph on {@code mergeWorkers} threads of {@code
     * mergeExecutor} (null: on the merging thread); the files are the same.
     */
    public Int7(int mergeWorkers, ExecutorService mergeExecutor) {
      super("ImageVectorsInt7", quantized(ScalarEncoding.SEVEN_BIT, mergeWorkers, mergeExecutor));
    }
  }

  /** 4-bit scalar quantization, float32 kept for rescoring. */
  public static final class Int4 extends ImageVectorsFormat {
    /** The format as read back (and written by a single merge thread). */
    public Int4() {
      this(1, null);
    }

    /**
     * The format whose merges build the HNSW graph on {@code mergeWorkers} threads of {@code
     * mergeExecutor} (null: on the merging thread); the files are the same.
     */
    public Int4(int mergeWorkers, ExecutorService mergeExecutor) {
      super(
          "ImageVectorsInt4", quantized(ScalarEncoding.PACKED_NIBBLE, mergeWorkers, mergeExecutor));
    }
  }

  /** 1-bit quantization (queries at 4 bits), float32 kept for rescoring. */
  public static final class Bit extends ImageVectorsFormat {
    /** The format as read back (and written by a single merge thread). */
    public Bit() {
      this(1, null);
    }

    /**
     * The format whose merges build the HNSW graph on {@code mergeWorkers} threads of {@code
     * mergeExecutor} (null: on the merging thread); the files are the same.
     */
    public Bit(int mergeWorkers, ExecutorService mergeExecutor) {
      super(
          "ImageVectorsBit",
          quantized(ScalarEncoding.SINGLE_BIT_QUERY_NIBBLE, mergeWorkers, mergeExecutor));
    }
  }
}
