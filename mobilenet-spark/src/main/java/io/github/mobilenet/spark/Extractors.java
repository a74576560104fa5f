package io.github.mobilenet.spark;

import io.github.mobilenet.core.extract.FeatureExtractor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One extractor per settings per JVM: an executor's tasks (one per core, partition after partition)
 * share it, so the model loads once per executor, not once per partition. Created on first use,
 * closed when the JVM exits (executors end by exiting).
 */
final class Extractors {
  private static final Map<EmbeddingSettings, FeatureExtractor> OPEN = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(Extractors::closeAll, "mobilenet-spark-extractors"));
  }

  private Extractors() {}

  /** The shared extractor for {@code settings}, opened (and its model verified) on first use. */
  static FeatureExtractor get(EmbeddingSettings settings) {
    return OPEN.computeIfAbsent(settings, EmbeddingSettings::openExtractor);
  }

  /** How many extractors this JVM holds open (one per distinct settings). */
  static int open() {
    return OPEN.size();
  }

  private static void closeAll() {
    OPEN.values().forEach(FeatureExtractor::close);
    OPEN.clear();
  }
}
