package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.MobileNetException;
import io.github.mobilenet.core.extract.EndpointDump;
import io.github.mobilenet.core.extract.FeatureExtractor;
import io.github.mobilenet.core.image.ImageSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dump}: every endpoint of one image as float32 .npy files plus manifest.json. */
@Command(
    name = "dump",
    sortOptions = false,
    description = {
      "Writes every endpoint of one image as .npy plus manifest.json.",
      "One run of the model writes DIR/ENDPOINT.npy for every endpoint (float32, batch dimension 1:"
          + " maps [1, C, H, W] or with --layout nhwc [1, H, W, C], vectors [1, C]) and then"
          + " DIR/manifest.json (model, image, input size, layout, preprocessing, and per tensor"
          + " name, file, shape, layout, dtype). stdout: {\"file\": ..., \"out\": ..., \"model\":"
          + " ..., \"layout\": ..., \"input\": [H, W], \"tensors\": N}, or {\"file\": ...,"
          + " \"error\": ...} when the image cannot be read. Exit 0 written, 1 failed, 2 usage"
          + " error."
    })
final class DumpCommand extends CliCommand {
  @Option(
      names = "--out",
      paramLabel = "DIR",
      required = true,
      description = "Folder to write (created if missing; files of the same names are replaced).")
  Path out;

  @Option(
      names = "--layout",
      paramLabel = "nchw|nhwc",
      defaultValue = "nchw",
      description =
          "Order of the spatial maps: channel-major as the network computes, or channels last"
              + " (default: ${DEFAULT-VALUE}).")
  EndpointDump.Layout layout;

  @Mixin ExtractorOptions extractor;

  @Parameters(paramLabel = "IMAGE", arity = "1", description = "The image; - reads it from stdin.")
  Path image;

  @Override
  public Integer call() throws UsageException {
    if (Files.isDirectory(image)) {
      throw new UsageException("dump takes one image; " + image + " is a folder");
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new UsageException("--out " + out + " is a file; give a folder");
    }
    String name = image.toString();
    try (FeatureExtractor fx = extractor.open()) {
      EndpointDump.Manifest m;
      try {
        ImageSource source =
            Check.isStandardInput(image) ? ImageSource.of(in(), "-") : ImageSource.of(image);
        m = new EndpointDump(fx).write(source, out, layout);
      } catch (MobileNetException e) { // the image: unreadable, not an image, too large
        Json.line(out(), Json.obj("file", name, "error", e.getMessage()));
        return ExitCode.SOME_FAILED;
      } catch (IOException e) {
        err().println("mobilenet dump: " + e.getMessage());
        return ExitCode.SOME_FAILED;
      }
      Json.line(
          out(),
          Json.obj(
              "file",
              name,
              "out",
              out.toString(),
              "model",
              m.model(),
              "layout",
              m.layout().name().toLowerCase(Locale.ROOT),
              "input",
              List.of(m.inputHeight(), m.inputWidth()),
              "tensors",
              m.tensors().size()));
      return ExitCode.OK;
    }
  }
}
