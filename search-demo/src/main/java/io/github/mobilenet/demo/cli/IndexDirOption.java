package io.github.mobilenet.demo.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --index DIR} of the commands that read an index built by {@code index} (check, dups,
 * search, serve): one declaration, so they name and describe it alike.
 */
final class IndexDirOption {
  @Option(
      names = "--index",
      paramLabel = "DIR",
      required = true,
      description = "An index built by mobilenet index.")
  Path path;
}
