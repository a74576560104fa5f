package io.github.mobilenet.core.extract;

import java.util.ArrayList;
import java.util.List;

/** Top-k selection over a probability vector. */
public final class Classifications {
  private Classifications() {}

  /**
   * The {@code k} highest entries of {@code p}, best first, ties by lower index; labels by index.
   */
  public static List<Classification> topK(float[] p, int k, List<String> labels) {
    int n = Math.min(k, p.length);
    int[] best = new int[n];
    int size = 0;
    for (int i = 0; i < p.length; i++) {
      if (size == n && p[i] <= p[best[n - 1]]) {
        continue;
      }
      int j = size < n ? size++ : n - 1;
      while (j > 0 && p[best[j - 1]] < p[i]) {
        best[j] = best[j - 1];
        j--;
      }
      best[j] = i;
    }
    List<Classification> top = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int idx = best[i];
      top.add(
          new Classification(
              idx, idx < labels.size() ? labels.get(idx) : String.valueOf(idx), p[idx]));
    }
    return top;
  }
}
