package org.tca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tca.rules.BuildInfo;
import org.tca.study.RunPlan;
import org.tca.study.StudyPresets;
import org.tca.study.StudyRunner;
import org.tca.study.StudySpec;

/** End-to-end checks of {@code tca study} and {@code tca report} on a tiny study. */
class StudyCommandTest {

  static final String CONFIG = """
      {"name": "tiny", "task": "delayed-xor",
       "task_params": {"cue": 3, "delay": 4, "std": 1, "n-train": 48, "n-test": 40,
                       "n-validation": 16, "shift-delay": 6, "noise": 0.3},
       "rules": ["bptt", "eprop"], "seeds": [0, 1, 2], "learning_rates": [0.1],
       "iterations": 24, "hidden": 6, "tau": 5, "batch": 8, "checkpoints": 4,
       "held_out": 16, "curvature_max_iterations": 20, "alignment_batch": 8,
       "kernels": "scalar"}
      """;

  @TempDir static Path tmp;
  static Path config;
  static Path whole;
  static CliRun first;

  @BeforeAll
  static void runOnce() throws Exception {
    config = tmp.resolve("tiny.json");
    Files.writeString(config, CONFIG);
    whole = tmp.resolve("whole");
    first = CliRun.tca("study", "--config", config.toString(), "--out", whole.toString(),
        "--threads", "2", "-q");
  }

  @Test
  void writesEveryOutput() throws Exception {
    assertEquals(0, first.status(), first.toString());
    for (String f : List.of("spec.json", "runs.csv", "summary.json", "report.md",
        "figures/gap_per_rule.png", "figures/gap_per_rule.svg", "figures/lambda_max.png",
        "figures/gap_vs_lambda_max.svg", "figures/learning_curves.png")) {
      assertTrue(Files.size(whole.resolve(f)) > 0, f);
    }
    try (var s = Files.list(whole.resolve("runs"))) {
      assertEquals(6, s.count());
    }
    try (var s = Files.list(whole.resolve("state"))) {
      assertEquals(0, s.count());
    }
    String report = Files.readString(whole.resolve("report.md"));
    assertTrue(report.contains("### 1.") && report.contains("### 2.") && report.contains(
        "**Verdict:"), report);
    assertTrue(report.contains("![gap_per_rule.png](figures/gap_per_rule.png)"), report);
    assertTrue(first.out().contains("bptt") && first.out().contains("report.md"), first.out());
  }

