package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.image.ImageSource;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Parameters;

/** The PATH arguments of classify and extract: images, folders (walked) or {@code -} (stdin). */
final class ImagePaths {
  @Parameters(
      paramLabel = "PATH",
      arity = "1..*",
      description = "Images or folders (walked recursively); - reads one image from stdin.")
  List<Path> paths;

  /** See {@link ExtractorOptions#sources}: walk problems become error lines counted in failures. */
  List<ImageSource> sources(InputStream stdin, PrintStream out, int[] failures)
      throws UsageException {
    return ExtractorOptions.sources(paths, stdin, out, failures);
  }
}
