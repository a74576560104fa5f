package io.github.mobilenet.demo.cli;

import io.github.mobilenet.demo.web.IndexBackend;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code serve}: the search page and JSON API over an index built by {@code index}. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves the search page over an index: serve --index DIR.",
      "Serves the search page and JSON API (docs/WEB.md) for an index built by `mobilenet index`;"
          + " the index is opened read-only and follows an indexing job that is still running."
          + " Binds 127.0.0.1 unless --host."
    })
final class ServeCommand extends CliCommand {
  @Option(
      names = "--index",
      paramLabel = "DIR",
      required = true,
      description = "An index built by mobilenet index.")
  Path folder;

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
    return ServerOptions.serve(IndexBackend.open(folder), settings, out(), err());
  }
}
