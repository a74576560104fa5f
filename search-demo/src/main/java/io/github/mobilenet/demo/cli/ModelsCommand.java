package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.model.ModelCard;
import io.github.mobilenet.core.model.ModelRegistry;
import io.github.mobilenet.core.model.ModelSummary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code models}: the models on the classpath (or one, or a user's own profile), one JSON line
 * each.
 */
@Command(
    name = "models",
    description = {
      "Lists the models --model accepts, one JSON line each.",
      "{\"id\": ..., \"input\": [H, W], \"endpoints\": {\"layer_1\": [32, 112, 112], ...,"
          + " \"pooled\": [1280], ...}, \"aliases\": {...}, \"embedding_dimension\": 1280,"
          + " \"classes\": 1001, \"bytes\": ..., \"licence\": ..., \"artifact\": ..., \"accuracy\":"
          + " ..., \"speed\": ..., \"source\": ..., \"description\": ..., \"location\": ...}; shapes"
          + " at the native input size, embedding_dimension 0 = no pooled vector, classes 0 = no"
          + " classifier. --model ID shows one model, --profile FILE your own the same way."
    })
final class ModelsCommand extends CliCommand {
  @Mixin ModelOptions model;

  @Override
  public Integer call() throws UsageException {
    List<ModelSummary> rows =
        model.given() ? List.of(ModelRegistry.summary(model.profile())) : ModelRegistry.summaries();
    for (ModelSummary s : rows) {
      Json.line(out(), row(s));
    }
    return ExitCode.OK;
  }

  /** One listing line; card fields are null when the model has no card. */
  static Map<String, Object> row(ModelSummary s) {
    Map<String, List<Integer>> endpoints = new LinkedHashMap<>();
    s.endpoints().forEach(e -> endpoints.put(e.name(), e.shape()));
    ModelCard card = s.card();
    return Json.obj(
        "id",
        s.id(),
        "input",
        List.of(s.inputHeight(), s.inputWidth()),
        "endpoints",
        endpoints,
        "aliases",
        new TreeMap<>(s.aliases()),
        "embedding_dimension",
        s.embeddingDimension(),
        "classes",
        s.classes(),
        "bytes",
        s.bytes(),
        "licence",
        card.licence(),
        "artifact",
        card.artifact(),
        "accuracy",
        card.accuracy(),
        "speed",
        card.speed(),
        "source",
        card.source(),
        "description",
        s.description(),
        "location",
        s.location());
  }
}
