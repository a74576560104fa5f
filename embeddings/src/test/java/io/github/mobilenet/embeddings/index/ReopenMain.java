package io.github.mobilenet.embeddings.index;

import io.github.mobilenet.core.util.Npy;
import io.github.mobilenet.embeddings.search.SearchHit;
import io.github.mobilenet.embeddings.search.SearchOptions;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Run in a child JVM by {@link ImageIndexTest#reopensInAFreshJvm}: opens an index and searches it.
 */
public final class ReopenMain {
  private ReopenMain() {}

  public static void main(String[] args) throws Exception {
    try (ImageIndex index = ImageIndex.open(Path.of(args[0]))) {
      System.out.println("config " + index.config().describe());
      System.out.println("documents " + index.size());
      float[] q = Npy.read(Path.of(args[1])).get(0);
      for (SearchHit h : index.search(q, SearchOptions.top(3))) {
        System.out.println(
            String.format(Locale.ROOT, "hit %d %s %.4f", h.rank(), h.id(), h.score()));
      }
    }
  }
}
