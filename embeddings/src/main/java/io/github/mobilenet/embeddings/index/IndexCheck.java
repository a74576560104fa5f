package io.github.mobilenet.embeddings.index;

import io.github.mobilenet.core.util.Vectors;
import io.github.mobilenet.embeddings.EmbeddingsException;
import io.github.mobilenet.embeddings.EmbeddingsException.Reason;
import io.github.mobilenet.embeddings.search.VectorSearch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * A full verification of an image index, for when searches report corruption or before trusting an
 * index copied from elsewhere: Lucene's {@link CheckIndex} (every file's checksum and the integrity
 * of every segment), then the project's own invariants (the configuration is readable; every image
 * has an id and a path; own and augmented vectors are there, of the index's dimension, finite and
 * of unit length). Reads every byte of the index: slow on a large one. Needs the index not to be
 * written meanwhile (Lucene takes its write lock). Changes nothing.
 */
public final class IndexCheck {
  private IndexCheck() {}

  /** Most problems listed; a badly damaged index would otherwise list one per document. */
  static final int MAX_PROBLEMS = 100;

  /**
   * What a check found.
   *
   * @param folder the index
   * @param documents live documents checked against the project's invariants
   * @param problems what is wrong, one line each, at most {@value #MAX_PROBLEMS}; empty when clean
   * @param luceneLog Lucene's CheckIndex output
   */
  public record Report(Path folder, int documents, List<String> problems, String luceneLog) {
    public Report {
      problems = List.copyOf(problems);
    }

    /** True when nothing is wrong. */
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /**
   * Checks the index at {@code folder}.
   *
   * @throws EmbeddingsException {@link Reason#NOT_FOUND} when there is no index there, {@link
   *     Reason#LOCKED} when it is being written
   */
  public static Report run(Path folder) {
    IndexFolder.requireFolder(folder);
    List<String> problems = new ArrayList<>();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    int documents = 0;
    try (Directory dir = FSDirectory.open(folder)) {
      try (CheckIndex check = new CheckIndex(dir)) {
        check.setLevel(
            Math.max(
                CheckIndex.Level.DEFAULT_VALUE, CheckIndex.Level.MIN_LEVEL_FOR_INTEGRITY_CHECKS));
        check.setInfoStream(new PrintStream(log, true, StandardCharsets.UTF_8));
        CheckIndex.Status status = check.checkIndex();
        if (!status.clean) {
          problems.add(
              "Lucene's check failed: "
                  + (status.missingSegments
                      ? "no segments file"
                      : status.numBadSegments + " of " + status.numSegments + " segments damaged")
                  + " (see the Lucene log)");
        }
      } catch (LockObtainFailedException e) {
        throw new EmbeddingsException(
            Reason.LOCKED, folder, "index " + folder + " is being written by another process", e);
      }
      Optional<IndexConfig> config;
      try {
        config = IndexFolder.readConfig(dir, folder);
      } catch (IndexConfigMismatchException e) {
        problems.add("configuration unreadable: " + e.getMessage());
        config = Optional.empty();
      }
      if (config.isEmpty() && problems.isEmpty()) {
        throw new EmbeddingsException(Reason.NOT_FOUND, folder, "no image index at " + folder);
      }
      if (config.isPresent() && problems.isEmpty()) {
        documents = invariants(dir, config.get(), problems);
      }
    } catch (IOException e) {
      problems.add("cannot read: " + EmbeddingsException.rootMessage(e));
    }
    if (problems.size() > MAX_PROBLEMS) {
      int more = problems.size() - MAX_PROBLEMS;
      problems = new ArrayList<>(problems.subList(0, MAX_PROBLEMS));
      problems.add("... and " + more + " more");
    }
    return new Report(folder, documents, problems, log.toString(StandardCharsets.UTF_8));
  }

  /** The project's invariants for every live document; returns how many were checked. */
  private static int invariants(Directory dir, IndexConfig config, List<String> problems) {
    try (DirectoryReader reader = DirectoryReader.open(dir)) {
      DocLookup lookup = new DocLookup(new IndexSearcher(reader));
      StoredFields stored = reader.storedFields();
      List<Integer> docs = lookup.allDocs();
      for (int doc : docs) {
        String path;
        try {
          var d = stored.document(doc);
          path = d.get(IndexSchema.PATH);
          if (path == null || d.get(IndexSchema.ID) == null) {
            problems.add("document " + doc + " has no " + (path == null ? "path" : "id"));
            path = path == null ? "document " + doc : path;
          }
          vector(problems, path, "vector", lookup.own(doc), config);
          if (config.augment() > 0) {
            vector(problems, path, "augmented vector", lookup.augmented(doc), config);
          }
        } catch (IOException | RuntimeException e) {
          problems.add("document " + doc + ": cannot read: " + EmbeddingsException.rootMessage(e));
        }
        if (problems.size() > MAX_PROBLEMS) {
          break;
        }
      }
      return docs.size();
    } catch (IOException e) {
      problems.add("cannot open: " + EmbeddingsException.rootMessage(e));
      return 0;
    }
  }

  private static void vector(
      List<String> problems, String path, String what, float[] v, IndexConfig config) {
    if (v.length != config.dimension()) {
      problems.add(
          path + ": " + what + " has " + v.length + " values, expected " + config.dimension());
    } else if (!Vectors.isUnit(v, VectorSearch.TOLERANCE)) {
      problems.add(
          path
              + ": "
              + what
              + " is not finite and of unit length (length "
              + Vectors.norm(v)
              + ")");
    }
  }
}
