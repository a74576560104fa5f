package io.github.mobilenet.core.extract;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Child-JVM entry point of {@link LongCommandLineTest}: classifies {@code args[0]} and ignores the
 * remaining arguments, which are only there to make the process's command line long.
 */
public final class LongCommandLineMain {
  private LongCommandLineMain() {}

  public static void main(String[] args) throws Exception {
    Path cmdline = Path.of("/proc/self/cmdline");
    if (Files.isReadable(cmdline)) {
      System.out.println("cmdline-bytes " + Files.readAllBytes(cmdline).length);
    }
    try (FeatureExtractor extractor = FeatureExtractor.create()) {
      List<Classification> top = extractor.classify(Path.of(args[0]), 1);
      System.out.println("top1 " + top.get(0).index() + " " + top.get(0).label());
    }
  }
}
