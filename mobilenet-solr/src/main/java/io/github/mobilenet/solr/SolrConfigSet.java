package io.github.mobilenet.solr;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.solr.client.solrj.request.ConfigSetAdminRequest;
import org.apache.solr.common.util.ContentStreamBase;

/**
 * The project's configset (resources {@code configset/solrconfig.xml} and {@code
 * managed-schema.xml}) with the vector dimension filled in, zipped for Solr's configset upload.
 */
final class SolrConfigSet {
  private static final List<String> FILES = List.of("solrconfig.xml", "managed-schema.xml");

  private SolrConfigSet() {}

  /** The configset name of a collection: one per collection, as its dimension is in it. */
  static String nameFor(String collection) {
    return "mobilenet." + collection;
  }

  /** The configset's files with {@code @DIMENSION@} replaced, as a zip. */
  static byte[] zip(int dimension) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (String f : FILES) {
        String text = resource(f).replace("@DIMENSION@", Integer.toString(dimension));
        zip.putNextEntry(new ZipEntry(f));
        zip.write(text.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The text of one configset file (what {@link #zip} uploads, before the dimension). */
  static String resource(String file) {
    try (InputStream in = SolrConfigSet.class.getResourceAsStream("configset/" + file)) {
      if (in == null) {
        throw new IllegalStateException("configset/" + file + " missing from mobilenet-solr");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The upload request (overwriting a leftover of an earlier, failed creation). */
  static ConfigSetAdminRequest.Upload upload(String collection, int dimension) {
    ContentStreamBase.ByteArrayStream zip =
        new ContentStreamBase.ByteArrayStream(zip(dimension), "configset.zip", "application/zip");
    return new ConfigSetAdminRequest.Upload()
        .setConfigSetName(nameFor(collection))
        .setUploadStream(zip)
        .setOverwrite(true)
        .setCleanup(true);
  }
}
