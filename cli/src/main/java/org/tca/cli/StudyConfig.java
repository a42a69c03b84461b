package org.tca.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tca.rules.study.Setting;
import org.tca.rules.study.StudyPresets;
import org.tca.rules.study.StudySpec;
import org.tca.rules.study.StudySpecBuilder;

/**
 * A study as a JSON config file, able to say everything a preset says. Keys (all optional; an
 * optional {@code "preset"} gives the starting values, else the {@link StudySpecBuilder}
 * defaults): name, description, task, task_params (object), rules (list), seeds (list of
 * integers) or seed_count, learning_rates (list) or settings (list of {id, label, lr, boost_at,
 * boost_factor, rules}), iterations, rule_iterations (object), hidden, tau (null: a = 0), l2,
 * activation, optimizer, batch, checkpoints, curvature_blocks, held_out, curvature_tolerance,
 * curvature_max_iterations, alignment_batch, eval_train, eval_test, window, kernels. Unknown keys
 * and values of the wrong type are rejected with a message naming the key. {@link #toJson} writes
 * a spec in this format ({@code spec.json} of a study directory).
 */
final class StudyConfig {

  private StudyConfig() {}

  /** Reads and validates a config file; every problem is a {@link UsageException}. */
  static StudySpec read(Path file, Path data) {
    if (!Files.isRegularFile(file)) {
      throw new UsageException("--config " + file + " does not exist or is not a file");
    }
    JsonNode root;
    try {
      root = JsonFiles.readTree(file);
    } catch (IOException e) {
      throw new UsageException("invalid config " + file + ": " + e.getMessage());
    }
    try {
      return parse(root, data);
    } catch (IllegalArgumentException e) {
      throw new UsageException("invalid config " + file + ": " + e.getMessage());
    }
  }

