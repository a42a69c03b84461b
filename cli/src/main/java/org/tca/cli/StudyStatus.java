package org.tca.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.tca.rules.train.TrainingStateFile;
import org.tca.study.RunPlan;
import org.tca.study.StudySpec;

/**
 * Where each run of a study directory stands: {@code done} (its run file exists),
 * {@code running} (a task holds its {@link RunLocks lock}, or its array task runs), {@code pending}
 * (its array task waits in {@code squeue}), {@code failed} (submitted, its task has left the queue
 * and there is no run file; {@code sacct}'s state when accounting is on), {@code unknown}
 * (submitted, no squeue to ask) or {@code not-submitted}. While a local {@code tca study} holds
 * the directory's lock, its unfinished runs are {@code running} (with a checkpoint) or
 * {@code pending}. A run with a checkpoint says where it resumes.
 */
record StudyStatus(List<Row> rows, boolean queueKnown) {

  /** States a resubmission does not submit again. */
  static final List<String> IN_HAND = List.of("done", "running", "pending");

  /** One run. */
  record Row(String id, String state, String task, String detail) {}

  /** The status of every run of {@code spec} in {@code dir}. */
  static StudyStatus of(Path dir, StudySpec spec) throws IOException, InterruptedException {
    Map<String, String> submitted = SlurmSubmissions.read(dir);
    Map<String, String> queue = submitted.isEmpty() ? Map.of() : queue(dir);
    Map<String, String> accounting = null;
    boolean local = localStudyRunning(dir);
    List<Row> rows = new ArrayList<>();
    for (RunPlan p : spec.plans()) {
      String id = p.id();
      String task = submitted.getOrDefault(id, "");
      String checkpoint = checkpoint(dir, p);
      String state;
      String detail = checkpoint;
      if (Files.exists(dir.resolve("runs").resolve(id + ".json"))) {
        state = "done";
        detail = "";
      } else if (RunLocks.held(dir, id)) {
        state = "running";
        detail = checkpoint.isEmpty() ? "starting" : checkpoint;
      } else if (local) {
        state = checkpoint.isEmpty() ? "pending" : "running";
        task = "local";
      } else if (task.isEmpty()) {
        state = "not-submitted";
      } else if (queue == null) {
        state = "unknown";
      } else if (queue.containsKey(task)) {
        String q = queue.get(task);
        state = q.equals("RUNNING") || q.equals("COMPLETING") ? "running" : "pending";
        detail = join(q.toLowerCase(Locale.ROOT), checkpoint);
      } else {
        state = "failed";
        if (accounting == null) {
          accounting = accounting(dir, submitted);
        }
        detail = join(accounting.getOrDefault(task, "its task ended without a run file"),
            checkpoint);
      }
      rows.add(new Row(id, state, task, detail));
    }
    return new StudyStatus(rows, queue != null);
  }

  /** Whether a local {@code tca study} holds the directory's lock (exclusively). */
  static boolean localStudyRunning(Path dir) throws IOException {
    Path f = dir.resolve(".lock");
    if (!Files.exists(f)) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      FileLock l = ch.tryLock(0, Long.MAX_VALUE, true);
      if (l == null) {
        return true;
      }
      l.release();
      return false;
    }
  }

  /** The ids of the runs a resubmission must submit. */
  List<String> missing() {
    return rows.stream().filter(r -> !IN_HAND.contains(r.state())).map(Row::id).toList();
  }

  /** Counts per state, in a fixed order. */
  Map<String, Integer> counts() {
    Map<String, Integer> c = new java.util.LinkedHashMap<>();
    for (String s : List.of("done", "running", "pending", "failed", "unknown", "not-submitted")) {
      c.put(s, 0);
    }
    rows.forEach(r -> c.merge(r.state(), 1, Integer::sum));
    return c;
  }

  /** A count line and one line per run. */
  void print(PrintWriter w, String name) {
    StringBuilder head = new StringBuilder();
    counts().forEach((k, v) -> head.append(head.isEmpty() ? "" : ", ").append(v).append(' ')
        .append(k));
    w.printf(Locale.ROOT, "study %s: %d runs: %s%n", name, rows.size(), head);
    if (!queueKnown) {
      w.println("(squeue not found: 'unknown' runs are queued or ended without a result)");
    }
    int width = rows.stream().mapToInt(r -> r.id().length()).max().orElse(2);
    String fmt = "%-" + width + "s  %-13s  %-10s  %s%n";
    w.printf(Locale.ROOT, fmt, "run", "state", "slurm", "detail");
    for (Row r : rows) {
      w.printf(Locale.ROOT, fmt, r.id(), r.state(), r.task().isEmpty() ? "-" : r.task(),
          r.detail());
    }
    w.flush();
  }

  private static String join(String a, String b) {
    return b.isEmpty() ? a : a + ", " + b;
  }

  /** "checkpoint at iteration i/n" when run {@code p} has a state file, else "". */
  private static String checkpoint(Path dir, RunPlan p) {
    Path f = dir.resolve("state").resolve(p.id() + ".state");
    if (!Files.exists(f)) {
      return "";
    }
    try {
      return "checkpoint at iteration " + TrainingStateFile.read(f).iteration() + "/"
          + p.iterations();
    } catch (IOException e) {
      return "checkpoint being written";
    }
  }

  /** {@code JOB_TASK} to squeue state for this user's array tasks; null without squeue. */
  private static Map<String, String> queue(Path dir) throws IOException, InterruptedException {
    Optional<SlurmCommands.Result> r = SlurmCommands.run(dir, "squeue", "--me", "-h", "-r",
        "-o", "%F|%K|%T");
    if (r.isEmpty()) {
      return null;
    }
    if (r.get().status() != 0) {
      throw new IOException("squeue failed: " + r.get().lastLine());
    }
    Map<String, String> m = new HashMap<>();
    for (String line : r.get().out().lines().toList()) {
      String[] c = line.strip().split("\\|");
      if (c.length == 3) {
        m.put(c[0] + "_" + c[1], c[2]);
      }
    }
    return m;
  }

  /**
   * {@code JOB_TASK} to sacct state of the submitted jobs; empty when sacct is missing or
   * accounting is off.
   */
  private static Map<String, String> accounting(Path dir, Map<String, String> submitted)
      throws IOException, InterruptedException {
    String jobs = String.join(",", submitted.values().stream()
        .map(t -> t.substring(0, t.indexOf('_'))).distinct().toList());
    Optional<SlurmCommands.Result> r = SlurmCommands.run(dir, "sacct", "-n", "-P", "-X", "-j",
        jobs, "-o", "JobID,State");
    Map<String, String> m = new HashMap<>();
    if (r.isPresent() && r.get().status() == 0) {
      for (String line : r.get().out().lines().toList()) {
        String[] c = line.strip().split("\\|");
        if (c.length == 2 && c[0].matches("\\d+_\\d+")) {
          m.put(c[0], "sacct: " + c[1].toLowerCase(Locale.ROOT));
        }
      }
    }
    return m;
  }
}
