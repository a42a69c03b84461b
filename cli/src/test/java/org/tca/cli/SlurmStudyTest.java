package org.tca.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tca study --slurm}, {@code tca study-task}, {@code tca study status} and a partial
 * {@code tca report} without a cluster: stand-ins for sbatch and squeue (shell scripts in the
 * directory named by {@code tca.slurm.bin}) record the submitted scripts and report a queue,
 * and the test plays the array tasks by running each script's {@code study-task} line
 * in-process. The real cluster is exercised by scripts/slurm-ci.sh, which .ci/run calls.
 */
class SlurmStudyTest {

  @TempDir Path tmp;
  Path bin;
  Path config;

  @BeforeEach
  void standIns() throws IOException {
    bin = Files.createDirectory(tmp.resolve("bin"));
    config = tmp.resolve("tiny.json");
    Files.writeString(config, StudyCommandTest.CONFIG);
    // sbatch: keeps a copy of each script and prints the next job id (--parsable)
    executable("sbatch", """
        #!/bin/sh
        d="$(dirname "$0")"
        n=$(( $(ls "$d" | grep -c '^job-') + 41 ))
        for a in "$@"; do s="$a"; done
        cp "$s" "$d/job-$n.sbatch"
        echo "$n;cluster"
        """);
    executable("squeue",
        "#!/bin/sh\ncat \"$(dirname \"$0\")/queue.txt\" 2>/dev/null || true\n");
    System.setProperty("tca.slurm.bin", bin.toString());
  }

  @AfterEach
  void clear() {
    System.clearProperty("tca.slurm.bin");
  }

  @Test
  void dryRunPrintsTheScriptAndWritesNothing() {
    Path out = tmp.resolve("dry");
    CliRun r = CliRun.tca("study", "--config", config.toString(), "--out", out.toString(),
        "--slurm", "--dry-run", "--runs-per-task", "4", "--max-parallel", "3",
        "--slurm-opt=--time=00:10:00", "--slurm-opt=--partition=short");
    assertEquals(0, r.status(), r.toString());
    String s = r.out();
    for (String line : List.of("#!/bin/bash", "#SBATCH --array=0-1%3", "#SBATCH --requeue",
        "#SBATCH --cpus-per-task=1", "#SBATCH --time=00:10:00", "#SBATCH --partition=short",
        "#SBATCH --output=" + out.toAbsolutePath() + "/slurm/logs/%A_%a.out",
        "  'delayed-xor__bptt__lr0.1__s0 delayed-xor__bptt__lr0.1__s1"
            + " delayed-xor__bptt__lr0.1__s2 delayed-xor__eprop__lr0.1__s0'",
        "  'delayed-xor__eprop__lr0.1__s1 delayed-xor__eprop__lr0.1__s2'")) {
      assertTrue(s.lines().anyMatch(line::equals), line + " missing in\n" + s);
    }
    assertTrue(s.contains("org.tca.cli.Main' study-task '" + out.toAbsolutePath()
        + "' ${runs[$SLURM_ARRAY_TASK_ID]}"), s);
    assertFalse(Files.exists(out), "a dry run wrote " + out);
  }

