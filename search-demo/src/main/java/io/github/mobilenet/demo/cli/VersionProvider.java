package io.github.mobilenet.demo.cli;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code mobilenet --version}: this build's version (from a resource Maven fills in at build time),
 * and the versions of the ONNX Runtime and Lucene on the class path, which decide speed and index
 * compatibility.
 */
final class VersionProvider implements IVersionProvider {
  static final String RESOURCE = "version.properties";

  @Override
  public String[] getVersion() {
    return new String[] {
      "mobilenet " + version(),
      "ONNX Runtime " + OrtEnvironment.getEnvironment().getVersion(),
      "Lucene " + org.apache.lucene.util.Version.LATEST
    };
  }

  /** The project version this jar was built as. */
  static String version() {
    try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
