package io.github.mobilenet.solr;

import io.github.mobilenet.embeddings.search.SearchOptions;
import java.util.Map;
import org.apache.solr.client.solrj.util.ClientUtils;
import org.apache.solr.common.params.ModifiableSolrParams;

/**
 * The Solr parameters of a similarity query: {@code {!knn f=vector topK=K}[...]} (or, exact, the
 * {@code vectorSimilarity} function over every image), tags and exclusions as filter queries, which
 * Solr applies as kNN pre-filters. Stateless.
 */
final class SolrQueries {
  private SolrQueries() {}

  static ModifiableSolrParams similar(float[] unit, SearchOptions options) {
    StringBuilder v = new StringBuilder(unit.length * 12).append('[');
    for (int i = 0; i < unit.length; i++) {
      if (i > 0) {
        v.append(',');
      }
      v.append(unit[i]);
    }
    v.append(']');
    ModifiableSolrParams p = new ModifiableSolrParams();
    if (options.exact()) {
      p.set(
          "q", "{!func}vectorSimilarity(FLOAT32,DOT_PRODUCT," + SolrSchema.VECTOR + "," + v + ")");
      p.add("fq", SolrSchema.IMAGES);
      p.set("sort", "score desc," + SolrSchema.PATH + " asc");
    } else {
      // Solr 9 has no separate beam width: more candidates = a larger topK, cut to k.
      int topK = Math.max(options.k(), options.candidates());
      p.set("q", "{!knn f=" + SolrSchema.VECTOR + " topK=" + topK + "}" + v);
    }
    p.set("rows", options.k());
    p.set("fl", SolrSchema.DOC_FIELDS + ",score");
    for (Map.Entry<String, String> f : options.filters()) {
      p.add(
          "fq", "{!term f=" + SolrSchema.TAGS + "}" + SolrSchema.tagTerm(f.getKey(), f.getValue()));
    }
    if (!options.excludeIds().isEmpty()) {
      StringBuilder ex = new StringBuilder("*:*");
      for (String id : options.excludeIds()) {
        String term = ClientUtils.escapeQueryChars(id);
        ex.append(" -").append(SolrSchema.ID).append(':').append(term);
        ex.append(" -").append(SolrSchema.CONTENT).append(':').append(term);
      }
      p.add("fq", ex.toString());
    }
    return p;
  }

  /** A Solr dot_product score, (1 + dot) / 2 of unit vectors, as the cosine. */
  static float cosine(float solrScore) {
    return Math.max(-1f, Math.min(1f, 2f * solrScore - 1f));
  }
}
