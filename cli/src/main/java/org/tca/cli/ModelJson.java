package org.tca.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.tca.numerics.io.MalformedFileException;
import org.tca.numerics.kernels.Activation;
import org.tca.rules.model.Cell;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.spiking.SpikingCell;
import org.tca.rules.spiking.SpikingConfig;

/**
 * The model config in JSON, both ways: {@link #fields} writes it (model.json, metrics.json's
 * "model"), an instance reads a model.json tree (see {@link GradientDirectory}): the model config
 * and the informational keys; every missing or ill-typed key is a {@link MalformedFileException}
 * naming the file and the key.
 */
final class ModelJson {

  /** Keys that describe the model or the directory rather than the run. */
  private static final Set<String> STRUCTURAL = Set.of("format", "precision", "inputs", "hidden",
      "outputs", "cell", "a", "activation", "loss", "l2", "recurrent_bias", "no_autapse", "dale",
      "excitatory_fraction", "excitatory", "connection_probability", "masks", "frozen", "rule",
      "rule_settings", "auxiliary", "equations");

  private final Path file;
  private final JsonNode root;

  ModelJson(Path file, JsonNode root) throws MalformedFileException {
    this.file = file;
    this.root = root;
    if (root == null || !root.isObject()) {
      throw new MalformedFileException(file, "expected a JSON object");
    }
  }

  private JsonNode need(String key) throws MalformedFileException {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) {
      throw new MalformedFileException(file, "key '" + key + "' is missing");
    }
    return n;
  }

  String text(String key) throws MalformedFileException {
    JsonNode n = need(key);
    if (!n.isTextual()) {
      throw new MalformedFileException(file, "key '" + key + "' must be a string");
    }
    return n.asText();
  }

  int integer(String key) throws MalformedFileException {
    JsonNode n = need(key);
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw new MalformedFileException(file, "key '" + key + "' must be an integer");
    }
    return n.asInt();
  }

  double number(String key) throws MalformedFileException {
    JsonNode n = need(key);
    if (!n.isNumber()) {
      throw new MalformedFileException(file, "key '" + key + "' must be a number");
    }
    return n.asDouble();
  }

  boolean flag(String key) throws MalformedFileException {
    JsonNode n = need(key);
    if (!n.isBoolean()) {
      throw new MalformedFileException(file, "key '" + key + "' must be true or false");
    }
    return n.asBoolean();
  }

  /** The keys of a model config, in file order; {@link #config} reads them back. */
  static Map<String, Object> fields(ModelConfig m) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("inputs", m.inputs());
    j.put("hidden", m.hidden());
    j.put("outputs", m.outputs());
    j.put("cell", m.cell().id());
    j.put("a", m.leak());
    j.put("activation", m.activation().id());
    j.put("loss", m.loss().id());
    j.put("l2", m.l2());
    j.put("recurrent_bias", m.recurrentBias());
    j.put("no_autapse", m.noAutapse());
    j.put("dale", m.dale());
    j.put("excitatory_fraction", m.excitatoryFraction());
    j.put("connection_probability", m.connectionProbability());
    return j;
  }

  /**
   * The keys of a model's config for metrics.json: {@link #fields}, and for a spiking network
   * (non-null {@code spiking}) its cell and neuron constants in place of the rate cell's leak
   * and activation.
   */
  static Map<String, Object> fields(ModelConfig m, SpikingConfig spiking) {
    Map<String, Object> j = fields(m);
    if (spiking != null) {
      j.remove("a");
      j.remove("activation");
      j.put("cell", SpikingCell.of(spiking).id());
      j.put("spiking", SpikingOptions.json(spiking));
    }
    return j;
  }

  /**
   * The model config.
   *
   * @throws MalformedFileException also for a spiking network (tca train --cell lif...), whose
   *     loss has no Hessian (the spike function H is a step) and which no reader here runs
   */
  ModelConfig config() throws MalformedFileException {
    String cell = text("cell");
    if (SpikingCell.isSpiking(cell)) {
      throw new MalformedFileException(file, "holds a spiking network (cell " + cell + "):"
          + " curvature and gradients are for rate cells only (the Hessian of a loss through"
          + " the spike function H is not defined)");
    }
    try {
      return ModelConfig.builder(integer("inputs"), integer("hidden"), integer("outputs"))
          .cell(Cell.parse(text("cell")))
          .activation(Activation.parse(text("activation")))
          .leak(number("a"))
          .loss(LossKind.parse(text("loss")))
          .l2(number("l2"))
          .recurrentBias(flag("recurrent_bias"))
          .noAutapse(flag("no_autapse"))
          .dale(flag("dale"))
          .excitatoryFraction(number("excitatory_fraction"))
          .connectionProbability(number("connection_probability"))
          .build();
    } catch (IllegalArgumentException e) {
      throw new MalformedFileException(file, e.getMessage());
    }
  }

  /** The keys that are not part of the model (task, seed, objective, ...), as plain values. */
  Map<String, Object> info() {
    Map<String, Object> all = JsonFiles.toMap(root);
    all.keySet().removeAll(STRUCTURAL);
    return all;
  }
}
