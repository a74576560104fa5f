package io.github.mobilenet.embeddings.dups;

import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.image.RgbImage;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.DocLookup;
import io.github.mobilenet.embeddings.index.ImageDoc;
import io.github.mobilenet.embeddings.search.SearchHit;
import io.github.mobilenet.local.features.LocalFeatures;
import io.github.mobilenet.local.verify.Match;
import io.github.mobilenet.local.verify.Transform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.lucene.util.VectorUtil;

/**
 * Groups of copies of one photograph, decided by geometric verification rather than by a cosine
 * threshold (issue 11): a cosine threshold cannot separate a cropped or watermarked copy
 * (0.75–0.91) from a different photo of the same species (0.80–0.92).
 *
 * <ol>
 *   <li>Each image is decoded once: its ORB features with their mirrored companion (ORB is not
 *       flip-invariant) and, with {@link DuplicateOptions#rotations()}, the embeddings of the image
 *       turned 90°, 180° and 270° (a quarter turn drops the cosine to 0.55–0.73).
 *   <li>Candidates: each image's {@link DuplicateOptions#candidates()} nearest images by the best
 *       cosine over its four rotations, at least {@link DuplicateOptions#floor()}.
 *   <li>Each candidate pair is verified ({@link PhotoMatcher}); it is the same photo with enough
 *       inliers spread over enough of one image, or when its embeddings are near-identical.
 *   <li>Linked pairs form connected sets; as in {@link DuplicateFinder} the largest image of a set
 *       represents a group of the images verified against it directly, and the rest is grouped
 *       again, so links never chain two unrelated photos into one group.
 * </ol>
 *
 * <p>Holds every image's features in memory (≈ 85 KiB per image with the mirror) and compares all
 * pairs of embeddings (n² dot products): meant for up to some ten thousand images. Images whose
 * file cannot be read are verified by their stored features only (no mirror, no rotations), or left
 * out when the index has none; {@code warnings} hears about each. Bound to one searcher.
 */
public final class SamePhotoFinder {
  private final DocLookup lookup;
  private final PhotoMatcher matcher;
  private final ImageEmbedder embedder;
  private final DuplicateOptions options;
  private final Consumer<String> warnings;

  /** One image as the finder sees it. */
  private record Photo(ImageDoc doc, float[] own, float[][] turned, LocalFeatures features) {}

  /**
   * @param embedder embeds the turned images; may be null when {@code options.rotations()} is off
   * @param warnings told about each image whose file cannot be read
   */
  public SamePhotoFinder(
      DocLookup lookup,
      PhotoMatcher matcher,
      ImageEmbedder embedder,
      DuplicateOptions options,
      Consumer<String> warnings) {
    if (options.rotations() && embedder == null) {
      throw new IllegalArgumentException("rotated candidates need an embedder");
    }
    this.lookup = lookup;
    this.matcher = matcher;
    this.embedder = embedder;
    this.options = options;
    this.warnings = warnings;
  }

