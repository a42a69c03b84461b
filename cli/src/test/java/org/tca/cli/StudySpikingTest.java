package org.tca.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tca.rules.spiking.SpikingCell;
import org.tca.study.StudyClaims;
import org.tca.study.StudySpec;

/**
 * A tiny spiking study end to end ({@code tca study --config} with a {@code spiking} key): it
 * runs BPTT, e-prop and MDGL on Poisson evidence accumulation, writes the report with firing
 * rates, accuracies over training and the alignment with spiking BPTT, refuses curvature in one
 * plain sentence (claims on lambda_max not testable), gives the same run files on 1 and 2
 * threads, and its spec.json reads back as the same spec.
 */
class StudySpikingTest {

  static final String CONFIG = """
      {"name": "tiny-spiking", "task": "evidence-accumulation",
       "task_params": {"encoding": "poisson", "cues": 3, "cue": 10, "interval": 15,
                       "delay": 10, "recall": 10, "loss-steps": 10, "n-train": 32,
                       "n-test": 16, "n-validation": 8},
       "spiking": {"cell": "lif-alif", "input_gain": 4, "tau_a": 200},
       "rules": ["bptt", "eprop", "mdgl"], "seeds": [0, 1], "learning_rates": [0.01],
       "optimizer": "adam", "iterations": 6, "hidden": 10, "batch": 8, "checkpoints": 3,
       "alignment_batch": 8, "kernels": "scalar"}
      """;

  @TempDir static Path tmp;
  static Path config;
  static Path one;
  static Path two;
  static CliRun first;
  static CliRun second;

  @BeforeAll
  static void runTwice() throws Exception {
    config = tmp.resolve("spiking.json");
    Files.writeString(config, CONFIG);
    one = tmp.resolve("one");
    two = tmp.resolve("two");
    first = CliRun.tca("study", "--config", config.toString(), "--out", one.toString(),
        "--threads", "1", "-q");
    second = CliRun.tca("study", "--config", config.toString(), "--out", two.toString(),
        "--threads", "2", "-q");
  }

  @Test
  void runsAndRecordsFiringRatesAndAlignmentWithoutCurvature() throws Exception {
    assertEquals(0, first.status(), first.toString());
    List<Path> runs = runFiles(one);
    assertEquals(6, runs.size());
    for (Path f : runs) {
      JsonNode run = new ObjectMapper().readTree(f.toFile());
      JsonNode last = run.get("trajectory").get(run.get("trajectory").size() - 1);
      String text = last.toString();
      assertFalse(text.contains("lambda_max") || text.contains("seen_curvature"), text);
      double rate = last.get("train_firing_rate").asDouble();
      assertTrue(rate > 0 && rate < 1, f + ": train firing rate " + rate);
      assertTrue(last.get("test_firing_rate").asDouble() > 0, text);
      double cos = last.get("grad_cosine").asDouble();
      if (f.getFileName().toString().contains("__bptt__")) {
        assertEquals(1.0, cos, 1e-4, "spiking BPTT is aligned with itself");
      } else {
        assertTrue(cos > -1 && cos < 1 - 1e-6, f + ": cosine " + cos);
      }
    }
  }

  @Test
  void reportShowsTheSpikingTablesAndRefusesCurvaturePlainly() throws Exception {
    assertEquals(0, first.status(), first.toString());
    String report = Files.readString(one.resolve("report.md"));
    assertTrue(report.contains("- " + StudyClaims.NO_CURVATURE_LINE + "\n"), report);
    assertTrue(report.contains("| rule | setting | runs | train accuracy | test accuracy |"
        + " accuracy gap | train firing rate | test firing rate | cos(g, ∇L_BPTT) |"), report);
    assertTrue(report.contains("Accuracy over training") && report.contains(
        "| checkpoint | bptt, η = 0.01 | eprop, η = 0.01 | mdgl, η = 0.01 |"), report);
    assertTrue(report.contains("### 2. The gap correlates with curvature, and bio rules sit in"
        + " sharper regions\n\n**Verdict: not testable.** " + StudyClaims.NO_CURVATURE), report);
    assertTrue(report.contains("**Verdict: not testable.** " + StudyClaims.NO_CURVATURE
        + "\n\n## Figures"), "claim 4 refused: " + report);
    assertFalse(report.contains("Gap vs final λ_max"), report);
    assertTrue(report.contains("| accuracy gap | shifted gap | cos(g, ∇L_BPTT) |\n"
        + "|---|---|---|---|---|---|---|---|---|---|\n| bptt | η = 0.01 | 2 / 2 |"),
        "the results table has no curvature columns: " + report);
    assertFalse(report.contains("λ_max mean") || report.contains("runs above 2/η"), report);
    assertTrue(report.contains("Runs: 6, ok 6"), "spiking runs are usable: " + report);
    assertFalse(report.contains("**Verdict: not testable.** This study has"),
        "claim 1 is tested on the spiking runs: " + report);
  }

