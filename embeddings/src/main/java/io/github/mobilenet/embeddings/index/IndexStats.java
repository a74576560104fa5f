package io.github.mobilenet.embeddings.index;

import java.util.Map;

/**
 * What an index holds.
 *
 * @param documents live documents (image files)
 * @param distinctIds distinct content hashes among them
 * @param segments Lucene segments in the open reader
 * @param bytesOnDisk total size of the files of the open commit point or NRT view
 * @param bytesByKind bytes by file kind: {@code vectors_float} (.vec), {@code vectors_quantized}
 *     (.veq), {@code hnsw_graph} (.vex), {@code vector_meta}, {@code stored_fields}, {@code terms},
 *     {@code other}; files inside compound files are counted by their own kind
 * @param config the index configuration
 */
public record IndexStats(
    int documents,
    int distinctIds,
    int segments,
    long bytesOnDisk,
    Map<String, Long> bytesByKind,
    IndexConfig config) {
  /**
   * Bytes on disk of everything approximate search reads per vector: quantized vectors (or floats)
   * + graph.
   */
  public double searchBytesPerVector() {
    if (documents == 0) {
      return 0;
    }
    long vectors =
        config.format() == VectorFormat.FLOAT32
            ? bytesByKind.getOrDefault("vectors_float", 0L)
            : bytesByKind.getOrDefault("vectors_quantized", 0L);
    return (double) (vectors + bytesByKind.getOrDefault("hnsw_graph", 0L)) / documents;
  }
}
