package io.github.mobilenet.solr;

import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.job.IndexingJob;
import io.github.mobilenet.embeddings.job.IndexingListener;
import java.nio.file.Path;
import java.util.List;

/**
 * The indexing job in a process of its own, so a test can kill it with SIGKILL mid-run: indexes
 * folder {@code args[2]} into collection {@code args[1]} at {@code args[0]} one image at a time,
 * committing every 5 and printing {@code committed N} after each commit.
 */
public final class IndexChild {
  private IndexChild() {}

  public static void main(String[] args) {
    SolrSettings at = SolrSettings.of(args[0], args[1]).shards(2);
    try (SolrImageIndex index = SolrImageIndex.openOrCreate(at, SolrImageIndexTest.CONFIG);
        ImageEmbedder embedder = ImageEmbedder.open(SolrImageIndexTest.CONFIG)) {
      IndexingJob.builder(index, embedder)
          .paths(List.of(Path.of(args[2])))
          .decodeThreads(1)
          .commitEvery(5)
          .listener(
              new IndexingListener() {
                @Override
                public void committed(int documents) {
                  System.out.println("committed " + documents);
                  System.out.flush();
                }
              })
          .build()
          .run();
    }
  }
}
