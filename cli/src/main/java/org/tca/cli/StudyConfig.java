package org.tca.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tca.numerics.io.MalformedFileException;
import org.tca.study.Setting;
import org.tca.study.StudyPresets;
import org.tca.study.StudySpec;
import org.tca.study.StudySpecBuilder;
import org.tca.study.StudySpiking;
import org.tca.study.StudyTask;

/**
 * A study as a JSON config file, able to say everything a preset says; its structure is
 * {@link StudyConfigSchema} ({@code study-config.schema.json}, which documents every key). An
 * optional {@code "preset"} gives the starting values, else the {@link StudySpecBuilder}
 * defaults; the other keys override them. The task axis is either {@code task} and
 * {@code task_params} (one task; a different task name starts from that task's defaults, and
 * {@code task_params} are set over the current parameters) or {@code tasks} (a list of {id, task,
 * params, tau}, tau overriding the study's on that task); either starts without the preset's
 * training-set draws unless {@code draws} is given ({@code []}: no draws). {@link #toJson} writes a spec in this
 * format ({@code spec.json} of a study directory; keys that are off by default only when set),
 * with the optional {@code code} block that parsing ignores.
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
    } catch (MalformedFileException e) {
      throw new UsageException("invalid config " + file + ": " + e.problem());
    } catch (IOException e) {
      throw new UsageException("invalid config " + file + ": " + e.getMessage());
    }
    try {
      return parse(root, data);
    } catch (IllegalArgumentException e) {
      throw new UsageException("invalid config " + file + ": " + e.getMessage());
    }
  }

  /** Validates a config tree against the schema and builds its spec. */
  static StudySpec parse(JsonNode root, Path data) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("the top level must be a JSON object");
    }
    StudyConfigSchema.validate(root);
    exclusive(root, "seeds", "seed_count");
    exclusive(root, "learning_rates", "settings");
    exclusive(root, "tasks", "task");
    exclusive(root, "tasks", "task_params");
    StudySpecBuilder b = root.has("preset")
        ? StudyPresets.create(root.get("preset").asText(), data).toBuilder()
        : new StudySpecBuilder();
    if (root.has("rules")) {
      b.rules(texts(root.get("rules")));
    }
    if (root.has("task")) {
      b.task(root.get("task").asText());
    }
    if (root.has("task_params")) {
      b.taskParams(strings(root.get("task_params")));
    }
    if (root.has("tasks")) {
      List<StudyTask> tasks = new ArrayList<>();
      for (JsonNode t : root.get("tasks")) {
        String name = t.get("task").asText();
        JsonNode tau = t.get("tau");
        tasks.add(new StudyTask(t.path("id").asText(name), name,
            t.has("params") ? strings(t.get("params")) : Map.of(),
            tau == null ? null : tau.isNull() ? Double.NaN : tau.asDouble()));
      }
      b.tasks(tasks).draws(List.of()); // a preset's draws are of its own task
    }
    root.properties().forEach(e -> set(b, e.getKey(), e.getValue()));
    return b.build();
  }

  private static void set(StudySpecBuilder b, String k, JsonNode v) {
    switch (k) {
      case "name" -> b.name(v.asText());
      case "description" -> b.description(v.asText());
      case "seeds" -> b.seeds(list(v).stream().map(JsonNode::asLong).toList());
      case "seed_count" -> b.seedCount(v.asInt());
      case "learning_rates" -> b.learningRates(list(v).stream().map(JsonNode::asDouble).toList());
      case "settings" -> b.settings(list(v).stream().map(StudyConfig::setting).toList());
      case "iterations" -> b.iterations(v.asLong());
      case "rule_iterations" -> {
        Map<String, Long> m = new LinkedHashMap<>();
        v.properties().forEach(x -> m.put(x.getKey(), x.getValue().asLong()));
        b.ruleIterations(m);
      }
      case "hidden" -> b.hidden(v.asInt());
      case "tau" -> b.tau(v.isNull() ? Double.NaN : v.asDouble());
      case "l2" -> b.l2(v.asDouble());
      case "activation" -> b.activation(v.asText());
      case "optimizer" -> b.optimizer(v.asText());
      case "batch" -> b.batch(v.asInt());
      case "checkpoints" -> b.checkpoints(v.asInt());
      case "curvature_blocks" -> b.curvatureBlocks(v.asText());
      case "held_out" -> b.heldOut(v.asInt());
      case "curvature_tolerance" -> b.curvatureTolerance(v.asDouble());
      case "curvature_max_iterations" -> b.curvatureMaxIterations(v.asInt());
      case "alignment_batch" -> b.alignmentBatch(v.asInt());
      case "eval_train" -> b.evalTrain(v.asInt());
      case "eval_test" -> b.evalTest(v.asInt());
      case "window" -> b.window(v.asInt());
      case "kernels" -> b.kernels(v.asText());
      case "until_train_loss" -> b.untilTrainLoss(v.asDouble());
      case "train_curvature" -> b.trainCurvature(v.asBoolean());
      case "draws" -> b.draws(list(v).stream().map(JsonNode::asLong).toList());
      case "spiking" -> b.spiking(v.isNull() ? null : spiking(v));
      case "preset", "rules", "task", "task_params", "tasks", "code" -> { }
      default -> throw new IllegalArgumentException("unknown key '" + k + "'");
    }
  }

  private static void exclusive(JsonNode root, String a, String b) {
    if (root.has(a) && root.has(b)) {
      throw new IllegalArgumentException("give '" + a + "' or '" + b + "', not both");
    }
  }

  private static Setting setting(JsonNode n) {
    JsonNode at = n.get("boost_at");
    Setting d = Setting.of(n.get("lr").asDouble(),
        at == null || at.isNull() ? Double.NaN : at.asDouble(),
        n.path("boost_factor").asDouble(1), n.has("rules") ? texts(n.get("rules")) : List.of());
    return new Setting(n.path("id").asText(d.id()), n.path("label").asText(d.label()), d.lr(),
        d.boostAt(), d.boostFactor(), d.rules());
  }

  /** A spec in config form (every key), with {@code code} when it is not null. */
  static Map<String, Object> toJson(StudySpec s, Map<String, Object> code) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("name", s.name());
    j.put("description", s.description());
    List<Object> tasks = new ArrayList<>();
    for (StudyTask t : s.tasks()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", t.id());
      m.put("task", t.task());
      m.put("params", new TreeMap<>(t.params()));
      if (t.tau() != null) {
        m.put("tau", t.tau());
      }
      tasks.add(m);
    }
    j.put("tasks", tasks);
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
    j.put("activation", s.activation().id());
    j.put("optimizer", s.optimizer().kind());
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
    j.put("kernels", s.kernels().id());
    if (s.trainsToLoss()) {
      j.put("until_train_loss", s.untilTrainLoss());
    }
    if (s.trainCurvature()) {
      j.put("train_curvature", true);
    }
    if (s.isSpiking()) {
      j.put("spiking", s.spiking().json());
    }
    if (code != null) {
      j.put("code", code);
    }
    return j;
  }

  private static StudySpiking spiking(JsonNode v) {
    Map<String, Object> m = new LinkedHashMap<>();
    v.properties().forEach(e -> m.put(e.getKey(), e.getValue().isNumber()
        ? (Object) e.getValue().asDouble() : e.getValue().asText()));
    return StudySpiking.of(m);
  }

  private static List<JsonNode> list(JsonNode v) {
    List<JsonNode> out = new ArrayList<>();
    v.forEach(out::add);
    return out;
  }

  private static List<String> texts(JsonNode v) {
    return list(v).stream().map(JsonNode::asText).toList();
  }

  private static Map<String, String> strings(JsonNode v) {
    Map<String, String> m = new LinkedHashMap<>();
    v.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }
}
