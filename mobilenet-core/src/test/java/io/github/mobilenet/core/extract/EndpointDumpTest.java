package io.github.mobilenet.core.extract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mobilenet.core.TestFiles;
import io.github.mobilenet.core.V2Endpoints;
import io.github.mobilenet.core.util.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint as .npy plus a manifest, in both layouts. */
class EndpointDumpTest extends DefaultExtractorTest {
  static final Path HOPPER = TestFiles.natural("grace_hopper.bmp");

  @TempDir Path dir;

  /** The documented shape of an endpoint of the default model at 224x224, batch first. */
  static int[] documentedShape(String name) {
    for (V2Endpoints.Spatial ep : V2Endpoints.SPATIAL) {
      if (ep.name().equals(name)) {
        int[] chw = ep.shape(224, 224);
        return new int[] {1, chw[0], chw[1], chw[2]};
      }
    }
    return new int[] {1, name.equals("pooled") ? 1280 : 1001};
  }

  @Test
  void everyEndpointOfTheDefaultModelWithItsDocumentedShape() throws IOException {
    Path out = dir.resolve("nchw");
    EndpointDump.Manifest m = new EndpointDump(fx).write(HOPPER, out, EndpointDump.Layout.NCHW);
    List<String> expected = new ArrayList<>();
    for (V2Endpoints.Spatial ep : V2Endpoints.SPATIAL) {
      expected.add(ep.name());
    }
    expected.addAll(List.of("pooled", "logits", "probs"));
    List<String> names = m.tensors().stream().map(EndpointDump.Tensor::name).toList();
    assertEquals(23, names.size());
    assertEquals(List.copyOf(fx.profile().endpoints().keySet()), names);
    assertEquals(setOf(expected), setOf(names));
    for (EndpointDump.Tensor t : m.tensors()) {
      assertArrayEquals(documentedShape(t.name()), t.shape(), t.name());
      assertEquals(t.shape().length == 4 ? "NCHW" : "NC", t.layout(), t.name());
      assertEquals("float32", t.dtype());
      assertEquals(t.name() + ".npy", t.file());
      Npy.Array a = Npy.readArray(out.resolve(t.file()));
      assertArrayEquals(t.shape(), a.shape(), t.name());
      // The dump holds what a one-layer call returns, bit for bit.
      assertArrayEquals(fx.extractFeatures(HOPPER, t.name()).values(), a.values(), t.name());
    }
    // Only the tensors and the manifest.
    try (var files = Files.list(out)) {
      assertEquals(24, files.count());
    }
  }

  static java.util.Set<String> setOf(List<String> l) {
    return new java.util.HashSet<>(l);
  }

  @Test
  void theManifestParsesAndMatchesTheFiles() throws IOException {
    Path out = dir.resolve("d");
    EndpointDump.Manifest written =
        new EndpointDump(fx).write(HOPPER, out, EndpointDump.Layout.NHWC);
    EndpointDump.Manifest read = EndpointDump.readManifest(out);
    assertEquals("mobilenet_v2_1.0_224", read.model());
    assertEquals(HOPPER.toString(), read.image());
    assertEquals(512, read.imageWidth());
    assertEquals(600, read.imageHeight());
    assertEquals(224, read.inputHeight());
    assertEquals(224, read.inputWidth());
    assertEquals("224x224", read.inputSize());
    assertEquals(EndpointDump.Layout.NHWC, read.layout());
    assertEquals("full", read.preprocessing().mode());
    assertEquals("antialias", read.preprocessing().resizeFilter());
    assertEquals("NCHW", read.preprocessing().inputLayout());
    assertEquals("RGB", read.preprocessing().channelOrder());
    assertArrayEquals(new double[] {127.5, 127.5, 127.5}, read.preprocessing().mean());
    assertArrayEquals(new double[] {127.5, 127.5, 127.5}, read.preprocessing().std());
    assertEquals(Map.of("layer_20", "layer_19"), read.aliases());
    assertEquals(written.tensors().size(), read.tensors().size());
    for (int i = 0; i < read.tensors().size(); i++) {
      EndpointDump.Tensor t = read.tensors().get(i);
      assertEquals(written.tensors().get(i).name(), t.name());
      assertArrayEquals(written.tensors().get(i).shape(), t.shape());
      Npy.Array a = Npy.readArray(out.resolve(t.file()));
      assertArrayEquals(t.shape(), a.shape(), t.name());
    }
    // Plain JSON with the documented field names, for tools in other languages.
    JsonNode json = new ObjectMapper().readTree(out.resolve(EndpointDump.MANIFEST).toFile());
    JsonNode first = json.get("tensors").get(0);
    assertEquals("layer_1", first.get("name").asText());
    assertEquals("layer_1.npy", first.get("file").asText());
    assertEquals("[1,112,112,32]", first.get("shape").toString());
    assertEquals("NHWC", first.get("layout").asText());
    assertEquals("float32", first.get("dtype").asText());
    assertEquals("NC", json.get("tensors").get(20).get("layout").asText());
  }

