package io.github.mobilenet.demo.web;

import io.github.mobilenet.core.MobileNetException;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.index.IndexConfig;
import io.github.mobilenet.embeddings.index.Tags;
import io.github.mobilenet.embeddings.job.IndexingJob;
import io.github.mobilenet.embeddings.job.IndexingListener;
import io.github.mobilenet.embeddings.job.IndexingSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The sample photos bundled in the repository (see samples/demo/README.md): 50 images in a few
 * categories with near-duplicate variants and a tags sidecar.
 */
public final class DemoSet {
  /** Folders indexed by the demo, relative to the repository root. */
  public static final List<String> FOLDERS =
      List.of("samples/natural", "samples/test", "samples/demo");

  /** The tags sidecar, relative to the repository root. */
  public static final String TAGS = "samples/demo/tags.csv";

  private DemoSet() {}

  /**
   * Indexes the samples under {@code root} into {@code indexFolder} with the default configuration
   * (only new or changed files are embedded; removed ones are pruned) and returns a backend serving
   * the open, writable index.
   *
   * @return the backend and what the job did
   */
  public static Indexed index(Path root, Path indexFolder, IndexingListener listener) {
    List<Path> folders = FOLDERS.stream().map(root::resolve).toList();
    for (Path f : folders) {
      if (!Files.isDirectory(f)) {
        throw new MobileNetException("sample folder missing: " + f);
      }
    }
    ImageIndex index = ImageIndex.openOrCreate(indexFolder, IndexConfig.defaults());
    try {
      ImageEmbedder embedder = ImageEmbedder.open(index.config());
      try {
        IndexingSummary summary =
            IndexingJob.builder(index, embedder)
                .paths(folders)
                .tags(Tags.load(root.resolve(TAGS)))
                .prune(true)
                .listener(listener)
                .build()
                .run();
        index.commit();
        index.refresh();
        return new Indexed(new IndexBackend(index, embedder, true), summary);
      } catch (RuntimeException e) {
        embedder.close();
        throw e;
      }
    } catch (RuntimeException e) {
      index.close();
      throw e;
    }
  }

  /** A demo index ready to serve, and the job's summary. */
  public record Indexed(IndexBackend backend, IndexingSummary summary) {}
}
