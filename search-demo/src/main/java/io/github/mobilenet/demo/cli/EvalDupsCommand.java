package io.github.mobilenet.demo.cli;

import io.github.mobilenet.embeddings.dups.DuplicateGroup;
import io.github.mobilenet.embeddings.dups.DuplicateOptions;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.ImageDoc;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.search.SearchHit;
import io.github.mobilenet.local.verify.Match;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.lucene.util.VectorUtil;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code eval dups}: runs {@code dups} on an index and scores its pairs against ground truth: a
 * LABELS file (same class = same photo, e.g. from {@code eval edits}) or a list of same-photo pairs
 * (flowers17's SAME_PHOTO_PAIRS.tsv; pairs with cosine ≥ 0.99 count as the same photo too).
 */
@Command(
    name = "dups",
    description = {
      "Scores dups on an index against the known copies of each photo.",
      "Prints {\"missed\": [a, b], ...} per same-photo pair not grouped, {\"false\": [a, b], ...}"
          + " per grouped pair of different photos, then {\"images\": n, \"groups\": g,"
          + " \"positives\": p, \"found\": f, \"recall\": r, \"reportedPairs\": q, \"falsePairs\":"
          + " x, \"seconds\": s, ...}; with --labels also recallByEdit: per edit kind (the file name)"
          + " and over all edits (\"all\"), the fraction grouped with their original."
    })
final class EvalDupsCommand extends CliCommand {
  @Mixin IndexDirOption indexDir = new IndexDirOption();

  @Mixin ModelOptions model = new ModelOptions();

  @Mixin DupsOptions dups = new DupsOptions();

  static final class Truth {
    @Option(
        names = "--labels",
        paramLabel = "FILE",
        required = true,
        description =
            "PATH<TAB>CLASS lines (paths relative to the file's folder): a class is a photo.")
    Path labels;

    @Option(
        names = "--pairs",
        paramLabel = "TSV",
        required = true,
        description =
            "FILE_A<TAB>FILE_B... lines of same-photo pairs (names relative to its folder).")
    Path pairs;
  }

  @ArgGroup(multiplicity = "1")
  Truth truth;

  @Option(
      names = "--threshold",
      paramLabel = "T",
      description = "Score the cosine grouping at T instead (dups --threshold T), for comparison.")
  Double threshold;

  @Override
  public Integer call() throws UsageException {
    DuplicateOptions options = dups.options();
    try (ImageIndex index = ImageIndex.open(indexDir.path)) {
      Map<String, String> keyOf = new HashMap<>(); // index path → ground-truth key
      Map<String, float[]> vectors = new HashMap<>();
      Map<String, String> idOf = new HashMap<>(); // index path → id
      Path root = (truth.labels != null ? truth.labels : truth.pairs).toAbsolutePath().getParent();
      index.forEach(
          d -> {
            keyOf.put(d.path(), relative(root, d));
            idOf.put(d.path(), d.id());
            vectors.put(d.path(), index.vector(d.id()).orElseThrow());
          });
      Set<String> positives = new TreeSet<>();
      Map<String, String> classOf = new HashMap<>();
      if (truth.labels != null) {
        for (String line : lines(truth.labels)) {
          String[] f = line.split("\t");
          classOf.put(f[0], f[1]);
        }
        Map<String, List<String>> byClass = new TreeMap<>();
        classOf.forEach((k, c) -> byClass.computeIfAbsent(c, x -> new ArrayList<>()).add(k));
        for (List<String> members : byClass.values()) {
          for (String a : members) {
            for (String b : members) {
              if (a.compareTo(b) < 0) {
                positives.add(pair(a, b));
              }
            }
          }
        }
      } else {
        for (String line : lines(truth.pairs)) {
          String[] f = line.split("\t");
          positives.add(pair(f[0], f[1]));
        }
      }
      long start = System.nanoTime();
      List<DuplicateGroup> groups;
      if (threshold != null) {
        if (!(threshold > 0 && threshold <= 1)) {
          throw new UsageException("--threshold must be in (0, 1], got " + threshold);
        }
        groups = index.duplicates(threshold);
      } else {
        try (ImageEmbedder embedder =
            dups.embedder(index, model, "index " + indexDir.path, options.threads())) {
          groups =
              index.duplicates(options, embedder, w -> err().println("mobilenet eval dups: " + w));
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Set<String> reported = new TreeSet<>();
      Map<String, int[]> inliers = new HashMap<>();
      Map<String, String> groupOf = new HashMap<>();
      for (DuplicateGroup g : groups) {
        List<SearchHit> m = g.members();
        for (int i = 0; i < m.size(); i++) {
          groupOf.put(keyOf.get(m.get(i).path()), m.get(0).path());
          for (int j = i + 1; j < m.size(); j++) {
            String p = pair(keyOf.get(m.get(i).path()), keyOf.get(m.get(j).path()));
            reported.add(p);
            if (i == 0) {
              inliers.put(p, new int[] {g.verification(j).map(v -> v.inliers()).orElse(0)});
            }
          }
        }
      }
      Map<String, String> pathOf = new HashMap<>();
      keyOf.forEach((p, k) -> pathOf.put(k, p));
      int found = 0;
      for (String p : positives) {
        String[] ab = p.split("\t");
        if (!pathOf.containsKey(ab[0]) || !pathOf.containsKey(ab[1])) {
          continue;
        }
        if (reported.contains(p)) {
          found++;
        } else {
          // why it was missed: the verification of the pair itself
          Match m = index.match(idOf.get(pathOf.get(ab[0])), idOf.get(pathOf.get(ab[1])));
          Json.line(
              out(),
              Json.obj(
                  "missed",
                  List.of(ab[0], ab[1]),
                  "cosine",
                  cosine(vectors, pathOf, ab),
                  "inliers",
                  m.inliers(),
                  "coverage",
                  Math.round(m.coverage() * 1000) / 1000.0,
                  "transform",
                  m.transform().label()));
        }
      }
      int falsePairs = 0;
      for (String p : reported) {
        String[] ab = p.split("\t");
        double c = cosine(vectors, pathOf, ab);
        boolean same =
            positives.contains(p)
                || (truth.pairs != null && c >= DuplicateOptions.NEAR_IDENTICAL_COSINE);
        if (!same) {
          falsePairs++;
          int[] in = inliers.get(p);
          Json.line(
              out(),
              Json.obj(
                  "false", List.of(ab[0], ab[1]), "cosine", c, "inliers", in == null ? -1 : in[0]));
        }
      }
      Map<String, Object> summary =
          Json.obj(
              "images",
              keyOf.size(),
              "groups",
              groups.size(),
              "positives",
              positives.size(),
              "found",
              found,
              "recall",
              positives.isEmpty() ? 1.0 : (double) found / positives.size(),
              "reportedPairs",
              reported.size(),
              "falsePairs",
              falsePairs,
              "seconds",
              Math.round(seconds * 10) / 10.0,
              "candidates",
              options.candidates(),
              "floor",
              options.floor(),
              "rotations",
              options.rotations(),
              "minInliers",
              options.minInliers(),
              "threshold",
              threshold);
      if (truth.labels != null) {
        summary.put("recallByEdit", byEdit(classOf, groupOf));
      }
      Json.line(out(), summary);
    }
    return ExitCode.OK;
  }

  /** Per edit kind (file name): the fraction of edits in the same group as their original. */
  private static Map<String, Object> byEdit(
      Map<String, String> classOf, Map<String, String> groupOf) {
    Map<String, int[]> counts = new TreeMap<>();
    classOf.forEach(
        (key, c) -> {
          String original = c + "/" + c;
          if (key.equals(original) || !classOf.containsKey(original)) {
            return;
          }
          String kind = key.substring(key.lastIndexOf('/') + 1);
          int[] n = counts.computeIfAbsent(kind, k -> new int[2]);
          n[1]++;
          String g = groupOf.get(key);
          if (g != null && g.equals(groupOf.get(original))) {
            n[0]++;
          }
        });
    Map<String, Object> out = new LinkedHashMap<>();
    int[] all = new int[2];
    counts.forEach(
        (k, n) -> {
          out.put(k, Math.round(1000.0 * n[0] / n[1]) / 1000.0);
          all[0] += n[0];
          all[1] += n[1];
        });
    out.put("all", all[1] == 0 ? 1.0 : Math.round(1000.0 * all[0] / all[1]) / 1000.0);
    return out;
  }

  private static double cosine(
      Map<String, float[]> vectors, Map<String, String> pathOf, String[] ab) {
    return Math.round(
            1e4
                * VectorUtil.dotProduct(
                    vectors.get(pathOf.get(ab[0])), vectors.get(pathOf.get(ab[1]))))
        / 1e4;
  }

  private static String pair(String a, String b) {
    return a.compareTo(b) < 0 ? a + "\t" + b : b + "\t" + a;
  }

  /** The image's path relative to the ground truth's folder, with / separators. */
  private static String relative(Path root, ImageDoc d) {
    Path p = Path.of(d.path());
    try {
      p = root.toRealPath().relativize(p.toRealPath());
    } catch (IOException | IllegalArgumentException e) {
      p = p.getFileName();
    }
    return p.toString().replace('\\', '/');
  }

  private static List<String> lines(Path file) throws UsageException {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .filter(l -> !l.isBlank() && !l.startsWith("#"))
          .toList();
    } catch (IOException e) {
      throw new UsageException("cannot read " + file + ": " + e.getMessage());
    }
  }
}
