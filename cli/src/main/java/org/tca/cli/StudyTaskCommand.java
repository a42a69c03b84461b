package org.tca.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.tca.rules.BuildInfo;
import org.tca.rules.task.Task;
import org.tca.rules.train.TrainingStateFile;
import org.tca.study.RunPlan;
import org.tca.study.RunRecord;
import org.tca.study.StudyRunner;
import org.tca.study.StudySpec;
import org.tca.study.StudySummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tca study-task DIR RUN...} (hidden): what one Slurm array task runs. Trains the given
 * runs of the study in DIR ({@code spec.json}) with {@code SLURM_CPUS_PER_TASK} threads (1 when
 * unset) exactly as {@code tca study} would: run files written atomically into {@code runs/},
 * checkpoints into {@code state/}, and a run with a checkpoint (a requeued or resubmitted task)
 * resumes from it. It holds the study's lock shared (a local {@code tca study} in DIR excludes
 * it) and each run's {@link RunLocks lock} (a run another task is training is skipped). When
 * every run of the study is done it writes the outputs ({@code runs.csv}, {@code summary.json},
 * figures, {@code report.md}).
 */
@Command(name = "study-task", hidden = true,
    description = "Run some runs of a study directory (what a Slurm array task of 'tca study"
        + " --slurm' runs).")
final class StudyTaskCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "DIR", description = "The study directory.")
  Path dir;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "RUN", description = "Run ids.")
  List<String> ids;

  @Option(names = "--allow-code-change", description = "Run with other engine code than the"
      + " study was started with.")
  boolean allowCodeChange;

  @Spec CommandSpec spec;

  @Override
  @SuppressWarnings("try") // the lock is held by the try, never referenced
  public Integer call() throws IOException, InterruptedException {
    Path d = dir.toAbsolutePath().normalize();
    StudySpec s = ReportCommand.readSpec(d, dir);
    String then = JsonFiles.readTree(d.resolve("spec.json")).path("code").path("source_sha256")
        .asText(BuildInfo.UNKNOWN);
    if (!allowCodeChange && !then.equals(BuildInfo.sourceSha256())) {
      throw new UsageException(dir + " was started by other engine code (sources sha256 " + then
          + " there, " + BuildInfo.sourceSha256() + " here): the nodes must run the build"
          + " that submitted the study");
    }
    List<String> planned = s.plans().stream().map(RunPlan::id).toList();
    for (String id : ids) {
      if (!planned.contains(id)) {
        throw new UsageException("run '" + id + "' is not in the study in " + dir);
      }
    }
    int threads = threads(System.getenv("SLURM_CPUS_PER_TASK"));
    Map<String, Task> tasks = StudyCommand.tasks(s);
    PrintWriter out = spec.commandLine().getOut();
    String who = String.format(Locale.ROOT, "tca study-task (job %s, task %s)",
        System.getenv().getOrDefault("SLURM_ARRAY_JOB_ID", "-"),
        System.getenv().getOrDefault("SLURM_ARRAY_TASK_ID", "-"));
    try (FileChannel ch = FileChannel.open(d.resolve(".lock"), StandardOpenOption.CREATE,
            StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock = SlurmSubmit.shared(ch, d); RunLocks locks = new RunLocks()) {
      List<String> mine = locks.claim(d, ids);
      for (String id : ids) {
        if (!mine.contains(id)) {
          out.println(who + ": run " + id + " is being trained by another task; skipped");
        }
      }
      for (String id : mine) {
        sweepTemporaries(d, id);
        Path state = d.resolve("state").resolve(id + ".state");
        if (Files.exists(state) && !Files.exists(d.resolve("runs").resolve(id + ".json"))) {
          out.println(who + ": run " + id + " resumes from its checkpoint at iteration "
              + TrainingStateFile.read(state).iteration());
        }
      }
      out.printf(Locale.ROOT, "%s: training %d runs with %d threads%n", who, mine.size(),
          threads);
      out.flush();
      StudyRunner runner = new StudyRunner(s, tasks, d.resolve("state"),
          new StudyRunJson(d.resolve("runs"), BuildInfo.sourceSha256()), threads).only(mine);
      runner.run(new StudyRunner.Listener() {
        @Override
        public void finished(RunRecord r) {
          synchronized (out) {
            out.printf(Locale.ROOT, "%s: run %s %s (gap %s)%n", who, r.id(), r.status().id(),
                StudyOutputs.fmt(r.gap()));
            out.flush();
          }
        }
      });
      List<RunRecord> all = ReportCommand.read(d, s);
      if (all.size() == planned.size()) {
        StudyOutputs.writeAll(d, s, all, StudySummary.of(all), StudyOutputs.FIGURES,
            spec.commandLine().getErr());
        out.printf(Locale.ROOT, "%s: all %d runs of the study are done: wrote %s/{runs.csv,"
            + " summary.json, report.md}%n", who, all.size(), d);
      }
    }
    return 0;
  }

  /** Threads from {@code SLURM_CPUS_PER_TASK}: 1 when unset. */
  static int threads(String cpus) {
    if (cpus == null || cpus.isBlank()) {
      return 1;
    }
    try {
      int k = Integer.parseInt(cpus.strip());
      if (k >= 1) {
        return k;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("SLURM_CPUS_PER_TASK must be a positive integer, got '" + cpus
        + "'");
  }

  /**
   * Deletes the temporaries ({@code .ID.state.*.tmp}, {@code .ID.json.*.tmp}) that a killed
   * task left while writing run {@code id} atomically; safe while this task holds its lock.
   */
  private static void sweepTemporaries(Path d, String id) throws IOException {
    for (Path sub : List.of(d.resolve("state"), d.resolve("runs"))) {
      if (!Files.isDirectory(sub)) {
        continue;
      }
      try (Stream<Path> files = Files.list(sub)) {
        for (Path p : files.toList()) {
          String n = p.getFileName().toString();
          if ((n.startsWith("." + id + ".state.") || n.startsWith("." + id + ".json."))
              && n.endsWith(".tmp")) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
  }
}
