package io.github.mobilenet.demo.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --index DIR} of a command that can read a Solr collection instead ({@code search}): the
 * command checks that one of them is given.
 */
final class OptionalIndexDirOption {
  @Option(
      names = "--index",
      paramLabel = "DIR",
      description = "An index built by mobilenet index; or --solr and --collection.")
  Path path;
}
