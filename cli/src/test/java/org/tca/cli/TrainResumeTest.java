package org.tca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code tca train} interrupted after a checkpoint resumes to the uninterrupted results. */
class TrainResumeTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static String[] run(Path out, String... extra) {
    return TrainCommandTest.args(TrainCommandTest.tinyTrain(out, "--iters", "40",
        "--checkpoints", "5", "-q"), extra);
  }

  @Test
  void anInterruptedRunResumesToTheSameParametersAndTrajectory(@TempDir Path tmp)
      throws Exception {
    Path whole = tmp.resolve("whole");
    CliRun a = CliRun.tca(run(whole));
    assertEquals(0, a.status(), a.toString());

    Path cut = tmp.resolve("cut");
    CliRun stopped = CliRun.tca(run(cut, "--stop-after-checkpoints", "3"));
    assertEquals(3, stopped.status(), stopped.toString());
    assertFalse(Files.exists(cut), "nothing is written to --out before the end");
    assertTrue(Files.exists(TrainResume.stateFile(cut)));

    // A different configuration must not resume from it.
    CliRun other = CliRun.tca(run(cut, "--lr", "0.02"));
    TrainCommandTest.assertUsageError(other, "other options");
    assertTrue(other.err().contains("--restart"), other.err());
    assertFalse(Files.exists(cut));

    CliRun b = CliRun.tca(run(cut, "--threads", "1"));
    assertEquals(0, b.status(), b.toString());
    assertTrue(b.err().contains("resuming from iteration 20"), b.err());
    assertFalse(Files.exists(TrainResume.stateFile(cut)), "the state is deleted at the end");
    for (String f : List.of("W_in", "W_rec", "b_rec", "W_out", "b_out")) {
      assertEquals(-1, Files.mismatch(whole.resolve("params/" + f + ".npy"),
          cut.resolve("params/" + f + ".npy")), f);
    }
    assertEquals(JSON.readTree(whole.resolve("metrics.json").toFile()).get("trajectory"),
        JSON.readTree(cut.resolve("metrics.json").toFile()).get("trajectory"));
    try (var s = Files.list(tmp)) {
      assertEquals(List.of("cut", "whole"),
          s.map(p -> p.getFileName().toString()).sorted().toList(),
          "no staging directory or state is left behind");
    }
  }

  /** A run stopped like Ctrl-C (SIGTERM) keeps its state for resuming, but no staging dir. */
  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void aStoppedRunLeavesNoStagingDirectory(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("out");
    String log = CliRun.stoppedChild(tmp.resolve("child.log"),
        () -> Files.exists(TrainResume.stateFile(out)),
        run(out, "--iters", "1000000", "--checkpoints", "1000", "--threads", "1"));
    assertTrue(log.contains("tca train: interrupted"), log);
    try (var s = Files.list(tmp)) {
      assertEquals(List.of(".out.lock", ".out.train-state", "child.log"),
          s.map(p -> p.getFileName().toString()).sorted().toList(),
          "only the state to resume from (and its lock) is left behind");
    }
  }

  @Test
  void restartDiscardsTheSavedState(@TempDir Path tmp) {
    Path out = tmp.resolve("out");
    assertEquals(3, CliRun.tca(run(out, "--stop-after-checkpoints", "2")).status());
    CliRun r = CliRun.tca(run(out, "--lr", "0.02", "--restart"));
    assertEquals(0, r.status(), r.toString());
    assertFalse(r.err().contains("resuming"), r.err());
  }
}
