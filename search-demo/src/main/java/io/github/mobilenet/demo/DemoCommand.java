package io.github.mobilenet.demo;

import io.github.mobilenet.core.FeatureExtractor;
import io.github.mobilenet.core.ImageFiles;
import io.github.mobilenet.demo.web.MemoryBackend;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code demo}: indexes the bundled sample photos and serves the search page. */
final class DemoCommand implements Command {
  /** The bundled sample folders, relative to the repository root. */
  static final List<String> SAMPLE_FOLDERS = List.of("samples/natural", "samples/test", "samples/demo");

  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String usage() {
    return "demo " + ServerOptions.usage() + "\n"
        + "  indexes the bundled sample photos (samples/) and serves the search page on http://127.0.0.1:8080/";
  }

  @Override
  public int run(String[] argv, PrintStream out, PrintStream err) throws UsageException {
    Args a = Args.parse(argv, ServerOptions.with(Set.of()), Set.of());
    if (!a.positionals().isEmpty()) {
      throw new UsageException("demo takes no PATH (it indexes the bundled samples)");
    }
    Path root = repositoryRoot();
    List<Path> folders = SAMPLE_FOLDERS.stream().map(root::resolve).filter(Files::isDirectory).toList();
    List<Path> files = ImageFiles.expand(folders, p -> err.println("mobilenet demo: " + p));
    FeatureExtractor fx = FeatureExtractor.create();
    err.println("mobilenet demo: embedding " + files.size() + " sample images...");
    Map<String, Map<String, List<String>>> tags = new java.util.HashMap<>();
    try {
      for (String line : Files.readAllLines(root.resolve("samples/demo/tags.csv"))) {
        String[] c = line.split(",");
        if (!c[0].equals("path")) {
          tags.put(Path.of(c[0]).getFileName().toString(), Map.of("tag", List.of(c[1].split(";"))));
        }
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    MemoryBackend backend = new MemoryBackend(fx, files, tags);
    return ServerOptions.serve(backend, a, out, err);
  }

  /** The checkout this jar was built in (the folder holding samples/), else the nearest above the working directory. */
  static Path repositoryRoot() {
    try {
      Path code = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path found = above(code, "samples/natural");
      if (found != null) {
        return found;
      }
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      // fall back to the working directory
    }
    Path found = above(Path.of("").toAbsolutePath(), "samples/natural");
    if (found == null) {
      throw new IllegalStateException("cannot find the bundled samples/ folder above " + Path.of("").toAbsolutePath());
    }
    return found;
  }

  private static Path above(Path start, String marker) {
    for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve(marker))) {
        return p;
      }
    }
    return null;
  }
}
