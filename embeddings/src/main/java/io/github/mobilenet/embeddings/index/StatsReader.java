package io.github.mobilenet.embeddings.index;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.lucene.codecs.CompoundDirectory;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.StandardDirectoryReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.Directory;

/** Computes {@link IndexStats} for one reader: counts, and file sizes by kind. */
final class StatsReader {
  private StatsReader() {}

  static IndexStats read(DirectoryReader reader, Directory directory, IndexConfig config)
      throws IOException {
    Set<String> contents = new HashSet<>();
    StoredFields stored = reader.storedFields();
    Set<String> fields = Set.of(IndexSchema.ID, IndexSchema.CONTENT);
    for (int doc : new DocLookup(new org.apache.lucene.search.IndexSearcher(reader)).allDocs()) {
      var d = stored.document(doc, fields);
      String content = d.get(IndexSchema.CONTENT);
      contents.add(content != null ? content : d.get(IndexSchema.ID));
    }
    Map<String, Long> byKind = new TreeMap<>();
    long total = 0;
    if (reader instanceof StandardDirectoryReader sdr) {
      for (SegmentCommitInfo sci : sdr.getSegmentInfos()) {
        for (String file : sci.files()) {
          if (file.endsWith(".cfs") || file.endsWith(".cfe")) {
            continue;
          }
          long len = directory.fileLength(file);
          total += len;
          byKind.merge(kind(file), len, Long::sum);
        }
        if (sci.info.getUseCompoundFile()) {
          total +=
              directory.fileLength(sci.info.name + ".cfs")
                  + directory.fileLength(sci.info.name + ".cfe");
          try (CompoundDirectory cfs =
              sci.info.getCodec().compoundFormat().getCompoundReader(directory, sci.info)) {
            for (String inner : cfs.listAll()) {
              byKind.merge(kind(inner), cfs.fileLength(inner), Long::sum);
            }
          }
        }
      }
    }
    return new IndexStats(
        reader.numDocs(), contents.size(), reader.leaves().size(), total, byKind, config);
  }

  private static String kind(String file) {
    String ext = file.substring(file.lastIndexOf('.') + 1);
    return switch (ext) {
      case "vec" -> "vectors_float";
      case "veq" -> "vectors_quantized";
      case "vex" -> "hnsw_graph";
      case "vem", "vemf", "vemq", "vemx" -> "vector_meta";
      case "fdt", "fdx", "fdm" -> "stored_fields";
      case "tim", "tip", "tmd", "doc", "pos", "pay", "psm" -> "terms";
      default -> "other";
    };
  }
}
