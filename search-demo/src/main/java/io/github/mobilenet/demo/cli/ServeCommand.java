package io.github.mobilenet.demo.cli;

import io.github.mobilenet.demo.web.IndexBackend;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

/** {@code serve}: the search page and JSON API over an index built by {@code index}. */
final class ServeCommand implements Command {
  @Override
  public String name() {
    return "serve";
  }

  @Override
  public String usage() {
    return "serve --index DIR "
        + ServerOptions.usage()
        + "\n"
        + "  serves the search page and JSON API (docs/WEB.md) for an index built by `mobilenet index`; the index\n"
        + "  is opened read-only and follows an indexing job that is still running. Binds 127.0.0.1 unless --host.";
  }

  @Override
  public int run(String[] argv, PrintStream out, PrintStream err) throws UsageException {
    Args a = Args.parse(argv, ServerOptions.with(Set.of("index")), Set.of());
    if (!a.positionals().isEmpty()) {
      throw new UsageException("serve takes no PATH; give the index with --index DIR");
    }
    Path folder = Path.of(a.require("index"));
    ServerOptions.Settings settings = ServerOptions.parse(a);
    return ServerOptions.serve(IndexBackend.open(folder), settings, out, err);
  }
}
