package org.tca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tca.rules.spiking.SpikingConfig;
import org.tca.rules.task.Tasks;

/**
 * {@code tca train --cell lif|alif|lif-alif}: a tiny spiking evidence run writes its parameters
 * (no b_rec), model.json with the spiking cell, constants and equations, and metrics.json with
 * firing rates; online e-prop, RTRL, MDGL and tbptt (with the rate term); bad neuron values,
 * rules without a spiking form, online training of a rule without an online form and the readers
 * of rate networks (gradient, bench, curvature) are refused in one line with status 2.
 */
class SpikingTrainCommandTest {

  static String[] tinySpiking(Path out, String... extra) {
    return TrainCommandTest.args(new String[] {"train", "--task", "evidence-accumulation",
        "--encoding", "poisson", "--cues", "3", "--cue", "10", "--interval", "15", "--delay",
        "10", "--recall", "10", "--loss-steps", "10", "--n-train", "32", "--n-test", "16",
        "--cell", "lif-alif", "--rule", "eprop", "--hidden", "10", "--batch", "8", "--iters", "4",
        "--checkpoints", "2", "--threads", "1", "--input-gain", "4", "--out", out.toString()},
        extra);
  }

  @Test
  void trainsASpikingNetworkAndWritesItsEquations(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("run");
    CliRun r = CliRun.tca(tinySpiking(out, "--tau-a", "200", "--target-rate", "20"));
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().contains("rule eprop"), r.out());
    assertFalse(Files.exists(out.resolve("params/b_rec.npy")), "spiking cells have no b_rec");
    JsonNode model = new ObjectMapper().readTree(out.resolve("model.json").toFile());
    assertEquals("lif-alif", model.get("cell").asText());
    assertEquals(SpikingConfig.EQUATIONS, model.get("equations").asText());
    assertEquals(5, model.get("spiking").get("alif_units").asInt());
    assertEquals(200.0, model.get("spiking").get("tau_a").asDouble());
    assertEquals(0.02, model.get("spiking").get("target_rate").asDouble(), 1e-12);
    // the task's default tau (the rate cells' leak) is not the membrane's, and says so
    double taskTau = Tasks.defaults("evidence-accumulation").tau();
    assertEquals(100.0, taskTau, "the rate task's tau this test guards");
    assertEquals(20.0, model.get("spiking").get("tau_m").asDouble(), "tau_m: --tau-m's default");
    JsonNode tau = model.get("task_tau");
    assertEquals(taskTau, tau.get("rate_cells").asDouble());
    assertFalse(tau.get("applied").asBoolean(true), tau.toString());
    assertTrue(r.out().contains("membrane tau_m = 20.0 ms (--tau-m); the task's default tau ="
        + " 100.0 steps is the rate cells' and was not applied"), r.out());
    JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertEquals("lif-alif", metrics.get("model").get("cell").asText());
    double rate = metrics.get("final").get("test_firing_rate").asDouble();
    assertTrue(rate > 0 && rate < 1, "firing rate " + rate);
    CliRun curvature = CliRun.tca("curvature", "--params", out.toString(), "--out",
        tmp.resolve("c.json").toString());
    TrainCommandTest.assertUsageError(curvature, "curvature of a spiking network");
    assertTrue(curvature.err().contains("holds a spiking network (cell lif-alif)"),
        curvature.err());
  }

  @Test
  void lifAndAlifCellsTrainWithBptt(@TempDir Path tmp) {
    for (String cell : new String[] {"lif", "alif"}) {
      CliRun r = CliRun.tca(tinySpiking(tmp.resolve(cell), "--cell", cell, "--rule", "bptt"));
      assertEquals(0, r.status(), cell + ": " + r);
    }
  }

  @Test
  void onlineRulesTrainASpikingNetworkStepByStep(@TempDir Path tmp) {
    for (String rule : new String[] {"eprop", "rtrl", "mdgl", "mdgl-celltype", "tbptt"}) {
      Path out = tmp.resolve(rule);
      CliRun r = CliRun.tca(tinySpiking(out, "--online", "--rule", rule, "--window", "4",
          "--rate-cost", "1"));
      assertEquals(0, r.status(), rule + ": " + r);
      assertTrue(r.out().contains("rule " + rule) && r.out().contains("online"), r.out());
      assertTrue(Files.exists(out.resolve("metrics.json")), rule + ": metrics written");
    }
  }

  @Test
  void badSpikingOptionsAreUsageErrors(@TempDir Path tmp) {
    Path out = tmp.resolve("bad");
    String[][] cases = {
        {"--tau-m", "0"}, {"--tau-a", "-1"}, {"--beta", "-0.5"}, {"--v-th", "0"},
        {"--n-ref", "-1"}, {"--gamma", "0"}, {"--tau-out", "NaN"}, {"--target-rate", "2000"},
        {"--rate-cost", "-1"}, {"--input-gain", "0"}, {"--rule", "uoro"}, {"--rule", "rflo"},
        {"--tau", "20"}, {"--cell", "izhikevich"},
        {"--rule", "bptt", "--online", "--rate-cost", "0"}};
    String[] expect = {"--tau-m must be > 0", "--tau-a must be > 0", "--beta must be >= 0",
        "--v-th must be > 0", "--n-ref must be >= 0", "--gamma must be > 0",
        "--tau-out must be > 0", "--target-rate must be in [0, 1000] Hz",
        "--rate-cost must be >= 0", "--input-gain must be > 0",
        "rule 'uoro' does not run on spiking cells", "rule 'rflo' does not run on spiking cells",
        "--tau and --leak are for rate cells", "--cell: unknown cell 'izhikevich'",
        "has no online mode"};
    for (int i = 0; i < cases.length; i++) {
      CliRun r = CliRun.tca(tinySpiking(out, cases[i]));
      TrainCommandTest.assertUsageError(r, String.join(" ", cases[i]));
      assertTrue(r.err().contains(expect[i]), String.join(" ", cases[i]) + ": " + r.err());
      assertFalse(Files.exists(out.resolve("model.json")), "nothing written");
    }
  }

  /**
   * The published network (N = 100, 40 inputs, T = 2250) at B = 64 in one shard: spiking BPTT
   * stores about 640 T B floats (z, psi, filtered spikes, du, the event lists), twice the rate
   * cell's 300 T B, so under a 320 MiB heap, where the rate-cell estimate (about 225 MiB) would
   * let it start, it is refused up front (about 420 MiB) in one line with status 2.
   */
  @Test
  void aSpikingRunTooLargeForTheHeapIsRefusedUpFront(@TempDir Path tmp) throws Exception {
    CliRun r = CliRun.child(List.of("-Xmx320m"), "train", "--task", "evidence-accumulation",
        "--encoding", "poisson", "--n-train", "64", "--n-test", "8", "--n-validation", "0",
        "--cell", "lif-alif", "--rule", "bptt", "--hidden", "100", "--batch", "64",
        "--shards", "1", "--threads", "1", "--iters", "1", "-q", "--out",
        tmp.resolve("big").toString());
    assertEquals(2, r.status(), r.toString());
    String out = r.out(); // the child's stderr, merged
    assertTrue(out.contains("tca: this run needs about") && out.contains("rule workspaces 3")
        && out.contains("TCA_JAVA_OPTS=-Xmx"), r.toString());
    assertFalse(Files.exists(tmp.resolve("big")), "nothing written");
  }

  @Test
  void gradientAndBenchRefuseSpikingCells(@TempDir Path tmp) {
    CliRun g = CliRun.tca("gradient", "--task", "evidence-accumulation", "--cell", "lif",
        "--rule", "bptt", "--out", tmp.resolve("g").toString());
    TrainCommandTest.assertUsageError(g, "gradient");
    assertTrue(g.err().contains("tca gradient runs rate cells only"), g.err());
    CliRun b = CliRun.tca("bench", "--task", "evidence-accumulation", "--cell", "alif", "--rule",
        "bptt");
    TrainCommandTest.assertUsageError(b, "bench");
    assertTrue(b.err().contains("tca bench runs rate cells only"), b.err());
  }
}
