package org.tca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tca.study.Setting;
import org.tca.study.StudyPresets;
import org.tca.study.StudySpec;
import org.tca.study.StudyTask;

/** Study config files: the schema, the round trip through spec.json, the task axis keys. */
class StudyConfigTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode tree(String json) throws Exception {
    return JSON.readTree(json);
  }

  static StudySpec parse(String json) throws Exception {
    return StudyConfig.parse(tree(json), Path.of("/data/mnist"));
  }

  @Test
  void everyPresetRoundTripsThroughItsSchemaValidSpecJson() throws Exception {
    for (String name : StudyPresets.NAMES) {
      StudySpec s = StudyPresets.create(name, Path.of("/data/mnist"));
      JsonNode written = tree(JsonFiles.string(StudyConfig.toJson(s,
          Map.of("version", "x"))));
      StudyConfigSchema.validate(written);
      assertEquals(s, StudyConfig.parse(written, null), name);
    }
  }

  @Test
  void taskParamsAreSetOverThePresetsAndANewTaskStartsFromItsDefaults() throws Exception {
    StudySpec quick = StudyPresets.create("quick", null);
    StudySpec s = parse("{\"preset\": \"quick\", \"task_params\": {\"n-train\": 50}}");
    Map<String, String> expected = new java.util.HashMap<>(quick.tasks().get(0).params());
    expected.put("n-train", "50");
    assertEquals(expected, s.tasks().get(0).params());
    s = parse("{\"preset\": \"quick\", \"task\": \"evidence-accumulation\"}");
    assertEquals(List.of(StudyTask.of("evidence-accumulation", Map.of())), s.tasks());
  }

  @Test
  void drawsExpandTheTasksAndAPresetsDrawsStayWithItsTask() throws Exception {
    StudySpec s = parse("{\"preset\": \"quick\", \"draws\": [4, 5]}");
    assertEquals(List.of("delayed-xor.d4", "delayed-xor.d5"),
        s.tasks().stream().map(StudyTask::id).toList());
    assertEquals("5", s.task("delayed-xor.d5").params().get("seed"));
    assertEquals(s, StudyConfig.parse(tree(JsonFiles.string(StudyConfig.toJson(s, Map.of()))),
        null));
    s = parse("{\"preset\": \"quick\", \"task_params\": {\"n-train\": 50}}");
    assertEquals(3, s.tasks().size());
    s = parse("{\"tasks\": [{\"task\": \"smnist\", \"params\": {\"data\": \"d\"}}],"
        + " \"draws\": [0, 1]}");
    assertEquals("1", s.task("smnist.d1").params().get("draw"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> parse("{\"draws\": [-1]}")).getMessage().contains("draws"));
  }

  /** {@code "draws": []} is valid and means no draws, as {@code .draws(List.of())} does. */
  @Test
  void anEmptyDrawsListMeansNoDraws() throws Exception {
    JsonNode config = tree("{\"preset\": \"quick\", \"draws\": []}");
    StudyConfigSchema.validate(config);
    StudySpec s = StudyConfig.parse(config, null);
    assertEquals(List.of("delayed-xor"), s.tasks().stream().map(StudyTask::id).toList());
    assertEquals(StudyPresets.create("quick", null).toBuilder().draws(List.of()).build(), s);
  }

  @Test
  void tasksListGivesTheGridsTaskAxis() throws Exception {
    StudySpec s = parse("{\"tasks\": [{\"task\": \"delayed-xor\", \"params\": {\"delay\": 5}},"
        + " {\"id\": \"xor-long\", \"task\": \"delayed-xor\", \"params\": {\"delay\": 50}},"
        + " {\"task\": \"pattern-generation\"}], \"rules\": [\"bptt\"], \"seeds\": [7]}");
    assertEquals(List.of("delayed-xor", "xor-long", "pattern-generation"),
        s.tasks().stream().map(StudyTask::id).toList());
    assertEquals("50", s.task("xor-long").params().get("delay"));
    assertEquals(List.of("delayed-xor__bptt__lr0.01__s7", "xor-long__bptt__lr0.01__s7",
        "pattern-generation__bptt__lr0.01__s7"),
        s.plans().stream().map(p -> p.id()).toList());
  }

  @Test
  void theReadmesExampleConfigIsValid() throws Exception {
    String readme = java.nio.file.Files.readString(Path.of("..", "README.md"));
    int i = readme.indexOf("```json\n");
    assertTrue(i >= 0, "README.md has no json block");
    String json = readme.substring(i + 8, readme.indexOf("```", i + 8));
    StudySpec s = parse(json);
    assertEquals(List.of("xor-100", "xor-400", "evidence-accumulation"),
        s.tasks().stream().map(StudyTask::id).toList());
    StudyCommand.tasks(s);
    assertEquals(3 * 2 * 3 + 3 * 1 * 3, s.plans().size());
  }

  @Test
  void trainToALossTrainingCurvatureAndPerTaskTauAreReadAndWrittenOnlyWhenSet() throws Exception {
    StudySpec s = parse("{\"until_train_loss\": 0.05, \"train_curvature\": true, \"tau\": 5,"
        + " \"tasks\": [{\"task\": \"delayed-xor\"}, {\"id\": \"leaky\", \"task\":"
        + " \"delayed-xor\", \"tau\": 20}, {\"id\": \"plain\", \"task\": \"delayed-xor\","
        + " \"tau\": null}]}");
    assertEquals(0.05, s.untilTrainLoss());
    assertTrue(s.trainCurvature());
    assertEquals(null, s.tasks().get(0).tau());
    assertEquals(20.0, s.tasks().get(1).tau());
    assertTrue(s.tasks().get(2).tau().isNaN());
    JsonNode written = tree(JsonFiles.string(StudyConfig.toJson(s, null)));
    StudyConfigSchema.validate(written);
    assertEquals(s, StudyConfig.parse(written, null));
    assertEquals(0.05, written.get("until_train_loss").asDouble());
    assertTrue(written.get("tasks").get(2).get("tau").isNull());
    assertTrue(!written.get("tasks").get(0).has("tau"));
    JsonNode plain = tree(JsonFiles.string(StudyConfig.toJson(parse("{}"), null)));
    assertTrue(!plain.has("until_train_loss") && !plain.has("train_curvature")
        && !plain.get("tasks").get(0).has("tau"), plain.toString());
    for (Map.Entry<String, String> e : Map.of("{\"until_train_loss\": -1}",
        "'until_train_loss'", "{\"train_curvature\": 1}", "'train_curvature'",
        "{\"tasks\": [{\"task\": \"delayed-xor\", \"tau\": 0}]}", "'tasks[0].tau'")
        .entrySet()) {
      IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
          () -> parse(e.getKey()), e.getKey());
      assertTrue(x.getMessage().startsWith(e.getValue()), e.getKey() + " -> " + x.getMessage());
    }
  }

  @Test
  void theSmnistPresetsHoldTheReleasedLeakyAndLastKTasks() {
    assertEquals(List.of("smnist"), StudyPresets.create("paper-smnist", Path.of("/data/mnist"))
        .tasks().stream().map(StudyTask::id).toList());
    for (String name : List.of("paper-smnist-variants", "paper-smnist-small")) {
      List<StudyTask> t = StudyPresets.create(name, Path.of("/data/mnist")).tasks();
      assertEquals(List.of("smnist", "smnist-leaky", "smnist-last7"),
          t.stream().map(StudyTask::id).toList(), name);
      assertEquals(null, t.get(0).tau());
      assertEquals(20.0, t.get(1).tau());
      assertEquals("7", t.get(2).params().get("loss-steps"));
      assertTrue(!t.get(0).params().containsKey("loss-steps"));
    }
  }

  @Test
  void violationsNameTheKey() {
    Map<String, String> cases = Map.of(
        "{\"hiden\": 5}", "unknown key 'hiden'",
        "{\"settings\": [{\"lr\": 0.1, \"lrr\": 1}]}", "unknown key 'settings[0].lrr'",
        "{\"settings\": [{\"lr\": 0}]}", "'settings[0].lr'",
        "{\"kernels\": \"gpu\"}", "'kernels'",
        "{\"seeds\": [1, 1]}", "'seeds'",
        "{\"tasks\": [{\"id\": \"a b\", \"task\": \"delayed-xor\"}]}", "'tasks[0].id'",
        "{\"tasks\": [{\"params\": {}}]}", "'tasks[0]'",
        "{\"tasks\": [{\"task\": \"delayed-xor\"}], \"task\": \"delayed-xor\"}",
        "give 'tasks' or 'task', not both",
        "{\"seeds\": [1], \"seed_count\": 3}", "give 'seeds' or 'seed_count', not both",
        "[1, 2]", "the top level must be a JSON object");
    for (Map.Entry<String, String> e : cases.entrySet()) {
      IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
          () -> parse(e.getKey()), e.getKey());
      assertTrue(x.getMessage().startsWith(e.getValue()), e.getKey() + " -> " + x.getMessage());
      assertEquals(1, x.getMessage().lines().count(), x.getMessage());
    }
  }

  /** Numbers a run cannot use are refused naming the key, never truncated to an int. */
  @Test
  void absurdNumbersNameTheKey() {
    Map<String, String> cases = Map.of(
        "{\"iterations\": 1e12}", "'iterations'",
        "{\"iterations\": 24.5}", "'iterations'",
        "{\"rule_iterations\": {\"bptt\": 1e10}}", "'rule_iterations.bptt'",
        "{\"hidden\": 3e9}", "'hidden'",
        "{\"batch\": 4294967297}", "'batch'",
        "{\"seed_count\": 1e9}", "'seed_count'",
        "{\"seeds\": [1e30]}", "'seeds[0]'");
    for (Map.Entry<String, String> e : cases.entrySet()) {
      IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
          () -> parse(e.getKey()), e.getKey());
      assertTrue(x.getMessage().startsWith(e.getValue()), e.getKey() + " -> " + x.getMessage());
      assertEquals(1, x.getMessage().lines().count(), x.getMessage());
    }
  }

  /** A key given twice is an error naming the key, not "the last one wins". */
  @Test
  void duplicateKeysAreRefusedNamingTheKey(@TempDir Path dir) throws Exception {
    for (String json : List.of("{\"iterations\": 24, \"hidden\": 6, \"iterations\": 30}",
        "{\"settings\": [{\"lr\": 0.1, \"lr\": 0.2}]}")) {
      Path f = dir.resolve("dup.json");
      Files.writeString(f, json);
      UsageException x = assertThrows(UsageException.class, () -> StudyConfig.read(f, null),
          json);
      String key = json.contains("iterations") ? "iterations" : "lr";
      assertEquals("invalid config " + f + ": not valid JSON: Duplicate field '" + key + "'",
          x.getMessage());
    }
  }

  /** Rates of 1e4 and more make valid setting ids (exponents without '+'). */
  @Test
  void largeLearningRatesMakeValidSettingIds() throws Exception {
    StudySpec s = parse("{\"learning_rates\": [10000, 25000.5, 1e6]}");
    assertEquals(List.of("lr1e4", "lr2.5e4", "lr1e6"),
        s.settings().stream().map(Setting::id).toList());
  }
}