  /** Parses a config tree. */
  static StudySpec parse(JsonNode root, Path data) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("the top level must be a JSON object");
    }
    StudySpecBuilder b = new StudySpecBuilder();
    if (root.has("preset")) {
      b = StudyPresets.create(text(root, "preset"), data).toBuilder();
    }
    boolean seeds = false;
    boolean rates = false;
    Iterator<Map.Entry<String, JsonNode>> it = root.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String k = e.getKey();
      JsonNode v = e.getValue();
      switch (k) {
        case "preset" -> { }
        case "name" -> b.name(text(root, k));
        case "description" -> b.description(text(root, k));
        case "task" -> b.task(text(root, k));
        case "task_params" -> b.taskParams(strings(v, k));
        case "rules" -> b.rules(list(v, k).stream().map(n -> text(n, k)).toList());
        case "seeds" -> {
          b.seeds(list(v, k).stream().map(n -> integer(n, k)).toList());
          seeds = true;
        }
        case "seed_count" -> b.seedCount((int) integer(v, k));
        case "learning_rates" -> {
          b.learningRates(list(v, k).stream().map(n -> real(n, k)).toList());
          rates = true;
        }
        case "settings" -> b.settings(list(v, k).stream().map(StudyConfig::setting).toList());
        case "iterations" -> b.iterations(integer(v, k));
        case "rule_iterations" -> {
          Map<String, Long> m = new LinkedHashMap<>();
          object(v, k).fields().forEachRemaining(x -> m.put(x.getKey(),
              integer(x.getValue(), k + "." + x.getKey())));
          b.ruleIterations(m);
        }
        case "hidden" -> b.hidden((int) integer(v, k));
        case "tau" -> b.tau(v.isNull() ? Double.NaN : real(v, k));
        case "l2" -> b.l2(real(v, k));
        case "activation" -> b.activation(text(v, k));
        case "optimizer" -> b.optimizer(text(v, k));
        case "batch" -> b.batch((int) integer(v, k));
        case "checkpoints" -> b.checkpoints((int) integer(v, k));
        case "curvature_blocks" -> b.curvatureBlocks(text(v, k));
        case "held_out" -> b.heldOut((int) integer(v, k));
        case "curvature_tolerance" -> b.curvatureTolerance(real(v, k));
        case "curvature_max_iterations" -> b.curvatureMaxIterations((int) integer(v, k));
        case "alignment_batch" -> b.alignmentBatch((int) integer(v, k));
        case "eval_train" -> b.evalTrain((int) integer(v, k));
        case "eval_test" -> b.evalTest((int) integer(v, k));
        case "window" -> b.window((int) integer(v, k));
        case "kernels" -> b.kernels(text(v, k));
        default -> throw new IllegalArgumentException("unknown key '" + k + "'");
      }
    }
    if (seeds && root.has("seed_count")) {
      throw new IllegalArgumentException("give 'seeds' or 'seed_count', not both");
    }
    if (rates && root.has("settings")) {
      throw new IllegalArgumentException("give 'learning_rates' or 'settings', not both");
    }
    return b.build();
  }

  private static Setting setting(JsonNode n) {
    String k = "settings[]";
    object(n, k);
    String id = null;
    String label = null;
    double lr = Double.NaN;
    double at = Double.NaN;
    double factor = 1;
    List<String> rules = List.of();
    Iterator<Map.Entry<String, JsonNode>> it = n.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = "settings[]." + e.getKey();
      switch (e.getKey()) {
        case "id" -> id = text(e.getValue(), key);
        case "label" -> label = text(e.getValue(), key);
        case "lr" -> lr = real(e.getValue(), key);
        case "boost_at" -> at = e.getValue().isNull() ? Double.NaN : real(e.getValue(), key);
        case "boost_factor" -> factor = real(e.getValue(), key);
        case "rules" -> rules = list(e.getValue(), key).stream().map(x -> text(x, key)).toList();
        default -> throw new IllegalArgumentException("unknown key '" + key + "'");
      }
    }
    if (Double.isNaN(lr)) {
      throw new IllegalArgumentException("settings[]: 'lr' is required");
    }
    Setting c = Setting.constant(lr);
    return new Setting(id == null ? c.id() : id, label == null ? c.label() : label, lr, at,
        factor, rules);
  }

  /** A spec in config form (every key). */
  static Map<String, Object> toJson(StudySpec s) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("name", s.name());
    j.put("description", s.description());
    j.put("task", s.task());
    j.put("task_params", new java.util.TreeMap<>(s.taskParams()));
    j.put("rules", s.rules());
    j.put("seeds", s.seeds());
    List<Object> settings = new ArrayList<>();
    for (Setting t : s.settings()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", t.id());
      m.put("label", t.label());
      m.put("lr", t.lr());
      m.put("boost_at", t.boostAt());
      m.put("boost_factor", t.boostFactor());
      m.put("rules", t.rules());
      settings.add(m);
    }
    j.put("settings", settings);
    j.put("iterations", s.iterations());
    j.put("rule_iterations", s.ruleIterations());
    j.put("hidden", s.hidden());
    j.put("tau", s.tau());
    j.put("l2", s.l2());
    j.put("activation", s.activation());
    j.put("optimizer", s.optimizer());
    j.put("batch", s.batch());
    j.put("checkpoints", s.checkpoints());
    j.put("curvature_blocks", s.curvatureBlocks());
    j.put("held_out", s.heldOut());
    j.put("curvature_tolerance", s.curvatureTolerance());
    j.put("curvature_max_iterations", s.curvatureMaxIterations());
    j.put("alignment_batch", s.alignmentBatch());
    j.put("eval_train", s.evalTrain());
    j.put("eval_test", s.evalTest());
    j.put("window", s.window());
    j.put("kernels", s.kernels());
    return j;
  }

  private static JsonNode object(JsonNode v, String k) {
    if (!v.isObject()) {
      throw new IllegalArgumentException("'" + k + "' must be an object");
    }
    return v;
  }

  private static List<JsonNode> list(JsonNode v, String k) {
    if (!v.isArray()) {
      throw new IllegalArgumentException("'" + k + "' must be a list");
    }
    List<JsonNode> out = new ArrayList<>();
    v.forEach(out::add);
    return out;
  }

  private static Map<String, String> strings(JsonNode v, String k) {
    Map<String, String> m = new LinkedHashMap<>();
    object(v, k).fields().forEachRemaining(e -> {
      if (!e.getValue().isValueNode() || e.getValue().isNull()) {
        throw new IllegalArgumentException("'" + k + "." + e.getKey()
            + "' must be a string or a number");
      }
      m.put(e.getKey(), e.getValue().asText());
    });
    return m;
  }

  private static String text(JsonNode root, String k) {
    JsonNode v = root.isObject() && root.has(k) ? root.get(k) : root;
    if (!v.isTextual()) {
      throw new IllegalArgumentException("'" + k + "' must be a string");
    }
    return v.asText();
  }

  private static long integer(JsonNode v, String k) {
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new IllegalArgumentException("'" + k + "' must be an integer");
    }
    return v.asLong();
  }

  private static double real(JsonNode v, String k) {
    if (!v.isNumber()) {
      throw new IllegalArgumentException("'" + k + "' must be a number");
    }
    return v.asDouble();
  }
}
