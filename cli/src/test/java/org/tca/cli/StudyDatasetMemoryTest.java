package org.tca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The study's up-front memory check counts the stored datasets: 2,000 stored spiking trials
 * (T = 2250, 40 channels: 173 MiB) with two small runs (about 201 MiB of parameters, workspaces
 * and evaluation seats) under a 300 MiB heap. Without the dataset the runs fit (201 &lt; 300);
 * with it they do not (374 MiB), and the study is refused in one line with status 2, nothing
 * written. The same study on generated trials (nothing stored) passes the check.
 */
class StudyDatasetMemoryTest {

  static final String CONFIG = """
      {"name": "big-stored", "task": "evidence-accumulation",
       "task_params": {"encoding": "poisson", "loss-steps": 10, "n-train": 2000, "n-test": 16},
       "spiking": {"cell": "lif-alif", "input_gain": 4},
       "rules": ["eprop"], "seeds": [0, 1], "learning_rates": [0.01],
       "optimizer": "adam", "iterations": 1, "hidden": 100, "batch": 4, "checkpoints": 2,
       "eval_train": 16, "eval_test": 16, "alignment_batch": 4, "kernels": "scalar"}
      """;

  private static CliRun dryRun(Path tmp, String name, String config) throws Exception {
    Path file = tmp.resolve(name + ".json");
    Files.writeString(file, config);
    return CliRun.child(List.of("-Xmx300m"), "study", "--config", file.toString(), "--out",
        tmp.resolve(name).toString(), "--threads", "2", "--dry-run", "-q");
  }

  @Test
  void aStoredDatasetThatLeavesNoRoomIsRefusedUpFront(@TempDir Path tmp) throws Exception {
    CliRun r = dryRun(tmp, "stored", CONFIG);
    assertEquals(2, r.status(), r.toString());
    List<String> lines = r.out().lines().filter(l -> !l.startsWith("WARNING: ")).toList();
    assertEquals(1, lines.size(), r.toString());
    String err = lines.get(0);
    assertTrue(err.startsWith("tca: this study (2 runs in parallel, --threads) needs about")
        && err.contains(", datasets 173 MiB)") && err.contains("TCA_JAVA_OPTS=-Xmx"), err);
    assertFalse(Files.exists(tmp.resolve("stored")), "nothing written");
    CliRun g = dryRun(tmp, "generated", CONFIG.replace("\"n-train\": 2000",
        "\"n-train\": 2000, \"trials\": \"generated\""));
    assertEquals(0, g.status(), g.toString());
  }

  /**
   * The preset on generated trials is a config away: its task parameters over the preset's give
   * an unbounded training set that holds nothing, walked in order, with the preset's test set.
   */
  @Test
  void thePresetOnGeneratedTrialsIsAConfigAway() throws Exception {
    org.tca.study.StudySpec s = StudyConfigTest.parse(GENERATED_PRESET);
    org.tca.rules.task.Task t = s.createTasks().values().iterator().next();
    assertTrue(t.train().generated() && t.test().generated(), t.toString());
    assertEquals(Integer.MAX_VALUE, t.train().size());
    assertEquals(0, org.tca.rules.train.MemoryEstimate.datasetBytes(t, true));
    assertEquals(500, t.test().size());
    assertEquals("150", s.tasks().get(0).params().get("loss-steps"), "the preset's parameters");
  }

  /** The README's config for the spiking-evidence preset on generated trials. */
  static final String GENERATED_PRESET = "{\"preset\": \"spiking-evidence\", \"task_params\":"
      + " {\"trials\": \"generated\", \"n-train\": \"2147483647\"}}";
}
