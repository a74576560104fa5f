package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.model.ModelProfile;
import io.github.mobilenet.demo.web.IndexBackend;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.index.IndexConfigMismatchException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code serve}: the search page and JSON API over an index built by {@code index}. */
@Command(
    name = "serve",
    description = {
      "Serves the search page over an index: serve --index DIR.",
      "Serves the search page and JSON API (docs/WEB.md) for an index built by `mobilenet index`;"
          + " the index is opened read-only and follows an indexing job that is still running."
          + " Binds 127.0.0.1 unless --host."
    })
final class ServeCommand extends CliCommand {
  @Mixin IndexDirOption indexDir = new IndexDirOption();

  @Option(
      names = "--profile",
      paramLabel = "PROFILE.json",
      description =
          "The profile of the index's model when it is your own (default: the model the index"
              + " records, found by id).")
  Path profile;

  @Mixin ServerOptions server;

  /** Only to say what to do instead: serve takes no PATH. */
  @Parameters(paramLabel = "PATH", arity = "0..*", hidden = true)
  List<String> extra = List.of();

  @Override
  public Integer call() throws UsageException {
    if (!extra.isEmpty()) {
      throw new UsageException("serve takes no PATH; give the index with --index DIR");
    }
    ServerOptions.Settings settings = server.settings();
    return ServerOptions.serve(open(), settings, out(), err());
  }

  /**
   * The index read-only, with an embedder for uploads on the index's own model and settings (the
   * model is the one the index records, so serve has no --model).
   */
  IndexBackend open() throws UsageException {
    ImageIndex index = ImageIndex.open(indexDir.path);
    try {
      String recorded = index.config().modelId();
      ModelProfile model =
          profile != null
              ? ModelProfile.load(profile)
              : new ModelOptions().orRecorded(recorded, "index " + indexDir.path);
      if (!model.id().equals(recorded)) {
        throw new UsageException(
            ImageIndexes.describe(
                new IndexConfigMismatchException(
                    "the index holds vectors of model "
                        + recorded
                        + ", --profile is "
                        + model.id())));
      }
      ImageEmbedder embedder =
          ImageEmbedder.open(index.config(), model, Runtime.getRuntime().availableProcessors());
      return new IndexBackend(index, embedder, true);
    } catch (UsageException | RuntimeException e) {
      index.close();
      throw e;
    }
  }
}
