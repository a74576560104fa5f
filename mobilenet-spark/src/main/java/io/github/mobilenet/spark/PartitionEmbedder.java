package io.github.mobilenet.spark;

import io.github.mobilenet.core.MobileNetException;
import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.extract.Features;
import io.github.mobilenet.core.image.ImageDecodeException;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.preprocess.PreparedImage;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.job.IndexingFailure;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Embeds one partition: rows in, the same rows with embedding, width, height, reason and error
 * appended. Rows are taken {@code batchSize} at a time, decoded on the task's thread and run as one
 * inference on the executor's shared extractor, so memory stays at one batch whatever the partition
 * size. A row whose bytes do not decode gets a null embedding and the decoder's reason; it never
 * fails the task.
 */
final class PartitionEmbedder implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  /** Appended columns: embedding, width, height, reason, error. */
  static final int ADDED = 5;

  private final EmbeddingSettings settings;
  private final int contentIndex;
  private final int nameIndex;

  /**
   * @param contentIndex the column of encoded image bytes
   * @param nameIndex a string column naming each image in error messages (e.g. {@code path}), or -1
   *     for none
   */
  PartitionEmbedder(EmbeddingSettings settings, int contentIndex, int nameIndex) {
    this.settings = settings;
    this.contentIndex = contentIndex;
    this.nameIndex = nameIndex;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    FeatureExtractor fx = Extractors.get(settings);
    ImageEmbedder embedder = settings.embedder(fx);
    String layer = embedder.config().layer();
    ArrayDeque<Row> ready = new ArrayDeque<>();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        while (ready.isEmpty() && rows.hasNext()) {
          embedBatch(rows, fx, embedder, layer, ready);
        }
        return !ready.isEmpty();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ready.poll();
      }
    };
  }

  private void embedBatch(
      Iterator<Row> rows,
      FeatureExtractor fx,
      ImageEmbedder embedder,
      String layer,
      ArrayDeque<Row> out) {
    List<Row> batch = new ArrayList<>(settings.batchSize());
    List<Object> outcomes = new ArrayList<>(settings.batchSize()); // PreparedImage or a failure
    List<PreparedImage> prepared = new ArrayList<>(settings.batchSize());
    while (batch.size() < settings.batchSize() && rows.hasNext()) {
      Row row = rows.next();
      Object outcome = prepare(fx, row);
      if (outcome instanceof PreparedImage p) {
        prepared.add(p);
      }
      batch.add(row);
      outcomes.add(outcome);
    }
    List<Features> features = prepared.isEmpty() ? List.of() : fx.run(prepared, layer);
    int next = 0;
    for (int i = 0; i < batch.size(); i++) {
      if (outcomes.get(i) instanceof PreparedImage p) {
        float[] v = embedder.toVector(features.get(next++));
        out.add(appended(batch.get(i), toMl(v), p.width(), p.height(), null, null));
      } else {
        Failure f = (Failure) outcomes.get(i);
        out.add(appended(batch.get(i), null, null, null, f.reason(), f.message()));
      }
    }
  }

  /** Decodes and preprocesses one row's bytes: a {@link PreparedImage} or a {@link Failure}. */
  private Object prepare(FeatureExtractor fx, Row row) {
    String name =
        nameIndex >= 0 && !row.isNullAt(nameIndex) ? row.getString(nameIndex) : "<row bytes>";
    if (row.isNullAt(contentIndex)) {
      return new Failure(IndexingFailure.Reason.EMPTY.code(), name + ": no content (null)");
    }
    byte[] bytes = (byte[]) row.get(contentIndex);
    try {
      return fx.prepare(ImageSource.of(bytes, name));
    } catch (ImageDecodeException e) {
      return failure(e);
    } catch (MobileNetException e) {
      return new Failure(IndexingFailure.Reason.ERROR.code(), e.getMessage());
    } catch (RuntimeException e) {
      // a decoder's own bug on odd data: corrupt, as the local job's streaming extraction says
      return failure(
          new ImageDecodeException(
              name, ImageDecodeException.Reason.CORRUPT, String.valueOf(e), e));
    } catch (OutOfMemoryError e) {
      // one huge image must not kill the executor's other tasks
      return failure(
          new ImageDecodeException(
              name, ImageDecodeException.Reason.TOO_LARGE, String.valueOf(e), e));
    }
  }

  private static Failure failure(ImageDecodeException e) {
    return new Failure(IndexingFailure.Reason.of(e.reason()).code(), e.getMessage());
  }

  private static Vector toMl(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return Vectors.dense(d);
  }

  private static Row appended(
      Row row, Vector embedding, Integer width, Integer height, String reason, String error) {
    Object[] values = new Object[row.length() + ADDED];
    for (int i = 0; i < row.length(); i++) {
      values[i] = row.get(i);
    }
    int at = row.length();
    values[at] = embedding;
    values[at + 1] = width;
    values[at + 2] = height;
    values[at + 3] = reason;
    values[at + 4] = error;
    return RowFactory.create(values);
  }

  private record Failure(String reason, String message) {}
}
