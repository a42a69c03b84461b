package org.tca.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tca.rules.learning.FloatRules;
import org.tca.rules.learning.RuleOptions;
import org.tca.rules.task.Task;
import org.tca.study.Leaderboard;
import org.tca.study.LeaderboardPresets;
import org.tca.study.RuleTiming;
import org.tca.study.RunPlan;
import org.tca.study.RunRecord;
import org.tca.study.StudySpec;
import org.tca.study.StudyTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tca leaderboard}: a study of rules x tasks x seeds ({@link LeaderboardPresets}) run
 * exactly as {@code tca study} runs one (same directory, lock, resume, determinism, progress and
 * outputs), plus {@code leaderboard.csv}, {@code leaderboard.md} and the rules x tasks heatmaps
 * ({@link LeaderboardOutputs}). After the runs, each rule's steps per second on each task is
 * timed ({@link RuleTiming}, a machine figure kept in the last CSV column only; --no-timing
 * skips it).
 */
@Command(name = "leaderboard", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Rank learning rules on a suite of tasks: test accuracy, generalization gap,"
        + " lambda_max, gradient cosine to BPTT, speed and memory per rule x task. Presets:"
        + " smoke (CI, minutes), standard (the published one), tiny (seconds).")
final class LeaderboardCommand implements Callable<Integer> {

  /** Seconds of thread CPU time each rule x task is timed for (after as long a warm-up). */
  static final double TIMING_SECONDS = 0.2;

  @Option(names = "--preset", required = true, paramLabel = "NAME",
      description = "smoke, standard or tiny.")
  String preset;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Leaderboard directory (created; an existing one of the same preset resumes).")
  Path out;

  @Option(names = "--threads", paramLabel = "K",
      description = "Threads (default: all cores; results do not depend on it).")
  Integer threads;

  @Option(names = {"-q", "--quiet"}, description = "No progress output.")
  boolean quiet;

  @Option(names = "--no-figures", description = "Write no figures.")
  boolean noFigures;

  @Option(names = "--no-timing", description = "Do not time the rules (steps_per_second NaN).")
  boolean noTiming;

  @Option(names = "--allow-code-change", description = "Resume a leaderboard started by"
      + " different engine code.")
  boolean allowCodeChange;

  @Option(names = "--dry-run", description = "Validate, print the grid and an estimate of its"
      + " training time on this machine (from a short timing of each rule); write nothing.")
  boolean dryRun;

  @picocli.CommandLine.Mixin SlurmOptions slurm = new SlurmOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    StudySpec s;
    try {
      s = LeaderboardPresets.create(preset);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--preset: " + e.getMessage());
    }
    StudyCommand study = new StudyCommand();
    study.out = out;
    study.threads = threads;
    study.quiet = quiet;
    study.noFigures = noFigures;
    study.dryRun = dryRun;
    study.allowCodeChange = allowCodeChange;
    study.spec = spec;
    study.slurm = slurm;
    int rc = study.execute(s, this::write);
    if (slurm.slurm) {
      if (!dryRun && rc == 0) {
        spec.commandLine().getOut().printf("when every run is done, 'tca leaderboard --preset %s"
            + " --out %s' writes the leaderboard (the runs are not trained again)%n", preset, out);
      }
      return rc;
    }
    if (dryRun) {
      printEstimate(spec.commandLine().getOut(), s, StudyCommand.tasks(s),
          threads == null ? Runtime.getRuntime().availableProcessors() : threads);
    }
    return rc;
  }

  private List<Path> write(Path dir, StudySpec s, Map<String, Task> tasks,
      List<RunRecord> records) throws IOException {
    Map<String, Double> steps = new LinkedHashMap<>();
    if (!noTiming) {
      for (StudyTask t : s.tasks()) {
        for (String rule : s.rules()) {
          steps.put(t.id() + "/" + rule, RuleTiming.stepsPerSecond(s, tasks.get(t.id()), rule,
              TIMING_SECONDS));
        }
      }
    }
    Leaderboard lb = Leaderboard.of(s, tasks, records, (rule, task) -> stateBytes(s, rule, task));
    return LeaderboardOutputs.write(dir, s, lb, steps, !noFigures,
        spec.commandLine().getErr());
  }

  /** Bytes of learning state per sample of {@code rule} on {@code task}. */
  static long stateBytes(StudySpec s, String rule, Task task) {
    return FloatRules.create(rule, s.model(task), RuleOptions.defaults().withWindow(s.window()),
        s.floatKernels()).stateBytesPerSample(task.steps());
  }

  /**
   * The training time estimate: each run's iterations at its rule's timed steps per second (one
   * thread), summed and divided by the runs in parallel; checkpoint evaluations and curvature
   * come on top.
   */
  private static void printEstimate(PrintWriter w, StudySpec s, Map<String, Task> tasks,
      int threads) {
    Map<String, Double> rate = new LinkedHashMap<>();
    double seconds = 0;
    for (RunPlan p : s.plans()) {
      double r = rate.computeIfAbsent(p.task().id() + "/" + p.rule(),
          k -> RuleTiming.stepsPerSecond(s, tasks.get(p.task().id()), p.rule(), 0.05));
      seconds += p.iterations() / r;
    }
    w.printf(Locale.ROOT, "estimated training time on this machine: %.0f s of one thread's CPU,"
        + " about %s on %d threads (without the checkpoint evaluations and curvature)%n",
        seconds, duration(seconds / Math.min(threads, s.plans().size())), threads);
    w.flush();
  }

  /** A wall time in the unit that reads best: seconds, minutes or hours. */
  static String duration(double seconds) {
    return seconds < 90 ? String.format(Locale.ROOT, "%.0f s", seconds)
        : seconds < 90 * 60 ? String.format(Locale.ROOT, "%.1f min", seconds / 60)
        : String.format(Locale.ROOT, "%.1f h", seconds / 3600);
  }
}
