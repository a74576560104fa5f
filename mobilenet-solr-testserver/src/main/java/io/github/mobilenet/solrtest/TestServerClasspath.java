package io.github.mobilenet.solrtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the SolrCloud child JVM's classpath is: this module's classes (or jar) plus the
 * dependencies Maven wrote to {@code target/solr-classpath.txt}. Names no Solr class, so a Lucene
 * 10 JVM (mobilenet-solr's tests) can call it.
 */
public final class TestServerClasspath {
  /** The main class to run on {@link #classpath()}. */
  public static final String MAIN = "io.github.mobilenet.solrtest.SolrTestServer";

  private TestServerClasspath() {}

  /** This module's {@code target} folder (where its classes or jar are). */
  public static Path target() {
    try {
      Path here =
          Path.of(
              TestServerClasspath.class
                  .getProtectionDomain()
                  .getCodeSource()
                  .getLocation()
                  .toURI());
      return here.getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The classpath of {@link #MAIN}.
   *
   * @throws IllegalStateException when the build has not written the classpath file
   */
  public static String classpath() {
    Path file = target().resolve("solr-classpath.txt");
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          file
              + " is missing: build mobilenet-solr-testserver first (mvn -pl mobilenet-solr -am verify)");
    }
    try {
      String deps = Files.readString(file, StandardCharsets.UTF_8).strip();
      return target().resolve("classes") + java.io.File.pathSeparator + deps;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