  /** The groups, largest first (ties by the first member's path). */
  public List<DuplicateGroup> groups() throws IOException {
    List<Integer> docs = lookup.allDocs();
    ImageDoc[] images = new ImageDoc[docs.size()];
    float[][] vectors = new float[docs.size()][];
    for (int i = 0; i < images.length; i++) { // Lucene's readers are read on one thread
      images[i] = lookup.load(docs.get(i));
      vectors[i] = lookup.own(docs.get(i));
    }
    Photo[] photos =
        parallel(docs.size(), i -> prepare(images[i], vectors[i]), new Photo[docs.size()]);
    List<long[]> pairs = candidates(photos);
    Map<Long, Match> verified = new ConcurrentHashMap<>();
    boolean[] linked = new boolean[pairs.size()];
    parallel(
        pairs.size(),
        p -> {
          int i = (int) pairs.get(p)[0];
          int j = (int) pairs.get(p)[1];
          Match m = verify(photos[i], photos[j]);
          if (m != null) {
            verified.put(key(i, j), m);
          }
          linked[p] = same(photos[i], photos[j], m);
          return null;
        },
        new Object[pairs.size()]);
    int n = photos.length;
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    for (int p = 0; p < pairs.size(); p++) {
      if (linked[p]) {
        int a = root(parent, (int) pairs.get(p)[0]);
        int b = root(parent, (int) pairs.get(p)[1]);
        parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
    Map<Integer, List<Integer>> components = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      if (photos[i] != null) {
        components.computeIfAbsent(root(parent, i), r -> new ArrayList<>()).add(i);
      }
    }
    List<DuplicateGroup> groups = new ArrayList<>();
    for (List<Integer> component : components.values()) {
      if (component.size() >= 2) {
        split(component, photos, verified, groups);
      }
    }
    groups.sort(
        Comparator.comparingInt((DuplicateGroup g) -> -g.size())
            .thenComparing(g -> g.members().get(0).path()));
    return groups;
  }

  private Photo prepare(ImageDoc d, float[] own) {
    RgbImage image;
    try {
      image = matcher.decode(d);
    } catch (RuntimeException e) {
      warnings.accept(d.path() + ": " + e.getMessage());
      try {
        return new Photo(d, own, new float[0][], matcher.target(d));
      } catch (RuntimeException none) {
        return null; // no stored features either: it cannot be verified
      }
    }
    float[][] turned = new float[0][];
    if (options.rotations()) {
      int[] orientations = {6, 3, 8}; // EXIF codes: 90° clockwise, 180°, 90° anticlockwise
      turned = new float[orientations.length][];
      for (int r = 0; r < orientations.length; r++) {
        turned[r] =
            embedder.embed(
                ImageSource.of(image.oriented(orientations[r]).toBufferedImage(), d.path()));
      }
    }
    return new Photo(d, own, turned, matcher.query(d, image));
  }

  /** Unordered candidate pairs {i, j}, i {@literal <} j: each image's nearest by best cosine. */
  private List<long[]> candidates(Photo[] photos) {
    int n = photos.length;
    int k = options.candidates();
    List<int[]> nearest =
        parallel(
            n,
            i -> {
              if (photos[i] == null) {
                return new int[0];
              }
              int[] best = new int[k];
              float[] bestScore = new float[k];
              int size = 0;
              for (int j = 0; j < n; j++) {
                if (j == i || photos[j] == null) {
                  continue;
                }
                float c = VectorUtil.dotProduct(photos[i].own(), photos[j].own());
                for (float[] t : photos[i].turned()) {
                  c = Math.max(c, VectorUtil.dotProduct(t, photos[j].own()));
                }
                if (c < options.floor() || (size == k && c <= bestScore[k - 1])) {
                  continue;
                }
                int at = size < k ? size++ : k - 1; // insertion into the sorted top-k
                while (at > 0 && bestScore[at - 1] < c) {
                  best[at] = best[at - 1];
                  bestScore[at] = bestScore[at - 1];
                  at--;
                }
                best[at] = j;
                bestScore[at] = c;
              }
              return java.util.Arrays.copyOf(best, size);
            });
    java.util.Set<Long> seen = new java.util.LinkedHashSet<>();
    for (int i = 0; i < n; i++) {
      for (int j : nearest.get(i)) {
        seen.add(key(Math.min(i, j), Math.max(i, j)));
      }
    }
    List<long[]> pairs = new ArrayList<>(seen.size());
    for (long p : seen) {
      pairs.add(new long[] {p >>> 32, p & 0xFFFFFFFFL});
    }
    return pairs;
  }

  /** A (query with mirror) against b (upright), or null when either has no features. */
  private Match verify(Photo a, Photo b) {
    if (a.features() == null || b.features() == null) {
      return null;
    }
    return matcher.verifier().verify(a.features(), b.features().withoutMirror());
  }

  private boolean same(Photo a, Photo b, Match m) {
    if (VectorUtil.dotProduct(a.own(), b.own()) >= DuplicateOptions.NEAR_IDENTICAL_COSINE) {
      return true;
    }
    return m != null && verified(a, b, m);
  }

  /**
   * Enough inliers over enough of one image (and, below twice the inliers, embeddings that agree);
   * or, for images with few keypoints (smooth, blurred or repetitive: 10–30 where photos have
   * ~1000), most of the smaller set verified, when the embeddings agree too. Photos with their
   * ~1000 keypoints never reach the second rule, which would need ~500 inliers.
   */
  private boolean verified(Photo a, Photo b, Match m) {
    if (m.inliers() >= options.minInliers() && m.coverage() >= options.minCoverage()) {
      // a shared caption or logo can reach minInliers; below the strong band the embeddings decide
      return m.inliers() >= DuplicateOptions.STRONG_MATCH_FACTOR * options.minInliers()
          || alignedCosine(a, b, m) >= DuplicateOptions.WEAK_MATCH_COSINE;
    }
    int fewer = Math.min(a.features().count(), b.features().count());
    return m.inliers() >= DuplicateOptions.FEW_KEYPOINTS_MIN_INLIERS
        && m.inliers() >= DuplicateOptions.FEW_KEYPOINTS_FRACTION * fewer
        && m.coverage() >= DuplicateOptions.FEW_KEYPOINTS_COVERAGE
        && bestCosine(a, b) >= DuplicateOptions.FEW_KEYPOINTS_COSINE;
  }

  /**
   * The cosine of b to a turned the way the match says b is turned (upright otherwise): the best
   * cosine over all rotations would let a look-alike score through a rotation it was never in.
   */
  private static float alignedCosine(Photo a, Photo b, Match m) {
    int r =
        switch (m.transform()) {
          case ROT90 -> 0;
          case ROT180 -> 1;
          case ROT270 -> 2;
          default -> -1;
        };
    if (r >= 0 && a.turned().length == 0) {
      return bestCosine(a, b); // rotations off: no turned embeddings to compare
    }
    return VectorUtil.dotProduct(r < 0 ? a.own() : a.turned()[r], b.own());
  }

  /** The cosine of b to a at a's best rotation. */
  private static float bestCosine(Photo a, Photo b) {
    float c = VectorUtil.dotProduct(a.own(), b.own());
    for (float[] t : a.turned()) {
      c = Math.max(c, VectorUtil.dotProduct(t, b.own()));
    }
    for (float[] t : b.turned()) {
      c = Math.max(c, VectorUtil.dotProduct(t, a.own()));
    }
    return c;
  }

  /** The representative rule of {@link DuplicateFinder}, with verification as the link. */
  private void split(
      List<Integer> component,
      Photo[] photos,
      Map<Long, Match> verified,
      List<DuplicateGroup> out) {
    List<Integer> remaining = new ArrayList<>(component);
    Map<Long, Match> fromRep = new HashMap<>();
    while (remaining.size() >= 2) {
      int rep = remaining.get(0);
      for (int d : remaining) {
        if (larger(photos[d].doc(), photos[rep].doc())) {
          rep = d;
        }
      }
      List<Integer> members = new ArrayList<>();
      for (int d : remaining) {
        if (d == rep) {
          continue;
        }
        // direction rep → member, so the transform says what the member is of the representative
        Match m = verified.get(key(rep, d));
        if (m == null) {
          m = verify(photos[rep], photos[d]);
        }
        if (same(photos[rep], photos[d], m)) {
          members.add(d);
          fromRep.put(key(rep, d), m);
        }
      }
      remaining.remove(Integer.valueOf(rep));
      if (members.isEmpty()) {
        continue;
      }
      final int r = rep;
      members.sort(
          Comparator.comparingDouble(
                  (Integer d) -> -VectorUtil.dotProduct(photos[r].own(), photos[d].own()))
              .thenComparing(d -> photos[d].doc().path()));
      List<SearchHit> hits = new ArrayList<>();
      List<Verification> why = new ArrayList<>();
      hits.add(new SearchHit(1, 1f, photos[rep].doc()));
      int keypoints = photos[rep].features() == null ? 0 : photos[rep].features().count();
      why.add(new Verification(keypoints, Transform.IDENTITY));
      for (int d : members) {
        float cos = VectorUtil.dotProduct(photos[rep].own(), photos[d].own());
        hits.add(new SearchHit(hits.size() + 1, cos, photos[d].doc()));
        Match m = fromRep.get(key(rep, d));
        why.add(
            m == null ? new Verification(0, Transform.NONE) : verdict(photos[rep], photos[d], m));
        remaining.remove(Integer.valueOf(d));
      }
      out.add(new DuplicateGroup(hits, why));
    }
  }

  /** The match's verdict; a pair linked by its embeddings but not verified says NONE. */
  private Verification verdict(Photo a, Photo b, Match m) {
    return verified(a, b, m) ? Verification.of(m) : new Verification(m.inliers(), Transform.NONE);
  }

  private static boolean larger(ImageDoc d, ImageDoc rep) {
    long pd = (long) d.width() * d.height();
    long pr = (long) rep.width() * rep.height();
    return pd > pr || (pd == pr && d.path().compareTo(rep.path()) < 0);
  }

  private static long key(int i, int j) {
    return ((long) i << 32) | (j & 0xFFFFFFFFL);
  }

  private static int root(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  private <T> List<T> parallel(int n, java.util.function.IntFunction<T> task) {
    @SuppressWarnings("unchecked")
    T[] out = (T[]) new Object[n];
    return java.util.Arrays.asList(parallel(n, task, out));
  }

  /** Runs task(0..n-1) on {@link DuplicateOptions#threads()} threads into {@code out}. */
  private <T> T[] parallel(int n, java.util.function.IntFunction<T> task, T[] out) {
    ForkJoinPool pool = new ForkJoinPool(options.threads());
    try {
      pool.submit(() -> IntStream.range(0, n).parallel().forEach(i -> out[i] = task.apply(i)))
          .get();
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while grouping duplicates", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdown();
    }
  }
}
