package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.util.FileTrees;
import io.github.mobilenet.demo.web.DemoSet;
import io.github.mobilenet.embeddings.index.IndexConfigMismatchException;
import io.github.mobilenet.embeddings.job.IndexingListener;
import io.github.mobilenet.embeddings.job.IndexingSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code demo}: indexes the bundled sample photos and serves the search page. */
@Command(
    name = "demo",
    description = {
      "Indexes the bundled samples and serves the search page.",
      "Indexes samples/natural, samples/test and samples/demo (only new or changed files are"
          + " embedded) into "
          + DemoCommand.INDEX_FOLDER
          + " and serves the search page on http://127.0.0.1:8080/."
    })
final class DemoCommand extends CliCommand {
  /** Where the demo keeps its index, relative to the repository root (ignored by git). */
  static final String INDEX_FOLDER = "target/demo-index";

  @Option(
      names = "--index",
      paramLabel = "DIR",
      description = "Index folder (default: " + INDEX_FOLDER + " in the checkout).")
  Path index;

  @Mixin ServerOptions server;

  /** Only to say what to do instead: demo takes no PATH. */
  @Parameters(paramLabel = "PATH", arity = "0..*", hidden = true)
  List<String> extra = List.of();

  @Override
  public Integer call() throws UsageException {
    PrintStream out = out();
    PrintStream err = err();
    if (!extra.isEmpty()) {
      throw new UsageException(
          "demo takes no PATH (it indexes the bundled samples; use index + serve for your own)");
    }
    ServerOptions.Settings settings = server.settings();
    Path root = repositoryRoot();
    if (root == null) {
      err.println(
          "mobilenet demo: cannot find the bundled samples/ folder (run it from a checkout of the repository)");
      return ExitCode.SOME_FAILED;
    }
    boolean ownFolder = index == null;
    Path folder = ownFolder ? root.resolve(INDEX_FOLDER) : index;
    DemoSet.Indexed demo;
    try {
      demo = DemoSet.index(root, folder, progress(err));
    } catch (IndexConfigMismatchException e) {
      if (!ownFolder) {
        throw e;
      }
      // The demo's own index from an older configuration: rebuild it.
      err.println("mobilenet demo: the index configuration changed; rebuilding " + folder);
      deleteTree(folder);
      demo = DemoSet.index(root, folder, progress(err));
    }
    IndexingSummary s = demo.summary();
    err.printf(
        Locale.ROOT,
        "mobilenet demo: %d images in %s (%d embedded now, %d unchanged, %d failed) in %.1f s%n",
        s.documents(),
        folder,
        s.embedded(),
        s.unchanged(),
        s.failed(),
        s.seconds());
    return ServerOptions.serve(demo.backend(), settings, out, err);
  }

  private static IndexingListener progress(PrintStream err) {
    return new IndexingListener() {
      @Override
      public void started(int total) {
        err.println("mobilenet demo: indexing " + total + " sample images...");
      }

      @Override
      public void failed(String path, String reason, String message) {
        err.println("mobilenet demo: skipped " + message);
      }
    };
  }

  /**
   * The checkout this jar was built in (the folder holding samples/), else the nearest above the
   * working directory.
   */
  static Path repositoryRoot() {
    try {
      Path code =
          Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path found = above(code, "samples/demo");
      if (found != null) {
        return found;
      }
    } catch (URISyntaxException | RuntimeException e) {
      // fall back to the working directory
    }
    return above(Path.of("").toAbsolutePath(), "samples/demo");
  }

  private static Path above(Path start, String marker) {
    for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve(marker))) {
        return p;
      }
    }
    return null;
  }

  private static void deleteTree(Path folder) {
    try {
      FileTrees.deleteRecursively(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + folder, e);
    }
  }
}
