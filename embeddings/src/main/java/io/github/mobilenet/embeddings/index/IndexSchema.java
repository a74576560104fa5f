package io.github.mobilenet.embeddings.index;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.BytesRef;

/**
 * The one place that knows how an image is laid out as a Lucene document: field names, and {@link
 * ImageDoc} to {@link Document} and back. Stateless and thread-safe.
 *
 * <p>Every document has a unique {@link #PATH}; {@link #ID} is unique too for documents written
 * since ids are per path (see {@link ImageIds}); older documents' id is their content hash, shared
 * by identical copies. {@link #CONTENT} holds the content hash where it differs from the id.
 */
public final class IndexSchema {
  private IndexSchema() {}

  /** The image id (indexed, stored). */
  public static final String ID = "id";

  /** Absolute, normalised path: the document's unique key (indexed, stored). */
  public static final String PATH = "path";

  /**
   * Content hash of the file when it differs from {@link #ID} (indexed, stored); documents written
   * before per-path ids have none, their id is the content hash.
   */
  public static final String CONTENT = "content";

  public static final String SIZE = "size";
  public static final String MODIFIED = "modified";
  public static final String WIDTH = "width";
  public static final String HEIGHT = "height";

  /** Tags as {@code key=value} terms (indexed, stored). */
  public static final String TAG = "tag";

  /** The image's own vector: the HNSW graph's, compared by dot product. */
  public static final String VECTOR = "vector";

  /**
   * With augmentation: the augmented vector (little-endian float32 binary doc values); {@link
   * #VECTOR} stays the image's own.
   */
  public static final String AUGMENTED = "augmented";

  /**
   * With augmentation: the paths of the neighbours summed into the augmented vector (binary doc
   * values, NUL-separated).
   */
  public static final String NEIGHBOURS = "neighbours";

  /**
   * With augmentation: float bits of the cosine to the last of those neighbours; a closer newcomer
   * enters.
   */
  public static final String FLOOR = "neighbour_floor";

  /**
   * With local features: the image's ORB keypoints and descriptors in {@code LocalFeaturesCodec}'s
   * form (binary doc values: stored uncompressed, so a query reads a candidate's ~41 KiB as one
   * slice copy; stored fields would decompress a block per candidate).
   */
  public static final String LOCAL_FEATURES = "local_features";

  /** With augmentation: 1 while the image is new or changed since the last pass. */
  public static final String STALE = "stale";

  /**
   * The document of {@code doc} with its (normalised) own vector; with augmentation the own vector
   * stands in for the augmented one until the next pass, which the stale mark asks for.
   */
  public static Document document(ImageDoc doc, float[] own, boolean augment) {
    return document(doc, own, augment, null);
  }

  /** {@link #document(ImageDoc, float[], boolean)} with encoded local features (null: none). */
  public static Document document(
      ImageDoc doc, float[] own, boolean augment, byte[] localFeatures) {
    Document d = new Document();
    d.add(new StringField(ID, doc.id(), Field.Store.YES));
    d.add(new StringField(PATH, doc.path(), Field.Store.YES));
    if (!doc.content().equals(doc.id())) {
      d.add(new StringField(CONTENT, doc.content(), Field.Store.YES));
    }
    d.add(new StoredField(SIZE, doc.size()));
    d.add(new StoredField(MODIFIED, doc.modified()));
    d.add(new StoredField(WIDTH, doc.width()));
    d.add(new StoredField(HEIGHT, doc.height()));
    doc.tags()
        .forEach(
            (k, values) ->
                values.forEach(
                    value -> d.add(new StringField(TAG, tagTerm(k, value), Field.Store.YES))));
    d.add(new KnnFloatVectorField(VECTOR, own, VectorSimilarityFunction.DOT_PRODUCT));
    if (localFeatures != null) {
      d.add(new BinaryDocValuesField(LOCAL_FEATURES, new BytesRef(localFeatures)));
    }
    if (augment) {
      for (Field f : augmentationFields(own, List.of(), -2, true)) {
        d.add(f);
      }
    }
    return d;
  }

  /** The term a tag filter matches. */
  public static String tagTerm(String key, String value) {
    return key + "=" + value;
  }

  /** The image a stored document describes. */
  public static ImageDoc imageDoc(Document d) {
    Map<String, List<String>> tags = new TreeMap<>();
    for (IndexableField f : d.getFields(TAG)) {
      String kv = f.stringValue();
      int eq = kv.indexOf('=');
      tags.computeIfAbsent(kv.substring(0, eq), k -> new ArrayList<>()).add(kv.substring(eq + 1));
    }
    String id = d.get(ID);
    String content = d.get(CONTENT);
    return new ImageDoc(
        id,
        d.get(PATH),
        d.getField(SIZE).numericValue().longValue(),
        d.getField(MODIFIED).numericValue().longValue(),
        d.getField(WIDTH).numericValue().intValue(),
        d.getField(HEIGHT).numericValue().intValue(),
        tags,
        content != null ? content : id);
  }

  /**
   * The doc-values fields of augmentation; an augmentation pass updates them in place (no
   * reindexing).
   */
  public static Field[] augmentationFields(
      float[] augmented, List<String> neighbours, float floor, boolean stale) {
    return new Field[] {
      new BinaryDocValuesField(AUGMENTED, new BytesRef(bytes(augmented))),
      new BinaryDocValuesField(NEIGHBOURS, new BytesRef(String.join("\0", neighbours))),
      new NumericDocValuesField(FLOOR, Float.floatToIntBits(floor)),
      new NumericDocValuesField(STALE, stale ? 1 : 0)
    };
  }

  /** Little-endian float32, the layout of {@link #AUGMENTED}. */
  static byte[] bytes(float[] v) {
    ByteBuffer bytes = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(v);
    return bytes.array();
  }

  /** The floats of an {@link #AUGMENTED} value. */
  public static float[] floats(BytesRef b) {
    float[] out = new float[b.length / 4];
    ByteBuffer.wrap(b.bytes, b.offset, b.length)
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .get(out);
    return out;
  }
}
