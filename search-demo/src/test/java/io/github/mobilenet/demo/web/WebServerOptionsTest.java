package io.github.mobilenet.demo.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The options' builder and withers change what they name and keep the rest. */
class WebServerOptionsTest {

  @Test
  void theBuilderStartsFromTheDefaults() {
    assertEquals(WebServer.Options.defaults(), WebServer.Options.builder().build());
  }

  @Test
  void toBuilderChangesOnlyWhatItIsTold() {
    WebServer.Options d = WebServer.Options.defaults();
    WebServer.Options o = d.toBuilder().maxK(7).queueLength(3).pathRoot(Path.of("/photos")).build();
    assertEquals(7, o.maxK());
    assertEquals(3, o.queueLength());
    assertEquals(Path.of("/photos"), o.pathRoot());
    assertEquals(d.maxUploadBytes(), o.maxUploadBytes());
    assertEquals(d.threads(), o.threads());
    assertEquals(d.idleTimeout(), o.idleTimeout());
    assertEquals(d.maxDecodePixels(), o.maxDecodePixels());
  }

  @Test
  void withersMatchTheSixSettingsConstructorPlusTheirChange() {
    WebServer.Options six = new WebServer.Options(1 << 20, 2, 8, 64, 0, 10);
    assertEquals(
        new WebServer.Options(
            1 << 20, 2, 8, 64, 0, 10, 5, 1_000, Duration.ZERO, Duration.ofSeconds(9), true, null),
        six.withMaxFilters(5)
            .withDecodes(1_000, Duration.ZERO)
            .withIdleTimeout(Duration.ofSeconds(9))
            .withPaths(true, null));
    assertEquals(123, six.withMaxUploadBytes(123).maxUploadBytes());
    assertEquals(six.threads(), six.withMaxUploadBytes(123).threads());
  }

  @Test
  void buildChecksLikeTheConstructor() {
    WebServer.Options.Builder b = WebServer.Options.builder().maxFilters(1001);
    assertThrows(IllegalArgumentException.class, b::build);
    assertThrows(
        IllegalArgumentException.class,
        () -> WebServer.Options.defaults().withIdleTimeout(Duration.ZERO));
  }
}