  /** The figures are what a spiking study measures over training, and no curvature. */
  @Test
  void figuresShowAccuracyFiringRateAndAlignmentNotCurvature() throws Exception {
    assertEquals(0, first.status(), first.toString());
    List<String> names = List.of("gap_per_rule", "accuracy", "firing_rate", "grad_cosine",
        "learning_curves");
    try (Stream<Path> s = Files.list(one.resolve("figures"))) {
      assertEquals(names.stream().flatMap(n -> Stream.of(n + ".png", n + ".svg")).sorted()
          .toList(), s.map(p -> p.getFileName().toString()).sorted().toList());
    }
    String report = Files.readString(one.resolve("report.md"));
    for (String n : names) {
      assertTrue(report.contains("![" + n + ".png](figures/" + n + ".png)"), n + ": " + report);
    }
    String rate = Files.readString(one.resolve("figures/firing_rate.svg"));
    assertTrue(rate.contains("target r_0 = 10 Hz") && rate.contains("eprop"), rate);
  }

  /**
   * A spiking study whose evaluation seats will not fit the heap is refused up front, in one line
   * with status 2 naming --threads and TCA_JAVA_OPTS: N = 100, T = 1000, 256 trials a set, so
   * each run's 2 seats hold a pass of E = 256 trials (about 4 T E N values, 0.4 GB each) where
   * its workspaces (B = 4) are a few MiB and fit a 400 MiB heap by themselves.
   */
  @Test
  void aStudyWhoseEvaluationWillNotFitIsRefusedUpFront() throws Exception {
    Path big = tmp.resolve("big.json");
    Files.writeString(big, CONFIG.replace("\"cues\": 3, \"cue\": 10, \"interval\": 15",
        "\"cues\": 7, \"cue\": 40, \"interval\": 100").replace("\"n-train\": 32",
        "\"n-train\": 256").replace("\"n-test\": 16", "\"n-test\": 256")
        .replace("\"hidden\": 10, \"batch\": 8", "\"hidden\": 100, \"batch\": 4"));
    Path out = tmp.resolve("big-out");
    CliRun r = CliRun.child(List.of("-Xmx400m"), "study", "--config", big.toString(), "--out",
        out.toString(), "--threads", "2", "-q");
    assertEquals(2, r.status(), r.toString());
    // the child's stderr, merged (after the JVM's incubator-module warning)
    List<String> lines = r.out().lines().filter(l -> !l.startsWith("WARNING: ")).toList();
    assertEquals(1, lines.size(), r.toString());
    String err = lines.get(0);
    assertTrue(err.startsWith("tca: this study (2 runs in parallel, --threads) needs about")
        && err.contains("evaluation ") && err.contains("TCA_JAVA_OPTS=-Xmx"), r.toString());
    assertFalse(Files.exists(out), "nothing written");
  }

  @Test
  void sameRunFilesOnOneAndTwoThreads() throws Exception {
    assertEquals(0, second.status(), second.toString());
    List<Path> a = runFiles(one);
    List<Path> b = runFiles(two);
    assertEquals(a.stream().map(Path::getFileName).toList(),
        b.stream().map(Path::getFileName).toList());
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(Files.readAllBytes(a.get(i)), Files.readAllBytes(b.get(i)),
          a.get(i).getFileName().toString());
    }
  }

  @Test
  void specJsonReadsBackAsTheSameSpec() throws Exception {
    assertEquals(0, first.status(), first.toString());
    StudySpec spec = StudyConfig.read(config, null);
    assertTrue(spec.isSpiking());
    assertEquals(SpikingCell.LIF_ALIF, spec.spiking().cell());
    assertEquals(200.0, spec.spiking().tauAdaptation());
    assertEquals(4.0, spec.spiking().inputGain());
    assertEquals(spec, StudyConfig.read(one.resolve("spec.json"), null));
  }

  @Test
  void badSpikingConfigsAreUsageErrorsNamingTheKey() throws Exception {
    String[][] cases = {
        {"\"rules\": [\"bptt\", \"eprop\", \"mdgl\"]", "\"rules\": [\"bptt\", \"rflo\"]",
            "rules: rule 'rflo' does not run on spiking cells"},
        {"\"tau_a\": 200", "\"tau_a\": -1", "spiking.tau_a must be > 0"},
        {"\"tau_a\": 200", "\"tau_a\": 200, \"beta\": -0.5", "spiking.beta must be >= 0"},
        {"\"input_gain\": 4", "\"input_gain\": 0", "spiking.input_gain must be > 0"},
        {"\"cell\": \"lif-alif\"", "\"cell\": \"izhikevich\"", "spiking.cell"},
        {"\"hidden\": 10", "\"hidden\": 10, \"tau\": 20",
            "tau is the rate cells' leak time constant and spiking cells do not use it"},
        {CONFIG.substring(CONFIG.indexOf("\"task\""), CONFIG.indexOf("\"spiking\"")),
            "\"tasks\": [{\"id\": \"ev\", \"task\": \"evidence-accumulation\", \"params\":"
            + " {\"encoding\": \"poisson\"}, \"tau\": 5}],",
            "tasks: task ev: tau is the rate cells' leak time constant"}};
    for (String[] c : cases) {
      Path bad = tmp.resolve("bad.json");
      Files.writeString(bad, CONFIG.replace(c[0], c[1]));
      CliRun r = CliRun.tca("study", "--config", bad.toString(), "--out",
          tmp.resolve("bad").toString(), "-q");
      assertEquals(2, r.status(), r.toString());
      assertTrue(r.err().contains(c[2]) && r.err().strip().lines().count() == 1, r.err());
    }
  }

  private static List<Path> runFiles(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
      return s.sorted().toList();
    }
  }
}
