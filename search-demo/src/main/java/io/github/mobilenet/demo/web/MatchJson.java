package io.github.mobilenet.demo.web;

import io.github.mobilenet.local.verify.Match;
import io.github.mobilenet.local.verify.Verifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The JSON of a verification: what {@code /api/match} answers after naming the two images. */
final class MatchJson {
  private MatchJson() {}

  /**
   * Inliers, transform, homography (row-major 3×3 from A's pixels to B's, null when none) and the
   * point pairs {@code [ax, ay, bx, by]} in each image's upright pixels.
   */
  static Map<String, Object> of(Map<String, Object> a, Map<String, Object> b, Match m, long t0) {
    List<Object> pairs = new ArrayList<>(m.inliers());
    float[] pa = m.pointsA();
    float[] pb = m.pointsB();
    for (int i = 0; i < m.inliers(); i++) {
      pairs.add(
          List.of(round(pa[2 * i]), round(pa[2 * i + 1]), round(pb[2 * i]), round(pb[2 * i + 1])));
    }
    List<Object> h = null;
    if (m.homography() != null) {
      double[] hm = m.homography();
      double scale = hm[8] != 0 ? hm[8] : 1; // normalised so h[8] = 1
      h = new ArrayList<>(9);
      for (double v : hm) {
        h.add(v / scale);
      }
    }
    return JsonBodies.obj(
        "a", a,
        "b", b,
        "inliers", m.inliers(),
        "transform", m.transform().label(),
        "mirrored", m.mirrored(),
        "samePhoto", Verifier.isSamePhoto(m),
        "tentative", m.tentative(),
        "coverage", Math.round(m.coverage() * 1000) / 1000.0,
        "homography", h,
        "pairs", pairs,
        "tookMs", Millis.since(t0));
  }

  private static double round(float v) {
    return Math.round(v * 10) / 10.0;
  }
}