  @Test
  void nhwcIsTheNchwDumpTransposed() throws IOException {
    Path nchw = dir.resolve("nchw");
    Path nhwc = dir.resolve("nhwc");
    EndpointDump dump = new EndpointDump(fx);
    EndpointDump.Manifest a = dump.write(HOPPER, nchw, EndpointDump.Layout.NCHW);
    dump.write(HOPPER, nhwc, EndpointDump.Layout.NHWC);
    int spatial = 0;
    for (EndpointDump.Tensor t : a.tensors()) {
      Npy.Array x = Npy.readArray(nchw.resolve(t.file()));
      Npy.Array y = Npy.readArray(nhwc.resolve(t.file()));
      if (x.shape().length == 2) {
        assertArrayEquals(x.shape(), y.shape());
        assertArrayEquals(x.values(), y.values(), t.name());
        continue;
      }
      spatial++;
      int c = x.shape()[1];
      int h = x.shape()[2];
      int w = x.shape()[3];
      assertArrayEquals(new int[] {1, h, w, c}, y.shape(), t.name());
      float[] transposed = new float[x.values().length];
      for (int ch = 0; ch < c; ch++) {
        for (int row = 0; row < h; row++) {
          for (int col = 0; col < w; col++) {
            transposed[(row * w + col) * c + ch] = x.values()[(ch * h + row) * w + col];
          }
        }
      }
      assertArrayEquals(transposed, y.values(), t.name());
    }
    assertEquals(20, spatial);
  }

  @Test
  void aShorterSideIsRecordedWithTheImagesOwnInputSize() throws IOException {
    try (FeatureExtractor aspect = FeatureExtractor.builder().shorterSide(320).build()) {
      Path out = dir.resolve("owl");
      EndpointDump.Manifest m =
          new EndpointDump(aspect)
              .write(TestFiles.natural("owl.jpg"), out, EndpointDump.Layout.NCHW);
      assertEquals(320, m.inputHeight());
      assertEquals(427, m.inputWidth());
      assertEquals("320", m.inputSize());
      assertArrayEquals(
          new int[] {1, 1280, 10, 14}, Npy.readArray(out.resolve("layer_19.npy")).shape());
    }
  }

  @Test
  void badLayoutsAndUnwritableFoldersAreNamed() throws IOException {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> EndpointDump.Layout.parse("chwn"));
    assertTrue(e.getMessage().contains("'chwn'"), e.getMessage());
    assertEquals(EndpointDump.Layout.NHWC, EndpointDump.Layout.parse("NHWC"));
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    IOException io =
        assertThrows(
            IOException.class,
            () ->
                new EndpointDump(fx).write(HOPPER, file.resolve("sub"), EndpointDump.Layout.NCHW));
    assertTrue(io.getMessage().contains(file.resolve("sub").toString()), io.getMessage());
    IOException missing = assertThrows(IOException.class, () -> EndpointDump.readManifest(dir));
    assertTrue(missing.getMessage().contains(EndpointDump.MANIFEST), missing.getMessage());
  }
}
