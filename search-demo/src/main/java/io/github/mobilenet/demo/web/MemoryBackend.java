package io.github.mobilenet.demo.web;

import io.github.mobilenet.core.FeatureExtractor;
import io.github.mobilenet.core.Features;
import io.github.mobilenet.core.ImageSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** TEMPORARY development backend: brute force over in-memory pooled embeddings. Replaced by the Lucene index. */
public final class MemoryBackend implements SearchBackend {
  private final FeatureExtractor fx;
  private final List<IndexedImage> images = new ArrayList<>();
  private final List<float[]> vectors = new ArrayList<>();
  private final Map<String, Integer> byId = new LinkedHashMap<>();

  public MemoryBackend(FeatureExtractor fx, List<Path> files, Map<String, Map<String, List<String>>> tagsByName) {
    this.fx = fx;
    fx.extractEach(files.stream().map(ImageSource::of).iterator(), "pooled", 2, r -> {
      if (!r.ok()) {
        return;
      }
      Path p = ((ImageSource.FileSource) r.source()).path();
      try {
        byte[] bytes = Files.readAllBytes(p);
        String id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16);
        if (byId.containsKey(id)) {
          return;
        }
        byId.put(id, images.size());
        images.add(new IndexedImage(id, p, bytes.length, Files.getLastModifiedTime(p).toMillis(), r.width(), r.height(),
            tagsByName.getOrDefault(p.getFileName().toString(), Map.of())));
        vectors.add(Features.l2Normalize(r.features().vector()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Override
  public IndexFacts facts() {
    Map<String, Map<String, Integer>> tags = new TreeMap<>();
    for (IndexedImage i : images) {
      i.tags().forEach((key, values) -> values.forEach(v -> tags.computeIfAbsent(key, x -> new TreeMap<>()).merge(v, 1, Integer::sum)));
    }
    return new IndexFacts(images.size(), fx.profile().id(), "pooled", "avg", "full", "float (in memory)", 1280, tags, "memory");
  }

  @Override
  public List<Hit> searchByImage(byte[] encoded, int k, List<TagFilter> tags) {
    return search(Features.l2Normalize(fx.extractFeatures(ImageSource.of(encoded, "upload"), "pooled").vector()), k, tags);
  }

  @Override
  public List<Hit> searchById(String id, int k, List<TagFilter> tags) {
    Integer i = byId.get(id);
    if (i == null) {
      throw new UnknownImageException(id);
    }
    return search(vectors.get(i), k, tags);
  }

  private List<Hit> search(float[] q, int k, List<TagFilter> tags) {
    List<Hit> all = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      if (images.get(i).matches(tags)) {
        all.add(new Hit(images.get(i), Features.cosine(q, vectors.get(i))));
      }
    }
    all.sort(Comparator.comparingDouble(Hit::score).reversed());
    return all.subList(0, Math.min(k, all.size()));
  }

  @Override
  public List<List<Hit>> duplicates(double threshold) {
    int n = images.size();
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    double[] best = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double s = Features.cosine(vectors.get(i), vectors.get(j));
        if (s >= threshold) {
          parent[find(parent, i)] = find(parent, j);
          best[i] = Math.max(best[i], s);
          best[j] = Math.max(best[j], s);
        }
      }
    }
    Map<Integer, List<Hit>> groups = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      groups.computeIfAbsent(find(parent, i), x -> new ArrayList<>()).add(new Hit(images.get(i), best[i]));
    }
    return groups.values().stream().filter(g -> g.size() > 1).toList();
  }

  private static int find(int[] p, int i) {
    while (p[i] != i) {
      i = p[i] = p[p[i]];
    }
    return i;
  }

  @Override
  public Optional<IndexedImage> image(String id) {
    Integer i = byId.get(id);
    return i == null ? Optional.empty() : Optional.of(images.get(i));
  }

  @Override
  public List<IndexedImage> images(int offset, int limit) {
    return images.subList(Math.min(offset, images.size()), Math.min(images.size(), offset + limit));
  }

  @Override
  public void close() {}
}
