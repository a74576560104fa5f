package io.github.mobilenet.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.mobilenet.core.model.ModelRegistry;
import io.github.mobilenet.core.model.ModelSummary;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CLI's classpath holds every model the project publishes, each from its own artifact. */
class ModelClasspathTest {
  @Test
  void everyPublishedModelIsOnTheClasspath() {
    List<String> published = new ArrayList<>(ModelRegistry.knownArtifacts().keySet());
    published.remove(ModelRegistry.DEFAULT_ID);
    published.sort(null);
    published.add(0, ModelRegistry.DEFAULT_ID);
    assertEquals(published, ModelRegistry.ids());
    for (ModelSummary s : ModelRegistry.summaries()) {
      assertEquals(ModelRegistry.knownArtifacts().get(s.id()), s.card().artifact(), s.id());
      assertEquals("Apache-2.0", s.card().licence(), s.id());
    }
  }
}
