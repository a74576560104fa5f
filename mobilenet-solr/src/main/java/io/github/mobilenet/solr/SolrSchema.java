package io.github.mobilenet.solr;

import io.github.mobilenet.embeddings.index.ImageDoc;
import io.github.mobilenet.embeddings.index.IndexConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;

/**
 * The one place that knows how an image is laid out as a Solr document (the configset's {@code
 * managed-schema.xml}): field names, {@link ImageDoc} to {@link SolrInputDocument} and back, and
 * the configuration document. Stateless.
 */
final class SolrSchema {
  private SolrSchema() {}

  /** The unique key: the absolute, normalised path, as in the local index. */
  static final String PATH = "path";

  /** The per-path image id ({@link io.github.mobilenet.embeddings.index.ImageIds}). */
  static final String ID = "id";

  static final String CONTENT = "content";
  static final String SIZE = "size";
  static final String MTIME = "mtime";
  static final String WIDTH = "width";
  static final String HEIGHT = "height";

  /** Tags as {@code key=value} terms. */
  static final String TAGS = "tags";

  static final String VECTOR = "vector";
  static final String LOCAL_FEATURES = "local_features";

  /** The configuration document's field: {@link IndexConfig#toUserData()} as key=value. */
  static final String CONFIG = "mobilenet_config";

  /** The configuration document's key; no image path is relative like this one. */
  static final String CONFIG_KEY = "_mobilenet_config_";

  /** The fields of an {@link ImageDoc} (no vector). */
  static final String DOC_FIELDS = "path,id,content,size,mtime,width,height,tags";

  /** Image documents only (the configuration document has no id). */
  static final String IMAGES = ID + ":[* TO *]";

  static SolrInputDocument document(ImageDoc doc, float[] vector, byte[] localFeatures) {
    SolrInputDocument d = new SolrInputDocument();
    d.addField(PATH, doc.path());
    d.addField(ID, doc.id());
    d.addField(CONTENT, doc.content());
    d.addField(SIZE, doc.size());
    d.addField(MTIME, doc.modified());
    d.addField(WIDTH, doc.width());
    d.addField(HEIGHT, doc.height());
    List<String> tags = new ArrayList<>();
    doc.tags().forEach((k, values) -> values.forEach(v -> tags.add(tagTerm(k, v))));
    if (!tags.isEmpty()) {
      d.addField(TAGS, tags);
    }
    List<Float> v = new ArrayList<>(vector.length);
    for (float x : vector) {
      v.add(x);
    }
    d.addField(VECTOR, v);
    if (localFeatures != null) {
      d.addField(LOCAL_FEATURES, localFeatures);
    }
    return d;
  }

  static String tagTerm(String key, String value) {
    return key + "=" + value;
  }

  static ImageDoc imageDoc(SolrDocument d) {
    Map<String, List<String>> tags = new TreeMap<>();
    Collection<Object> terms = d.getFieldValues(TAGS);
    if (terms != null) {
      for (Object o : terms) {
        String kv = o.toString();
        int eq = kv.indexOf('=');
        tags.computeIfAbsent(kv.substring(0, eq), k -> new ArrayList<>()).add(kv.substring(eq + 1));
      }
    }
    return new ImageDoc(
        (String) d.getFirstValue(ID),
        (String) d.getFirstValue(PATH),
        ((Number) d.getFirstValue(SIZE)).longValue(),
        ((Number) d.getFirstValue(MTIME)).longValue(),
        ((Number) d.getFirstValue(WIDTH)).intValue(),
        ((Number) d.getFirstValue(HEIGHT)).intValue(),
        tags,
        (String) d.getFirstValue(CONTENT));
  }

  /** The stored vector of a document fetched with {@link #VECTOR} in its field list. */
  static float[] vector(SolrDocument d) {
    Collection<Object> values = d.getFieldValues(VECTOR);
    if (values == null) {
      return null;
    }
    float[] v = new float[values.size()];
    int i = 0;
    for (Object o : values) {
      v[i++] = ((Number) o).floatValue();
    }
    return v;
  }

  static SolrInputDocument configDocument(IndexConfig config) {
    SolrInputDocument d = new SolrInputDocument();
    d.addField(PATH, CONFIG_KEY);
    List<String> entries = new ArrayList<>();
    config.toUserData().forEach((k, v) -> entries.add(k + "=" + v));
    d.addField(CONFIG, entries);
    return d;
  }

  /** The recorded configuration's entries, or null when {@code d} has none. */
  static Map<String, String> configEntries(SolrDocument d) {
    Collection<Object> values = d == null ? null : d.getFieldValues(CONFIG);
    if (values == null) {
      return null;
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (Object o : values) {
      String kv = o.toString();
      int eq = kv.indexOf('=');
      if (eq > 0) {
        m.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    return m;
  }
}
