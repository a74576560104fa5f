package io.github.mobilenet.local;

import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.extract.Features;
import io.github.mobilenet.core.extract.Pooling;
import io.github.mobilenet.core.image.ImageDecoder;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.image.RgbImage;
import io.github.mobilenet.core.util.Vectors;
import io.github.mobilenet.local.extract.OrbExtractor;
import io.github.mobilenet.local.features.LocalFeatures;
import io.github.mobilenet.local.features.LocalFeaturesCodec;
import io.github.mobilenet.local.match.BitCountMatcher;
import io.github.mobilenet.local.match.DescriptorMatcher;
import io.github.mobilenet.local.match.DescriptorMatches;
import io.github.mobilenet.local.match.OpenCvMatcher;
import io.github.mobilenet.local.verify.HomographyEstimator;
import io.github.mobilenet.local.verify.Match;
import io.github.mobilenet.local.verify.OpenCvRansac;
import io.github.mobilenet.local.verify.Verifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Prints the figures of docs/LOCAL_FEATURES.md (not a unit test: it needs the shared datasets).
 *
 * <pre>
 * java ... io.github.mobilenet.local.LocalFeaturesBenchmark ../shared/datasets [neighbours] [threads]
 * </pre>
 *
 * flowers17: inliers of every SAME_PHOTO_PAIRS pair, and of each image against its nearest
 * neighbours by the default embedding (layer_19 GeM) that are different photos (hard negatives);
 * costs of extraction and matching. ukbench84: each image ranks the other 335 by inliers → top-1
 * and mAP.
 */
public final class LocalFeaturesBenchmark {
  private static final ImageDecoder DECODER = new ImageDecoder();
  private static final OrbExtractor EXTRACTOR = new OrbExtractor();
  private static final OpenCvRansac.Method METHOD =
      OpenCvRansac.Method.valueOf(System.getProperty("ransac", "USAC_DEFAULT"));
  private static final Verifier VERIFIER =
      new Verifier(
          new BitCountMatcher(), new OpenCvRansac(METHOD), Verifier.DEFAULT_THRESHOLD_PIXELS);

