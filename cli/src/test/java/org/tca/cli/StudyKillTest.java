package org.tca.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tca.rules.train.TrainingStateFile;

/**
 * The resume promise tested the hard way: {@code tca study} runs in a child JVM that is killed
 * with SIGKILL ({@link Process#destroyForcibly}) once one run has finished and another is past
 * a checkpoint; re-running the same command on the same --out must skip the finished runs,
 * continue the interrupted ones and end with run files and runs.csv byte-identical to an
 * uninterrupted study, leaving no temporary files behind.
 */
class StudyKillTest {

  private static final int RUNS = 4;
  private static final long ITERATIONS = 600;
  /** Polls of {@link #POLL_MILLIS} each before giving up (about 120 s). */
  private static final int POLLS = 24_000;
  private static final long POLL_MILLIS = 5;

  /**
   * 2 rules x 2 seeds, scalar kernels (bit-reproducible); a run lasts a second or two on a
   * 2-core machine, so the child is killed about halfway through its study.
   */
  static final String CONFIG = """
      {"name": "kill", "task": "delayed-xor",
       "task_params": {"cue": 3, "delay": 4, "std": 1, "n-train": 48, "n-test": 40,
                       "n-validation": 16, "shift-delay": 6, "noise": 0.3},
       "rules": ["bptt", "eprop"], "seeds": [0, 1], "learning_rates": [0.1],
       "iterations": %d, "hidden": 8, "tau": 5, "batch": 8, "checkpoints": 6,
       "held_out": 16, "curvature_max_iterations": 20, "alignment_batch": 8,
       "kernels": "scalar"}
      """.formatted(ITERATIONS);

  @Test
  void killedMidRunResumesToIdenticalRunFiles(@TempDir Path tmp) throws Exception {
    Path config = tmp.resolve("kill.json");
    Files.writeString(config, CONFIG);
    Path whole = tmp.resolve("whole");
    CliRun a = CliRun.tca("study", "--config", config.toString(), "--out", whole.toString(),
        "--threads", "2", "-q");
    assertEquals(0, a.status(), a.toString());
    assertEquals(RUNS, runFiles(whole).size());

    Path cut = tmp.resolve("cut");
    Path log = tmp.resolve("child.log");
    Process child = start(config, cut, log);
    String interrupted;
    try {
      interrupted = awaitMidRun(child, cut, log);
    } finally {
      child.destroyForcibly();
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the killed child did not end");
    }
    Map<String, Object> finishedBefore = new TreeMap<>();
    for (Path f : runFiles(cut)) {
      finishedBefore.put(f.getFileName().toString(), fileKey(f));
    }
    assertTrue(finishedBefore.size() < RUNS, "all runs finished before the kill");
    // Also leave what a kill in the middle of a write would: a state temporary of the killed
    // process and a half-written run file, both of the interrupted run.
    Files.writeString(cut.resolve("state/." + interrupted + ".state." + child.pid() + ".1.tmp"),
        "partial");
    Files.writeString(cut.resolve("runs/." + interrupted + ".json.5eed.tmp"), "{\"partial");

    CliRun again = CliRun.tca("study", "--config", config.toString(), "--out", cut.toString(),
        "--threads", "2", "-q");
    assertEquals(0, again.status(), again + "\nchild: " + Files.readString(log));
    List<Path> runs = runFiles(whole);
    assertEquals(runs.stream().map(Path::getFileName).toList(),
        runFiles(cut).stream().map(Path::getFileName).toList());
    for (Path f : runs) {
      Path g = cut.resolve("runs").resolve(f.getFileName());
      assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(g), g.toString());
    }
    assertArrayEquals(Files.readAllBytes(whole.resolve("runs.csv")),
        Files.readAllBytes(cut.resolve("runs.csv")), "runs.csv");
    for (Map.Entry<String, Object> e : finishedBefore.entrySet()) {
      Object now = fileKey(cut.resolve("runs").resolve(e.getKey()));
      if (e.getValue() != null) {
        assertEquals(e.getValue(), now, e.getKey() + " was finished and must not be rerun");
      }
    }
    try (Stream<Path> s = Files.walk(cut)) {
      List<Path> tmps = s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
      assertEquals(List.of(), tmps, "temporary files left behind");
    }
    try (Stream<Path> s = Files.list(cut.resolve("state"))) {
      assertEquals(List.of(), s.toList(), "state files left behind");
    }
  }

  /** Starts {@code tca study} on {@code out} in a child JVM with this JVM's tca flags. */
  private static Process start(Path config, Path out, Path log) throws IOException {
    List<String> cmd = CliRun.javaCommand(List.of());
    cmd.addAll(List.of("study", "--config", config.toString(), "--out", out.toString(), "--threads", "2", "-q"));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
        .start();
  }

  /**
   * Waits until at least one run has finished and another has saved a checkpoint strictly
   * inside its run; returns that run's id. Fails if the child ends first or after {@link #POLLS} polls.
   */
  private static String awaitMidRun(Process child, Path out, Path log) throws Exception {
    for (int poll = 0; poll < POLLS; poll++) {
      if (!child.isAlive()) {
        int exit = child.exitValue();
        fail((exit == 0 ? "the child study finished before it could be killed mid-run: raise"
            + " ITERATIONS in StudyKillTest so that runs last longer"
            : "the child study failed (exit " + exit + ")") + "\nchild: " + Files.readString(log));
      }
      int finished = Files.isDirectory(out.resolve("runs")) ? runFiles(out).size() : 0;
      String mid = finished >= 1 && finished < RUNS ? midRun(out.resolve("state")) : null;
      if (mid != null) {
        return mid;
      }
      Thread.sleep(POLL_MILLIS);
    }
    fail("no run finished and another checkpointed within " + POLLS + " polls; child: "
        + Files.readString(log));
    return null;
  }

  /** The id of a run whose state is strictly between its start and its end, or null. */
  private static String midRun(Path stateDir) throws IOException {
    if (!Files.isDirectory(stateDir)) {
      return null;
    }
    try (Stream<Path> s = Files.list(stateDir)) {
      for (Path f : s.toList()) {
        String n = f.getFileName().toString();
        if (!n.startsWith(".") && n.endsWith(".state")) {
          try {
            long it = TrainingStateFile.read(f).iteration();
            if (it > 0 && it < ITERATIONS) {
              return n.substring(0, n.length() - ".state".length());
            }
          } catch (IOException e) {
            // Deleted (the run just finished) between the listing and the read.
          }
        }
      }
    }
    return null;
  }

  /** The finished run files of a study directory, sorted by name. */
  private static List<Path> runFiles(Path study) throws IOException {
    try (Stream<Path> s = Files.list(study.resolve("runs"))) {
      return s.filter(p -> !p.getFileName().toString().startsWith(".")
          && p.getFileName().toString().endsWith(".json")).sorted().toList();
    }
  }

  private static Object fileKey(Path f) throws IOException {
    return Files.readAttributes(f, BasicFileAttributes.class).fileKey();
  }
}
