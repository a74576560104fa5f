package io.github.mobilenet.eval.probe;

import io.github.mobilenet.eval.retrieval.RetrievalMetrics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Deterministic stratified k-fold split: each class's items are shuffled with the seed and dealt to
 * the folds in turn, continuing where the previous class stopped, so every fold gets each class's
 * share (±1) and fold sizes differ by at most one. Same labels and seed, same split, on any JVM
 * ({@link Random} and {@link Collections#shuffle(List, Random)} are specified algorithms).
 */
public final class StratifiedKFold {
  private StratifiedKFold() {}

  /** The fold (0..folds−1) of each item. */
  public static int[] assign(int[] labels, int folds, long seed) {
    if (folds < 2) {
      throw new IllegalArgumentException("need at least 2 folds, got " + folds);
    }
    if (folds > labels.length) {
      throw new IllegalArgumentException(folds + " folds but only " + labels.length + " items");
    }
    int[] sizes = RetrievalMetrics.classSizes(labels);
    List<List<Integer>> byClass = new ArrayList<>();
    for (int c = 0; c < sizes.length; c++) {
      byClass.add(new ArrayList<>(sizes[c]));
    }
    for (int i = 0; i < labels.length; i++) {
      byClass.get(labels[i]).add(i);
    }
    Random random = new Random(seed);
    int[] fold = new int[labels.length];
    int next = 0;
    for (List<Integer> members : byClass) {
      Collections.shuffle(members, random);
      for (int index : members) {
        fold[index] = next;
        next = (next + 1) % folds;
      }
    }
    return fold;
  }

  /** Indices of the items in fold {@code f} ({@code inFold}) or outside it. */
  public static int[] select(int[] fold, int f, boolean inFold) {
    int count = 0;
    for (int x : fold) {
      if ((x == f) == inFold) {
        count++;
      }
    }
    int[] out = new int[count];
    int m = 0;
    for (int i = 0; i < fold.length; i++) {
      if ((fold[i] == f) == inFold) {
        out[m++] = i;
      }
    }
    return out;
  }
}
