package io.github.mobilenet.eval.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Image files with class labels, read from a LABELS file: one {@code filename<TAB>class} per line,
 * file names relative to the image directory ({@code /} separated), blank lines and lines starting
 * with {@code #} ignored. Only the listed files are used; each must exist. Classes are sorted
 * numerically when every class is an integer, else alphabetically, and numbered 0, 1, … in that
 * order.
 */
public final class LabeledImages {
  private final Path root;
  private final List<String> names;
  private final List<Path> files;
  private final int[] labels;
  private final List<String> classes;

  private LabeledImages(
      Path root, List<String> names, List<Path> files, int[] labels, List<String> classes) {
    this.root = root;
    this.names = List.copyOf(names);
    this.files = List.copyOf(files);
    this.labels = labels;
    this.classes = List.copyOf(classes);
  }

  /**
   * Reads {@code labelsFile} and resolves its file names against {@code dir}.
   *
   * @throws NoSuchFileException when the LABELS file, the directory or a listed image does not
   *     exist
   * @throws IllegalArgumentException when a line is malformed or a file is listed twice (the
   *     message names the LABELS file and line)
   */
  public static LabeledImages read(Path labelsFile, Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "not a directory");
    }
    if (!Files.isRegularFile(labelsFile)) {
      throw new NoSuchFileException(labelsFile.toString(), null, "LABELS file not found");
    }
    Map<String, String> byName = new LinkedHashMap<>();
    int lineNo = 0;
    for (String line : Files.readAllLines(labelsFile, StandardCharsets.UTF_8)) {
      lineNo++;
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      int tab = line.indexOf('\t');
      String where = labelsFile + ":" + lineNo;
      if (tab < 0) {
        throw new IllegalArgumentException(
            where + ": expected filename<TAB>class, got '" + line + "'");
      }
      String name = line.substring(0, tab).strip();
      String label = line.substring(tab + 1).strip();
      if (name.isEmpty() || label.isEmpty()) {
        throw new IllegalArgumentException(where + ": empty file name or class in '" + line + "'");
      }
      if (label.indexOf('\t') >= 0) {
        throw new IllegalArgumentException(where + ": more than one TAB in '" + line + "'");
      }
      if (byName.put(name, label) != null) {
        throw new IllegalArgumentException(where + ": " + name + " is listed twice");
      }
    }
    if (byName.isEmpty()) {
      throw new IllegalArgumentException(labelsFile + ": no labelled images");
    }
    List<String> classes = new ArrayList<>(new java.util.TreeSet<>(byName.values()));
    boolean numeric = classes.stream().allMatch(c -> c.matches("-?\\d{1,9}"));
    classes.sort(numeric ? Comparator.comparingInt(Integer::parseInt) : Comparator.naturalOrder());
    Map<String, Integer> index = new HashMap<>();
    for (int c = 0; c < classes.size(); c++) {
      index.put(classes.get(c), c);
    }
    Path base = dir.toAbsolutePath().normalize();
    List<String> names = new ArrayList<>(byName.keySet());
    List<Path> files = new ArrayList<>();
    int[] labels = new int[names.size()];
    for (int i = 0; i < names.size(); i++) {
      Path p = base.resolve(names.get(i)).normalize();
      if (!p.startsWith(base)) {
        throw new IllegalArgumentException(labelsFile + ": " + names.get(i) + " is outside " + dir);
      }
      if (!Files.isRegularFile(p)) {
        throw new NoSuchFileException(
            p.toString(), null, "listed in " + labelsFile + " but missing");
      }
      files.add(p);
      labels[i] = index.get(byName.get(names.get(i)));
    }
    return new LabeledImages(base, names, files, labels, classes);
  }

  /** A labelled set built in memory; {@code labels[i]} indexes {@code classes}. */
  public static LabeledImages of(
      Path root, List<String> names, int[] labels, List<String> classes) {
    Path base = root.toAbsolutePath().normalize();
    List<Path> files = names.stream().map(n -> base.resolve(n).normalize()).toList();
    return new LabeledImages(base, names, files, labels.clone(), classes);
  }

  /** The image directory. */
  public Path root() {
    return root;
  }

  /** File names as listed (relative to {@link #root()}). */
  public List<String> names() {
    return names;
  }

  public List<Path> files() {
    return files;
  }

  public int size() {
    return files.size();
  }

  /** Class index of each image, into {@link #classes()}. */
  public int[] labels() {
    return labels.clone();
  }

  public List<String> classes() {
    return classes;
  }
}
