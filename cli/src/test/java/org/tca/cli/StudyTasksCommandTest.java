package org.tca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tca study} with a task axis: two tasks, per-task outputs and an overview. */
class StudyTasksCommandTest {

  static final String CONFIG = """
      {"name": "two-tasks",
       "tasks": [
         {"task": "delayed-xor", "params": {"cue": 3, "delay": 4, "std": 1, "n-train": 48,
           "n-test": 40, "n-validation": 16, "noise": 0.3}},
         {"id": "evidence", "task": "evidence-accumulation", "params": {"cues": 3, "cue": 2,
           "interval": 3, "delay": 3, "recall": 2, "n-train": 48, "n-test": 40,
           "n-validation": 16}}],
       "rules": ["bptt", "eprop"], "seeds": [0, 1, 2], "learning_rates": [0.1],
       "iterations": 16, "hidden": 6, "tau": 5, "batch": 8, "checkpoints": 3,
       "held_out": 16, "curvature_max_iterations": 20, "alignment_batch": 8,
       "kernels": "scalar"}
      """;

  @Test
  void writesPerTaskFiguresSectionsAndSummaries(@TempDir Path tmp) throws Exception {
    Path config = tmp.resolve("two.json");
    Files.writeString(config, CONFIG);
    Path out = tmp.resolve("out");
    CliRun r = CliRun.tca("study", "--config", config.toString(), "--out", out.toString(),
        "--threads", "2", "-q");
    assertEquals(0, r.status(), r.toString());
    for (String t : List.of("delayed-xor", "evidence")) {
      for (String f : List.of("gap_per_rule.png", "lambda_max.svg", "gap_vs_lambda_max.png")) {
        assertTrue(Files.size(out.resolve("figures").resolve(t).resolve(f)) > 0, t + "/" + f);
      }
      assertTrue(Files.exists(out.resolve("runs/" + t + "__eprop__lr0.1__s2.json")), t);
    }
    List<String> csv = Files.readAllLines(out.resolve("runs.csv"));
    assertEquals(13, csv.size());
    assertTrue(csv.get(0).startsWith("id,task,rule,"), csv.get(0));
    assertTrue(csv.get(12).startsWith("evidence__eprop__lr0.1__s2,evidence,eprop,"),
        csv.get(12));
    JsonNode sum = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertEquals(2, sum.get("tasks").size());
    assertEquals("evidence", sum.get("tasks").get(1).get("task").asText());
    assertEquals(12, sum.get("correlation").get("n").asInt());
    assertTrue(sum.get("correlation").get("pooled_within_tasks").asBoolean());
    String md = Files.readString(out.resolve("report.md"));
    assertTrue(md.contains("## Overview"), md);
    assertTrue(md.contains("## Task delayed-xor"), md);
    assertTrue(md.contains("## Task evidence (evidence-accumulation)"), md);
    assertTrue(md.contains("](figures/evidence/gap_per_rule.png)"), md);
    assertTrue(r.out().contains("evidence"), r.out());
  }
}