  /**
   * A study that trains to a loss no run reaches and measures the training-batch curvature: each
   * run file says so, the run reads back equal, and the report lists the runs that stopped at
   * their cap and shows both curvatures.
   */
  @Test
  void untilTrainLossAndTrainCurvatureReachTheRunFilesAndTheReport() throws Exception {
    Path c = tmp.resolve("to-loss.json");
    Files.writeString(c, CONFIG.replace("\"seeds\": [0, 1, 2]", "\"seeds\": [0, 1],"
        + " \"until_train_loss\": 0, \"train_curvature\": true"));
    Path out = tmp.resolve("to-loss");
    CliRun r = CliRun.tca("study", "--config", c.toString(), "--out", out.toString(), "-q",
        "--no-figures");
    assertEquals(0, r.status(), r.toString());
    Path run = out.resolve("runs").resolve("delayed-xor__bptt__lr0.1__s0.json");
    JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.toFile());
    assertEquals(0.0, j.get("target_train_loss").asDouble());
    assertTrue(j.get("reached_target_at").isNull(), j.toString());
    assertTrue(j.get("trajectory").get(3).get("train_lambda_max").asDouble() > 0);
    org.tca.study.RunRecord back = StudyRunJson.read(run);
    assertEquals(0.0, back.targetTrainLoss());
    assertTrue(back.missedTarget());
    String report = Files.readString(out.resolve("report.md"));
    assertTrue(report.contains("Trained to train loss 0.000: 0 of 4 runs reached it"), report);
    assertTrue(report.contains("stopped at the iteration cap without it: delayed-xor__bptt"),
        report);
    assertTrue(report.contains("λ_max (train batch)"), report);
    assertTrue(report.contains("left out of this comparison"), report);
  }

  @Test
  void summaryEqualsARecomputationFromTheCsv() throws Exception {
    List<String> lines = Files.readAllLines(whole.resolve("runs.csv"));
    List<String> head = List.of(lines.get(0).split(","));
    Map<String, List<double[]>> byRule = new LinkedHashMap<>();
    List<double[]> all = new ArrayList<>();
    for (String l : lines.subList(1, lines.size())) {
      String[] c = l.split(",");
      assertEquals("ok", c[head.indexOf("status")]);
      double[] gl = {Double.parseDouble(c[head.indexOf("gap")]),
          Double.parseDouble(c[head.indexOf("lambda_max")])};
      byRule.computeIfAbsent(c[head.indexOf("rule")], k -> new ArrayList<>()).add(gl);
      all.add(gl);
    }
    assertEquals(6, all.size());
    JsonNode sum = new ObjectMapper().readTree(whole.resolve("summary.json").toFile());
    assertEquals(0, sum.get("diverged").asInt());
    int g = 0;
    for (Map.Entry<String, List<double[]>> e : byRule.entrySet()) {
      JsonNode group = sum.get("groups").get(g++);
      assertEquals(e.getKey(), group.get("rule").asText());
      for (int k = 0; k < 2; k++) {
        JsonNode s = group.get(k == 0 ? "gap" : "lambda_max");
        final int kk = k;
        double[] x = e.getValue().stream().mapToDouble(v -> v[kk]).toArray();
        double mean = 0;
        for (double v : x) {
          mean += v / x.length;
        }
        double ss = 0;
        for (double v : x) {
          ss += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(ss / (x.length - 1));
        assertEquals(mean, s.get("mean").asDouble(), 1e-12 * Math.abs(mean) + 1e-15);
        assertEquals(sd, s.get("sd").asDouble(), 1e-9 * sd + 1e-15);
        assertTrue(s.get("ci_lo").asDouble() <= mean && mean <= s.get("ci_hi").asDouble());
      }
    }
    // Pearson r of gap against lambda_max over all runs, computed here from scratch.
    double mx = 0;
    double my = 0;
    for (double[] v : all) {
      mx += v[1] / all.size();
      my += v[0] / all.size();
    }
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (double[] v : all) {
      sxy += (v[1] - mx) * (v[0] - my);
      sxx += (v[1] - mx) * (v[1] - mx);
      syy += (v[0] - my) * (v[0] - my);
    }
    double r = sxy / Math.sqrt(sxx * syy);
    assertEquals(r, sum.get("correlation").get("pearson_r").asDouble(), 1e-9);
    assertEquals(6, sum.get("correlation").get("n").asInt());
  }

  @Test
  void interruptedStudyResumesToIdenticalRunFiles() throws Exception {
    assertEquals(0, first.status(), first.toString());
    Path cut = tmp.resolve("cut");
    Files.createDirectories(cut);
    StudySpec spec = StudyConfig.read(config, null);
    StudyOutputs.writeText(cut.resolve("spec.json"),
        JsonFiles.string(StudyConfig.toJson(spec, BuildInfo.asMap())) + "\n");
    var task = StudyCommand.tasks(spec);
    StudyRunner runner = new StudyRunner(spec, task, cut.resolve("state"),
        new StudyRunJson(cut.resolve("runs"), BuildInfo.sourceSha256()), 2)
        .stopAfterCheckpoints(2);
    assertTrue(runner.run(new StudyRunner.Listener() {}).isEmpty());
    for (RunPlan p : spec.plans()) {
      assertTrue(Files.exists(runner.stateFile(p.id())), p.id());
    }
    CliRun again = CliRun.tca("study", "--config", config.toString(), "--out", cut.toString(),
        "--threads", "1", "-q");
    assertEquals(0, again.status(), again.toString());
    for (RunPlan p : spec.plans()) {
      String f = "runs/" + p.id() + ".json";
      assertEquals(Files.readString(whole.resolve(f)), Files.readString(cut.resolve(f)), f);
    }
    assertEquals(Files.readString(whole.resolve("runs.csv")),
        Files.readString(cut.resolve("runs.csv")));
    // A finished study re-run skips everything; report rebuilds the same summary.
    String summary = Files.readString(cut.resolve("summary.json"));
    Files.delete(cut.resolve("summary.json"));
    CliRun report = CliRun.tca("report", cut.toString());
    assertEquals(0, report.status(), report.toString());
    assertEquals(summary, Files.readString(cut.resolve("summary.json")));
  }

  @Test
  @SuppressWarnings("try") // the lock is held by the try, never referenced
  void aSecondProcessOnTheSameOutIsRefused() throws Exception {
    assertEquals(0, first.status(), first.toString());
    try (FileChannel ch = FileChannel.open(whole.resolve(".lock"), StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      CliRun r = CliRun.tca("study", "--config", config.toString(), "--out", whole.toString(),
          "-q");
      assertEquals(2, r.status(), r.toString());
      assertTrue(r.err().contains("another tca study is running"), r.err());
    }
  }

  @Test
  void aDifferentStudyOnTheSameOutIsRefusedNamingTheKey() throws Exception {
    assertEquals(0, first.status(), first.toString());
    Path other = tmp.resolve("other.json");
    Files.writeString(other, CONFIG.replace("\"iterations\": 24", "\"iterations\": 30"));
    String before = Files.readString(whole.resolve("spec.json"));
    CliRun r = CliRun.tca("study", "--config", other.toString(), "--out", whole.toString(),
        "-q");
    assertEquals(2, r.status(), r.toString());
    assertTrue(r.err().contains("differs in 'iterations': 24 there, 30 now"), r.err());
    assertEquals(before, Files.readString(whole.resolve("spec.json")));
  }

  @Test
  void aStudyStartedByOtherEngineCodeResumesOnlyWhenAllowed() throws Exception {
    assertEquals(0, first.status(), first.toString());
    Path copy = tmp.resolve("other-code");
    Files.createDirectories(copy.resolve("runs"));
    String spec = Files.readString(whole.resolve("spec.json"));
    assertTrue(spec.contains(BuildInfo.sourceSha256()), spec);
    Files.writeString(copy.resolve("spec.json"), spec.replace(BuildInfo.sourceSha256(),
        "0".repeat(64)));
    CliRun r = CliRun.tca("study", "--config", config.toString(), "--out", copy.toString(),
        "-q");
    assertEquals(2, r.status(), r.toString());
    assertTrue(r.err().contains("was started by different engine code"), r.err());
    assertTrue(r.err().contains("--allow-code-change"), r.err());
    assertFalse(Files.exists(copy.resolve("runs.csv")));
    r = CliRun.tca("study", "--config", config.toString(), "--out", copy.toString(), "-q",
        "--allow-code-change");
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.err().contains("resuming with different engine code"), r.err());
    assertEquals(Files.readString(whole.resolve("runs.csv")),
        Files.readString(copy.resolve("runs.csv")));
  }

  @Test
  void dryRunPrintsTheGridAndWritesNothing() throws Exception {
    Path out = tmp.resolve("dry");
    CliRun r = CliRun.tca("study", "--config", config.toString(), "--out", out.toString(),
        "--dry-run", "--threads", "3");
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().contains("study tiny: 6 runs, 144 iterations in all, 3 in parallel"),
        r.out());
    assertTrue(r.out().contains("eprop"), r.out());
    assertFalse(Files.exists(out));
  }

  /**
   * A network that cannot be one Java array, and a grid whose runs will not fit in this JVM's
   * heap, are refused up front (also in a dry run), with one line and exit status 2.
   */
  @Test
  void tooLargeNetworksAreRefusedUpFront() throws Exception {
    Path out = tmp.resolve("large");
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("100000", "one Java array holds");
    cases.put("40000", "TCA_JAVA_OPTS=-Xmx");
    long p = org.tca.rules.model.ModelConfig.builder(2, 40000, 2).build().parameterCount();
    assertTrue(2 * 4 * p > Runtime.getRuntime().maxMemory(), "the heap of this test is smaller");
    for (Map.Entry<String, String> e : cases.entrySet()) {
      Path large = tmp.resolve("large-" + e.getKey() + ".json");
      Files.writeString(large, CONFIG.replaceFirst("\"hidden\": \\d+",
          "\"hidden\": " + e.getKey()));
      for (boolean dry : new boolean[] {true, false}) {
        CliRun r = CliRun.tca(dry ? new String[] {"study", "--config", large.toString(), "--out",
            out.toString(), "--dry-run"} : new String[] {"study", "--config", large.toString(),
            "--out", out.toString(), "-q"});
        assertEquals(2, r.status(), r.toString());
        assertEquals(1, r.err().strip().lines().count(), r.toString());
        assertTrue(r.err().startsWith("tca: ") && r.err().contains(e.getValue()), r.toString());
        assertFalse(Files.exists(out));
      }
    }
  }

  @Test
  void badInputGivesOneLineExitTwoAndWritesNothing() throws Exception {
    Path bad = tmp.resolve("bad.json");
    Path out = tmp.resolve("never");
    Map<String, String[]> cases = new LinkedHashMap<>();
    cases.put("unknown preset 'nope'", new String[] {"--preset", "nope"});
    cases.put("Unknown option: '--fast'", new String[] {"--preset", "quick", "--fast"});
    cases.put("needs --data", new String[] {"--preset", "paper-smnist"});
    cases.put("does not exist", new String[] {"--preset", "paper-smnist", "--data",
        tmp.resolve("no-such-dir").toString()});
    cases.put("unknown key 'hiden'", new String[] {"--config", bad.toString()});
    cases.put("unknown rule 'bpt'", new String[] {"--config", bad.toString()});
    cases.put("unknown task 'xor'", new String[] {"--config", bad.toString()});
    cases.put("'hidden': string found, integer expected",
        new String[] {"--config", bad.toString()});
    cases.put("batch 64 exceeds the training set", new String[] {"--config", bad.toString()});
    Map<String, String> configs = Map.of(
        "unknown key 'hiden'", "{\"hiden\": 5}",
        "unknown rule 'bpt'", "{\"rules\": [\"bpt\"]}",
        "unknown task 'xor'", "{\"task\": \"xor\"}",
        "'hidden': string found, integer expected", "{\"hidden\": \"many\"}",
        "batch 64 exceeds the training set",
        "{\"task_params\": {\"n-train\": 10}, \"batch\": 64}");
    for (Map.Entry<String, String[]> e : cases.entrySet()) {
      if (configs.containsKey(e.getKey())) {
        Files.writeString(bad, configs.get(e.getKey()));
      }
      List<String> args = new ArrayList<>(List.of("study", "--out", out.toString()));
      args.addAll(List.of(e.getValue()));
      CliRun r = CliRun.tca(args.toArray(String[]::new));
      assertEquals(2, r.status(), e.getKey() + ": " + r);
      assertTrue(r.err().contains(e.getKey()), e.getKey() + ": " + r.err());
      assertTrue(r.err().lines().count() <= 2, r.err());
      assertFalse(Files.exists(out), e.getKey());
    }
  }

  @Test
  void theHelpListsEveryPreset() {
    CliRun help = CliRun.tca("study", "--help");
    assertEquals(0, help.status(), help.err());
    String flat = help.out().replaceAll("\\s+", " ");
    for (String name : StudyPresets.NAMES) {
      assertTrue(flat.matches("(?s).*--preset=NAME A built-in study: .*\\b" + name + "\\b.*"),
          name + " missing from: " + help.out());
    }
  }
}