  private LocalFeaturesBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args.length > 0 ? args[0] : "../shared/datasets");
    int neighbours = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    System.out.println(
        "OpenCV " + OpenCvRuntime.version() + ", threads " + threads + ", homography " + METHOD);
    flowers(root.resolve("flowers17"), neighbours, threads);
    if (!Boolean.getBoolean("skipUkbench")) {
      ukbench(root.resolve("ukbench84"), threads);
    }
  }

  private record Dataset(Path dir, List<String> names, List<String> labels) {
    RgbImage decode(int i) {
      return DECODER.decode(ImageSource.of(dir.resolve(names.get(i))));
    }
  }

  private static Dataset load(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("LABELS"))) {
      String[] f = line.split("\t");
      if (f.length == 2) {
        names.add(f[0]);
        labels.add(f[1]);
      }
    }
    System.out.printf(Locale.ROOT, "%s: %d images%n", dir.getFileName(), names.size());
    return new Dataset(dir, names, labels);
  }

  private static List<LocalFeatures> extractAll(Dataset d) {
    // Warm up, then time one thread: the per-image figure.
    for (int i = 0; i < 20; i++) {
      EXTRACTOR.extractQuery(d.decode(i));
    }
    int n = d.names().size();
    long up = 0;
    long both = 0;
    List<LocalFeatures> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      RgbImage img = d.decode(i); // decoding is not timed: the index job decodes once for both
      long t0 = System.nanoTime();
      EXTRACTOR.extract(img);
      long t1 = System.nanoTime();
      out.add(EXTRACTOR.extractQuery(img));
      long t2 = System.nanoTime();
      up += t1 - t0;
      both += t2 - t1;
    }
    long bytes = 0;
    long kps = 0;
    for (LocalFeatures f : out) {
      bytes += LocalFeaturesCodec.encodedSize(f.withoutMirror());
      kps += f.count();
    }
    System.out.printf(
        Locale.ROOT,
        "  extraction (1 thread): %.2f ms/image upright, %.2f ms/image upright + mirrored;"
            + " %.0f keypoints, %.0f bytes (%.1f KiB) stored per image%n",
        up / 1e6 / n,
        both / 1e6 / n,
        (double) kps / n,
        (double) bytes / n,
        bytes / 1024.0 / n);
    return out;
  }

  private static void flowers(Path dir, int neighbours, int threads) throws Exception {
    Dataset d = load(dir);
    List<LocalFeatures> f = extractAll(d);
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < d.names().size(); i++) {
      index.put(d.names().get(i), i);
    }
    // Positives.
    Set<Long> same = new HashSet<>();
    Map<String, int[]> minByKind = new HashMap<>();
    List<String> lows = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("SAME_PHOTO_PAIRS.tsv"))) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      String[] c = line.split("\t");
      int a = index.get(c[0]);
      int b = index.get(c[1]);
      same.add(key(a, b));
      Match ab = VERIFIER.verify(f.get(a), f.get(b).withoutMirror());
      Match ba = VERIFIER.verify(f.get(b), f.get(a).withoutMirror());
      int s = Math.min(ab.inliers(), ba.inliers());
      double cov = Math.min(ab.coverage(), ba.coverage());
      int[] m = minByKind.computeIfAbsent(c[2], k -> new int[] {Integer.MAX_VALUE, 0, 0, 1000});
      m[0] = Math.min(m[0], s);
      m[1]++;
      m[2] += Verifier.isSamePhoto(ab) && Verifier.isSamePhoto(ba) ? 1 : 0;
      m[3] = Math.min(m[3], (int) Math.floor(cov * 1000));
      lows.add(
          s + " " + c[0] + " " + c[1] + " " + c[2] + String.format(Locale.ROOT, " cov %.2f", cov));
    }
    lows.sort((x, y) -> Integer.parseInt(x.split(" ")[0]) - Integer.parseInt(y.split(" ")[0]));
    minByKind.forEach(
        (k, m) ->
            System.out.printf(
                Locale.ROOT,
                "  positives %s: %d pairs, min inliers %d, min coverage %.3f (both directions,"
                    + " min taken); same photo by isSamePhoto both ways: %d%n",
                k,
                m[1],
                m[0],
                m[3] / 1000.0,
                m[2]));
    System.out.println("  lowest positives: " + lows.subList(0, Math.min(5, lows.size())));

    // Hard negatives: nearest neighbours by the default embedding.
    long t = System.nanoTime();
    float[][] emb = embed(dir, d.names());
    System.out.printf(Locale.ROOT, "  embeddings in %.1f s%n", (System.nanoTime() - t) / 1e9);
    Set<Long> pairs = new HashSet<>();
    for (int i = 0; i < emb.length; i++) {
      for (int j : nearest(emb, i, neighbours + 2)) {
        long k = key(i, j);
        if (pairs.size() < Integer.MAX_VALUE && !same.contains(k)) {
          pairs.add(k);
        }
      }
    }
    List<Long> negatives = new ArrayList<>(pairs);
    t = System.nanoTime();
    Match[] matches = scoreAll(f, negatives, threads);
    int[] scores = Arrays.stream(matches).mapToInt(Match::inliers).toArray();
    double secs = (System.nanoTime() - t) / 1e9;
    int[] order =
        IntStream.range(0, scores.length)
            .boxed()
            .sorted((x, y) -> scores[y] - scores[x])
            .mapToInt(Integer::intValue)
            .toArray();
    System.out.printf(
        Locale.ROOT,
        "  hard negatives: %d pairs (each image's %d+ nearest by layer_19 GeM, same photos"
            + " removed), scored in %.1f s (%d threads, both directions, mirrored queries)%n",
        negatives.size(),
        neighbours,
        secs,
        threads);
    StringBuilder top = new StringBuilder("  highest negatives:");
    for (int r = 0; r < Math.min(8, order.length); r++) {
      long k = negatives.get(order[r]);
      top.append(' ')
          .append(scores[order[r]])
          .append(" (")
          .append(d.names().get((int) (k >> 32)))
          .append(' ')
          .append(d.names().get((int) k))
          .append(" cos ")
          .append(
              String.format(Locale.ROOT, "%.3f", Vectors.dot(emb[(int) (k >> 32)], emb[(int) k])))
          .append(String.format(Locale.ROOT, " coverage %.3f", matches[order[r]].coverage()))
          .append(')');
    }
    System.out.println(top);
    for (int th : new int[] {10, 15, 20, 25, 30, 40, 60}) {
      int over = 0;
      for (int s : scores) {
        over += s >= th ? 1 : 0;
      }
      System.out.printf(Locale.ROOT, "    negatives with >= %d inliers: %d%n", th, over);
    }
    int passing = 0;
    for (Match m : matches) {
      passing += Verifier.isSamePhoto(m) ? 1 : 0;
    }
    System.out.printf(
        Locale.ROOT,
        "    negatives passing isSamePhoto (>= %d inliers, coverage >= %.2f): %d%n",
        Verifier.SAME_PHOTO_INLIERS,
        Verifier.SAME_PHOTO_COVERAGE,
        passing);
    timing(f);
  }

  /** Per pair, the better direction (more inliers) with the query's mirrored companion. */
  private static Match[] scoreAll(List<LocalFeatures> f, List<Long> pairs, int threads)
      throws Exception {
    Match[] out = new Match[pairs.size()];
    var pool = new java.util.concurrent.ForkJoinPool(threads);
    try {
      pool.submit(
              () ->
                  IntStream.range(0, pairs.size())
                      .parallel()
                      .forEach(
                          i -> {
                            int a = (int) (pairs.get(i) >> 32);
                            int b = (int) (long) pairs.get(i);
                            Match ab = VERIFIER.verify(f.get(a), f.get(b).withoutMirror());
                            Match ba = VERIFIER.verify(f.get(b), f.get(a).withoutMirror());
                            // Either direction passing would make a false pair: keep the worse.
                            out[i] =
                                Verifier.isSamePhoto(ba) || ba.inliers() > ab.inliers() ? ba : ab;
                          }))
          .get();
    } finally {
      pool.shutdown();
    }
    return out;
  }

  private static long key(int a, int b) {
    return (long) Math.min(a, b) << 32 | Math.max(a, b);
  }

  private static float[][] embed(Path dir, List<String> names) {
    try (FeatureExtractor fx = FeatureExtractor.create()) {
      float[][] out = new float[names.size()][];
      for (int s = 0; s < names.size(); s += 32) {
        List<Path> batch = new ArrayList<>();
        for (int i = s; i < Math.min(names.size(), s + 32); i++) {
          batch.add(dir.resolve(names.get(i)));
        }
        List<Features> feats = fx.extractFeatures(batch, "layer_19");
        for (int i = 0; i < feats.size(); i++) {
          out[s + i] = Vectors.l2Normalize(feats.get(i).pooled(Pooling.GEM));
        }
      }
      return out;
    }
  }

  private static int[] nearest(float[][] emb, int q, int k) {
    Integer[] idx = new Integer[emb.length];
    double[] sim = new double[emb.length];
    for (int i = 0; i < emb.length; i++) {
      idx[i] = i;
      sim[i] = i == q ? Double.NEGATIVE_INFINITY : Vectors.dot(emb[q], emb[i]);
    }
    Arrays.sort(idx, (x, y) -> Double.compare(sim[y], sim[x]));
    return Arrays.stream(idx, 0, k).mapToInt(Integer::intValue).toArray();
  }

  /** Per-pair costs on 300 pairs of different images: both matchers, then RANSAC alone. */
  private static void timing(List<LocalFeatures> f) {
    int pairs = 300;
    DescriptorMatcher java = new BitCountMatcher();
    DescriptorMatcher cv = new OpenCvMatcher();
    HomographyEstimator ransac = new OpenCvRansac(METHOD);
    for (int round = 0; round < 2; round++) { // the first round warms up
      long tj = 0;
      long tc = 0;
      long tr = 0;
      long tv = 0;
      for (int p = 0; p < pairs; p++) {
        LocalFeatures a = f.get((p * 7) % f.size()).withoutMirror();
        LocalFeatures b = f.get((p * 7 + 1 + p % 5) % f.size()).withoutMirror();
        long t0 = System.nanoTime();
        DescriptorMatches m = java.match(a, b);
        long t1 = System.nanoTime();
        cv.match(a, b);
        long t2 = System.nanoTime();
        double[] src = new double[2 * m.size()];
        double[] dst = new double[2 * m.size()];
        for (int i = 0; i < m.size(); i++) {
          src[2 * i] = a.x(m.query()[i]);
          src[2 * i + 1] = a.y(m.query()[i]);
          dst[2 * i] = b.x(m.train()[i]);
          dst[2 * i + 1] = b.y(m.train()[i]);
        }
        ransac.estimate(src, dst, 8 * b.scale());
        long t3 = System.nanoTime();
        Match v = VERIFIER.verify(f.get((p * 7) % f.size()), b);
        long t4 = System.nanoTime();
        tj += t1 - t0;
        tc += t2 - t1;
        tr += t3 - t2;
        tv += t4 - t3;
        if (v.inliers() < 0) {
          throw new AssertionError();
        }
      }
      if (round == 1) {
        System.out.printf(
            Locale.ROOT,
            "  per pair (1 thread, 1000 x 1000 keypoints): match Java bitCount %.2f ms, OpenCV"
                + " BFMatcher %.2f ms; RANSAC %.3f ms; verify with mirrored query %.2f ms%n",
            tj / 1e6 / pairs,
            tc / 1e6 / pairs,
            tr / 1e6 / pairs,
            tv / 1e6 / pairs);
      }
    }
  }

  private static void ukbench(Path dir, int threads) throws Exception {
    Dataset d = load(dir);
    List<LocalFeatures> f = extractAll(d);
    float[][] emb = embed(dir, d.names());
    int n = f.size();
    int[][] inl = new int[n][n];
    long t = System.nanoTime();
    var pool = new java.util.concurrent.ForkJoinPool(threads);
    try {
      pool.submit(
              () ->
                  IntStream.range(0, n)
                      .parallel()
                      .forEach(
                          q -> {
                            for (int j = 0; j < n; j++) {
                              if (j != q) {
                                // Upright only: UKBench photos are not mirrored.
                                inl[q][j] =
                                    VERIFIER
                                        .verify(f.get(q).withoutMirror(), f.get(j).withoutMirror())
                                        .inliers();
                              }
                            }
                          }))
          .get();
    } finally {
      pool.shutdown();
    }
    System.out.printf(
        Locale.ROOT,
        "  %d x %d verifications in %.1f s (%d threads)%n",
        n,
        n - 1,
        (System.nanoTime() - t) / 1e9,
        threads);
    report(
        d, "inliers (cosine breaks ties)", (q, j) -> inl[q][j] + Vectors.dot(emb[q], emb[j]) * 0.5);
    report(d, "embedding cosine (layer_19 GeM)", (q, j) -> Vectors.dot(emb[q], emb[j]));
    for (int min : new int[] {10, 15, 20, 30}) {
      report(
          d,
          "verified first (>= " + min + " inliers, by inliers), then the rest by cosine",
          (q, j) -> (inl[q][j] >= min ? 1000 + inl[q][j] : 0) + Vectors.dot(emb[q], emb[j]));
    }
  }

  private interface PairScore {
    double of(int q, int j);
  }

  private static void report(Dataset d, String what, PairScore score) {
    int n = d.names().size();
    double apSum = 0;
    int top1 = 0;
    for (int q = 0; q < n; q++) {
      final int qq = q;
      Integer[] idx = IntStream.range(0, n).filter(j -> j != qq).boxed().toArray(Integer[]::new);
      double[] s = new double[n];
      for (int j = 0; j < n; j++) {
        s[j] = j == q ? 0 : score.of(q, j);
      }
      Arrays.sort(idx, (x, y) -> Double.compare(s[y], s[x]));
      String label = d.labels().get(q);
      int relevant = 0;
      int found = 0;
      double ap = 0;
      for (int j = 0; j < n; j++) {
        relevant += j != q && d.labels().get(j).equals(label) ? 1 : 0;
      }
      for (int r = 0; r < idx.length; r++) {
        if (d.labels().get(idx[r]).equals(label)) {
          found++;
          ap += (double) found / (r + 1);
          if (r == 0) {
            top1++;
          }
        }
      }
      apSum += ap / relevant;
    }
    System.out.printf(
        Locale.ROOT,
        "  ukbench84 by %s: top-1 %.3f, mAP %.3f%n",
        what,
        (double) top1 / n,
        apSum / n);
  }
}
