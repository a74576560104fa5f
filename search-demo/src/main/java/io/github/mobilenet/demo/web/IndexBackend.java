package io.github.mobilenet.demo.web;

import io.github.mobilenet.core.image.ImageDecoder;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.image.RgbImage;
import io.github.mobilenet.embeddings.dups.DuplicateGroup;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.ImageDoc;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.search.SearchHit;
import io.github.mobilenet.embeddings.search.SearchOptions;
import io.github.mobilenet.local.extract.OrbExtractor;
import io.github.mobilenet.local.features.LocalFeatures;
import io.github.mobilenet.local.verify.Match;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The web server's view of an {@link ImageIndex}: searches go to the index (approximate kNN with
 * exact rescoring, pre-filtered by tags); uploads are embedded with the index's own configuration,
 * so query and index vectors always mean the same thing.
 *
 * <p>An index opened read-only follows the commits of an indexing job running in another process;
 * the browsing catalogue (images sorted by path, tag counts) is rebuilt when the number of images
 * changes, and at most every few seconds otherwise.
 */
public final class IndexBackend implements SearchBackend {
  private static final long CATALOG_MAX_AGE_NANOS = 5_000_000_000L;

  private final ImageIndex index;
  private final ImageEmbedder embedder;
  private final boolean ownsIndex;
  private final Object catalogLock = new Object();
  private volatile Catalog catalog;
  private volatile OrbExtractor orb;

  /** The images sorted by path and the tag counts, as of {@code builtNanos}. */
  private record Catalog(
      List<ImageDoc> byPath,
      Map<String, Map<String, Integer>> tags,
      Path commonFolder,
      int size,
      long builtNanos) {}

  /**
   * Serves an open index.
   *
   * @param embedder embeds uploads; its configuration must match the index's
   * @param closeIndex whether {@link #close()} closes the index and the embedder too
   */
  public IndexBackend(ImageIndex index, ImageEmbedder embedder, boolean closeIndex) {
    index.requireCompatible(embedder.config());
    this.index = index;
    this.embedder = embedder;
    this.ownsIndex = closeIndex;
  }

  /** Opens the index at {@code folder} read-only with an embedder of its configuration. */
  public static IndexBackend open(Path folder) {
    ImageIndex index = ImageIndex.open(folder);
    try {
      return new IndexBackend(index, ImageEmbedder.open(index.config()), true);
    } catch (RuntimeException e) {
      index.close();
      throw e;
    }
  }

  /**
   * Runs the model once on a small blank image, so the first real query does not pay for ONNX
   * Runtime's first-run setup (several hundred milliseconds).
   */
  public void warmUp() {
    embedder.embed(
        ImageSource.of(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), "warm-up"));
  }

  public ImageIndex index() {
    return index;
  }

  @Override
  public IndexFacts facts() {
    IndexConfig c = index.config();
    Catalog cat = catalog();
    return new IndexFacts(
        cat.size(),
        c.modelId(),
        c.layer(),
        c.pooling() == null ? "none" : c.pooling().toString(),
        c.preprocessing().cliName(),
        c.format().cliName(),
        c.dimension(),
        c.augment(),
        cat.tags(),
        index.folder().toString());
  }

  @Override
  public List<SearchHit> searchByImage(byte[] encoded, int k, List<TagFilter> filters) {
    return index.search(embedder, ImageSource.of(encoded, "upload"), options(k, filters));
  }

  @Override
  public List<SearchHit> searchById(String id, int k, List<TagFilter> filters) {
    if (index.get(id).isEmpty()) {
      throw new UnknownImageException(id);
    }
    return index.searchById(id, options(k, filters));
  }

  @Override
  public List<List<SearchHit>> duplicates(double threshold) {
    List<List<SearchHit>> out = new ArrayList<>();
    for (DuplicateGroup g : index.duplicates(threshold)) {
      out.add(g.members());
    }
    return out;
  }

  @Override
  public Match match(String a, String b) {
    for (String id : List.of(a, b)) {
      if (index.get(id).isEmpty()) {
        throw new UnknownImageException(id);
      }
    }
    return index.match(a, b);
  }

  @Override
  public UploadMatch matchUpload(byte[] encoded, String b) {
    if (index.get(b).isEmpty()) {
      throw new UnknownImageException(b);
    }
    RgbImage image = new ImageDecoder().decode(ImageSource.of(encoded, "upload"));
    LocalFeatures query = extractor().extractQuery(image);
    return new UploadMatch(index.match(query, b), image.width(), image.height());
  }

  private OrbExtractor extractor() {
    OrbExtractor e = orb;
    if (e == null) { // loads OpenCV's natives on first use
      e = new OrbExtractor();
      orb = e;
    }
    return e;
  }

  @Override
  public Optional<ImageDoc> image(String id) {
    return index.get(id);
  }

  @Override
  public List<ImageDoc> images(int offset, int limit) {
    List<ImageDoc> all = catalog().byPath();
    int from = Math.min(offset, all.size());
    return all.subList(from, Math.min(all.size(), from + limit));
  }

  @Override
  public Path commonFolder() {
    return catalog().commonFolder();
  }

  @Override
  public void close() {
    if (ownsIndex) {
      try {
        embedder.close();
      } finally {
        index.close();
      }
    }
  }

  private static SearchOptions options(int k, List<TagFilter> filters) {
    SearchOptions o = SearchOptions.top(k);
    for (TagFilter f : filters) {
      o = o.filter(f.key(), f.value());
    }
    return o;
  }

  private Catalog catalog() {
    Catalog c = catalog;
    int size = index.size();
    if (c != null
        && c.size() == size
        && System.nanoTime() - c.builtNanos() < CATALOG_MAX_AGE_NANOS) {
      return c;
    }
    synchronized (catalogLock) {
      c = catalog;
      if (c != null
          && c.size() == size
          && System.nanoTime() - c.builtNanos() < CATALOG_MAX_AGE_NANOS) {
        return c;
      }
      List<ImageDoc> all = new ArrayList<>();
      Map<String, Map<String, Integer>> tags = new TreeMap<>();
      index.forEach(
          d -> {
            all.add(d);
            d.tags()
                .forEach(
                    (key, values) -> {
                      for (String v : values) {
                        tags.computeIfAbsent(key, x -> new TreeMap<>()).merge(v, 1, Integer::sum);
                      }
                    });
          });
      all.sort(Comparator.comparing(ImageDoc::path));
      Path common = null;
      for (ImageDoc d : all) {
        common = PathDisplay.commonFolder(common, Path.of(d.path()));
      }
      c = new Catalog(List.copyOf(all), tags, common, all.size(), System.nanoTime());
      catalog = c;
      return c;
    }
  }
}