  @Test
  void aLeaderboardIsSubmittedTheSameWay() {
    Path out = tmp.resolve("board");
    CliRun r = CliRun.tca("leaderboard", "--preset", "tiny", "--out", out.toString(), "--slurm",
        "--dry-run", "--max-parallel", "2");
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().lines().anyMatch("#SBATCH --array=0-11%2"::equals), r.out());
    assertTrue(r.out().contains("study-task '" + out.toAbsolutePath() + "'"), r.out());
    assertFalse(Files.exists(out), "a dry run wrote " + out);
  }

  @Test
  void submitsRunsTasksAndResubmitsOnlyWhatIsMissing() throws Exception {
    Path whole = tmp.resolve("whole");
    CliRun local = CliRun.tca("study", "--config", config.toString(), "--out", whole.toString(),
        "--threads", "2", "-q", "--no-figures");
    assertEquals(0, local.status(), local.toString());

    Path dir = tmp.resolve("cluster");
    CliRun first = submit(dir);
    assertTrue(first.out().contains("submitted Slurm job 41: 6 runs in 3 array tasks"),
        first.toString());
    assertEquals(Files.readString(bin.resolve("job-41.sbatch")),
        Files.readString(dir.resolve("slurm/array.sbatch")));
    List<List<String>> tasks = tasks(bin.resolve("job-41.sbatch"));
    assertEquals(3, tasks.size());

    // task 0 ran, task 1 waits in the queue, task 2 left the queue without a result
    Files.writeString(bin.resolve("queue.txt"), "41|1|PENDING\n");
    task(dir, tasks.get(0));
    CliRun status = CliRun.tca("study", "status", dir.toString());
    assertEquals(0, status.status(), status.toString());
    assertTrue(status.out().startsWith("study tiny: 6 runs: 2 done, 0 running, 2 pending,"
        + " 2 failed, 0 unknown, 0 not-submitted"), status.out());
    assertTrue(status.out().lines().anyMatch(l -> l.matches(
        "delayed-xor__eprop__lr0.1__s1 +failed +41_2 +its task ended without a run file")),
        status.out());
    assertFalse(Files.exists(dir.resolve("runs.csv")), "outputs written before all runs");

    CliRun partial = CliRun.tca("report", dir.toString(), "--no-figures");
    assertEquals(0, partial.status(), partial.toString());
    assertTrue(partial.out().contains("PARTIAL: 2 of 6 runs finished"), partial.out());
    assertTrue(Files.readString(dir.resolve("summary.json")).startsWith(
        "{\n  \"partial\" : {\n    \"finished\" : 2,\n    \"planned\" : 6\n  },"),
        Files.readString(dir.resolve("summary.json")));
    assertTrue(Files.readString(dir.resolve("report.md")).startsWith("> **PARTIAL: 2 of 6"));

    CliRun second = submit(dir);
    assertTrue(second.out().contains("submitted Slurm job 42: 2 runs in 1 array task"),
        second.toString());
    List<List<String>> resubmitted = tasks(bin.resolve("job-42.sbatch"));
    assertEquals(List.of(tasks.get(2)), resubmitted);

    Files.writeString(bin.resolve("queue.txt"), "");
    task(dir, tasks.get(1));
    assertTrue(Files.readString(dir.resolve("summary.json")).contains("\"partial\""),
        "outputs rewritten before all runs were done");
    CliRun last = task(dir, resubmitted.get(0));
    assertTrue(last.out().contains("all 6 runs of the study are done"), last.toString());
    for (String f : List.of("runs.csv", "summary.json")) {
      assertArrayEquals(Files.readAllBytes(whole.resolve(f)), Files.readAllBytes(dir.resolve(f)),
          f);
    }
    CliRun done = submit(dir);
    assertTrue(done.out().contains("nothing to submit"), done.toString());
    assertFalse(Files.exists(bin.resolve("job-43.sbatch")));
  }

  /**
   * A spiking study ({@link StudySpikingTest#CONFIG}) split into array tasks gives the same run
   * records, runs.csv and summary.json as one process, and its last task writes the spiking
   * report and figures.
   */
  @Test
  void aSpikingStudySplitIntoArrayTasksGivesTheSameRecords() throws Exception {
    Path spiking = tmp.resolve("spiking.json");
    Files.writeString(spiking, StudySpikingTest.CONFIG);
    Path whole = tmp.resolve("spiking-whole");
    CliRun local = CliRun.tca("study", "--config", spiking.toString(), "--out",
        whole.toString(), "--threads", "2", "-q", "--no-figures");
    assertEquals(0, local.status(), local.toString());
    Path dir = tmp.resolve("spiking-cluster");
    CliRun sub = CliRun.tca("study", "--config", spiking.toString(), "--out", dir.toString(),
        "--slurm", "--runs-per-task", "2");
    assertEquals(0, sub.status(), sub.toString());
    assertTrue(sub.out().contains("submitted Slurm job 41: 6 runs in 3 array tasks"),
        sub.toString());
    List<List<String>> tasks = tasks(bin.resolve("job-41.sbatch"));
    CliRun last = null;
    for (List<String> t : tasks) {
      last = task(dir, t);
    }
    assertTrue(last.out().contains("all 6 runs of the study are done"), last.toString());
    List<String> files = new ArrayList<>(List.of("runs.csv", "summary.json"));
    try (var runs = Files.list(whole.resolve("runs"))) {
      runs.map(f -> "runs/" + f.getFileName()).sorted().forEach(files::add);
    }
    assertEquals(8, files.size(), files.toString());
    for (String f : files) {
      assertArrayEquals(Files.readAllBytes(whole.resolve(f)), Files.readAllBytes(dir.resolve(f)),
          f);
    }
    assertTrue(Files.readString(dir.resolve("report.md")).contains("![firing_rate.png]"
        + "(figures/firing_rate.png)"), "the spiking figures are drawn by the last task");
  }

  @Test
  void aTaskSkipsARunAnotherTaskHolds() throws Exception {
    Path dir = tmp.resolve("held");
    assertEquals(0, submit(dir).status());
    List<String> runs = tasks(bin.resolve("job-41.sbatch")).get(0);
    try (RunLocks other = new RunLocks()) {
      assertEquals(List.of(runs.get(0)), other.claim(dir, List.of(runs.get(0))));
      assertTrue(RunLocks.held(dir, runs.get(0)));
      CliRun status = CliRun.tca("study", "status", dir.toString());
      assertEquals(0, status.status(), status.toString());
      assertTrue(status.out().lines().anyMatch(l -> l.matches(
          Pattern.quote(runs.get(0)) + " +running +41_0 +starting")), status.out());
      CliRun t = task(dir, runs);
      assertTrue(t.out().contains("run " + runs.get(0) + " is being trained by another task;"
          + " skipped"), t.toString());
    }
    assertFalse(RunLocks.held(dir, runs.get(0)));
    assertFalse(Files.exists(dir.resolve("runs").resolve(runs.get(0) + ".json")));
    assertTrue(Files.exists(dir.resolve("runs").resolve(runs.get(1) + ".json")));
  }

  @Test
  void aLocalStudyShowsAsRunningAndKeepsSubmissionsOut() throws Exception {
    Path dir = tmp.resolve("local");
    Path slow = tmp.resolve("slow.json");
    Files.writeString(slow, StudyCommandTest.CONFIG.replace("\"iterations\": 24",
        "\"iterations\": 100000"));
    List<String> cmd = CliRun.javaCommand(List.of());
    cmd.addAll(List.of("study", "--config", slow.toString(), "--out", dir.toString(),
        "--threads", "1", "-q"));
    Process child = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("child.log").toFile()).start();
    try {
      String out = "";
      for (int i = 0; i < 600 && !out.contains(" running "); i++) {
        assertTrue(child.isAlive(), () -> "the local study ended: " + read(tmp.resolve(
            "child.log")));
        Thread.sleep(100);
        if (Files.exists(dir.resolve("spec.json"))) {
          CliRun st = CliRun.tca("study", "status", dir.toString());
          assertEquals(0, st.status(), st.toString());
          out = st.out();
        }
      }
      assertTrue(out.lines().anyMatch(l -> l.matches(
          "delayed-xor__bptt__lr0.1__s0 +running +local +checkpoint at iteration \\d+/100000")),
          out);
      assertTrue(out.lines().anyMatch(l -> l.matches(
          "delayed-xor__eprop__lr0.1__s2 +pending +local +")), out);
      CliRun sub = CliRun.tca("study", "--config", slow.toString(), "--out", dir.toString(),
          "--slurm");
      assertEquals(Main.USAGE, sub.status(), sub.toString());
      assertTrue(sub.err().contains("a local 'tca study' is running in"), sub.err());
    } finally {
      child.destroyForcibly();
      child.waitFor();
    }
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Test
  void clearErrors() throws Exception {
    Path out = tmp.resolve("errors");
    CliRun threads = CliRun.tca("study", "--config", config.toString(), "--out", out.toString(),
        "--slurm", "--threads", "4");
    assertEquals(Main.USAGE, threads.status());
    assertTrue(threads.err().contains("--cpus-per-task"), threads.err());
    CliRun array = CliRun.tca("study", "--config", config.toString(), "--out", out.toString(),
        "--slurm", "--slurm-opt=--array=0-3");
    assertEquals(Main.USAGE, array.status());
    assertTrue(array.err().contains("tca sets the array itself"), array.err());
    CliRun noSlurm = CliRun.tca("study", "--config", config.toString(), "--out", out.toString(),
        "--runs-per-task", "2");
    assertEquals(Main.USAGE, noSlurm.status());
    assertTrue(noSlurm.err().contains("need --slurm"), noSlurm.err());

    executable("sbatch", "#!/bin/sh\necho 'sbatch: error: Batch job submission failed:"
        + " Invalid partition name specified' >&2\nexit 1\n");
    CliRun refused = submit(out);
    assertEquals(Main.USAGE, refused.status(), refused.toString());
    String refusal = refused.err().strip().lines().reduce((a, b) -> b).orElseThrow();
    assertTrue(refusal.startsWith("tca: sbatch refused the job (") && refusal.endsWith(
        "): sbatch: error: Batch job submission failed: Invalid partition name specified"),
        refused.err());
    assertFalse(Files.exists(SlurmSubmissions.file(out)));

    Files.delete(bin.resolve("sbatch"));
    CliRun missing = submit(tmp.resolve("nosbatch"));
    assertEquals(Main.USAGE, missing.status());
    assertEquals("tca: --slurm needs Slurm's sbatch, which is not on the PATH (run on a login"
        + " node of the cluster, or install Slurm's client commands)", missing.err().strip());
    assertFalse(Files.exists(tmp.resolve("nosbatch")));

    CliRun unknownRun = CliRun.tca("study-task", out.toString(), "no-such-run");
    assertEquals(Main.USAGE, unknownRun.status());
    assertTrue(unknownRun.err().contains("run 'no-such-run' is not in the study"),
        unknownRun.err());
  }

  @Test
  void refusesAStudyDirectoryInMemory() throws Exception {
    Path shm = Path.of("/dev/shm");
    assertEquals("tmpfs", Files.getFileStore(shm).type(), "this test needs /dev/shm on tmpfs"
        + " (Linux)");
    Path out = shm.resolve("tca-slurm-test-" + ProcessHandle.current().pid());
    CliRun r = submit(out);
    assertEquals(Main.USAGE, r.status(), r.toString());
    assertTrue(r.err().contains("is on tmpfs, this machine's memory"), r.err());
    assertFalse(Files.exists(out));
  }

  private CliRun submit(Path dir) {
    return CliRun.tca("study", "--config", config.toString(), "--out", dir.toString(),
        "--slurm", "--runs-per-task", "2");
  }

  /** Plays one array task. */
  private static CliRun task(Path dir, List<String> runs) {
    List<String> args = new ArrayList<>(List.of("study-task", dir.toString()));
    args.addAll(runs);
    CliRun r = CliRun.tca(args.toArray(String[]::new));
    assertEquals(0, r.status(), r.toString());
    return r;
  }

  /** The run ids of each array task of a script. */
  private static List<List<String>> tasks(Path script) throws IOException {
    String s = Files.readString(script);
    Matcher m = Pattern.compile("runs=\\(\\n(.*?)\\n\\)", Pattern.DOTALL).matcher(s);
    assertTrue(m.find(), s);
    return m.group(1).lines().map(l -> List.of(l.strip().replace("'", "").split(" ")))
        .toList();
  }

  private void executable(String name, String text) throws IOException {
    Path f = bin.resolve(name);
    Files.writeString(f, text);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
