package org.tca.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tca.rules.BuildInfo;
import org.tca.rules.learning.RuleOptions;
import org.tca.rules.spiking.FloatSpikingRules;
import org.tca.study.RunPlan;
import org.tca.study.RunRecord;
import org.tca.study.StudyPresets;
import org.tca.study.StudyRunner;
import org.tca.study.StudySpec;
import org.tca.study.StudySummary;
import org.tca.study.StudyTask;
import org.tca.rules.task.Task;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.train.MemoryEstimate;
import org.tca.rules.train.TrainerConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tca study}: runs a grid of tasks x rules x learning-rate settings x seeds, in
 * parallel (up to K runs at a time on one shared pool of K threads), and writes into --out: {@code spec.json}, {@code runs/ID.json}
 * per finished run, {@code runs.csv}, {@code summary.json}, {@code figures/} and
 * {@code report.md}. Re-running on the same --out resumes: finished runs are skipped and
 * interrupted runs continue from their last checkpoint ({@code state/ID.state}). A lock file
 * ({@code .lock}, held with {@link FileChannel#tryLock}) keeps a second process out. Everything
 * is validated (preset or config, rules, task, data) before anything is written.
 */
@Command(name = "study", mixinStandardHelpOptions = true, sortOptions = false,
    subcommands = StudyStatusCommand.class,
    description = "Run a study: tasks x rules x learning rates x seeds, with curvature, statistics,"
        + " figures and a report; --preset quick is the default job.")
final class StudyCommand implements Callable<Integer> {

  /** The preset names, from {@link StudyPresets#NAMES} (so the help cannot miss one). */
  static final class PresetNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return StudyPresets.NAMES.iterator();
    }
  }

  static final class Source {
    @Option(names = "--preset", paramLabel = "NAME", completionCandidates = PresetNames.class,
        description = "A built-in study: ${COMPLETION-CANDIDATES}.")
    String preset;

    @Option(names = "--config", paramLabel = "FILE", description = "A study config (JSON; keys in study-config.schema.json, see the"
        + " README's 'Study configs').")
    Path config;
  }

  // Not required to picocli, which would demand them of 'tca study status DIR' too: call() checks.
  @ArgGroup(exclusive = true, multiplicity = "0..1") Source source;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Study directory (created; an existing one of the same study resumes).")
  Path out;

  @Option(names = "--threads", paramLabel = "K",
      description = "Threads: runs in parallel, and the threads no run needs work inside the"
          + " runs in flight (default: all cores; results do not depend on it).")
  Integer threads;

  @Option(names = "--data", paramLabel = "DIR",
      description = "MNIST IDX directory (sMNIST studies).")
  Path data;

  @Option(names = {"-q", "--quiet"}, description = "No progress output.")
  boolean quiet;

  @Option(names = "--allow-code-change", description = "Resume a study that was started by"
      + " different engine code (its spec.json records the code; each run file records the code"
      + " that produced it).")
  boolean allowCodeChange;

  @Option(names = "--no-figures", description = "Write no figures (the report says so; a later"
      + " 'tca report DIR' draws them).")
  boolean noFigures;

  @Option(names = "--dry-run",
      description = "Validate everything and print the grid (runs, iterations); write nothing.")
  boolean dryRun;

  @picocli.CommandLine.Mixin SlurmOptions slurm = new SlurmOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (source == null || out == null) {
      throw new UsageException("Missing required option" + (source == null
          ? ": '--preset=NAME' or '--config=FILE'" : ": '--out=DIR'"));
    }
    return execute(resolve(source.preset, source.config,
        data == null ? null : data.toAbsolutePath().normalize()), null);
  }

  /** More outputs of a study directory, written after the study's own, under its lock. */
  @FunctionalInterface
  interface MoreOutputs {
    /** Writes them from the finished runs; returns the figure files written. */
    List<Path> write(Path dir, StudySpec s, Map<String, Task> tasks, List<RunRecord> records)
        throws IOException;
  }

  /**
   * Runs study {@code s} with this command's options (--out, --threads, -q, --no-figures,
   * --dry-run, --allow-code-change): validation, lock, resume, progress, the study's outputs,
   * then {@code more} (null: none; tca leaderboard adds its own).
   */
  @SuppressWarnings("try") // the lock is held by the try, never referenced
  Integer execute(StudySpec s, MoreOutputs more) throws IOException, InterruptedException {
    Map<String, Task> tasks = tasks(s);
    int k = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (k < 1) {
      throw new UsageException("--threads must be >= 1, got " + k);
    }
    checkMemory(s, tasks, k);
    Path dir = out.toAbsolutePath().normalize();
    slurm.check(threads != null);
    if (slurm.slurm) {
      return SlurmSubmit.submit(s, dir, slurm, dryRun, checkOut(dir, s),
          spec.commandLine().getOut(), spec.commandLine().getErr());
    }
    if (dryRun) {
      printPlan(spec.commandLine().getOut(), s, k);
      return 0;
    }
    boolean codeChanged = checkOut(dir, s);
    String specJson = JsonFiles.string(StudyConfig.toJson(s, BuildInfo.asMap()));
    Path specFile = dir.resolve("spec.json");
    Files.createDirectories(dir);
    long t0 = System.nanoTime();
    List<RunRecord> records;
    try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE); FileLock lock = lock(ch)) {
      if (!Files.exists(specFile)) {
        StudyOutputs.writeText(specFile, specJson + "\n");
      }
      sweepTemporaries(dir);
      if (codeChanged) {
        spec.commandLine().getErr().println("tca study: warning: resuming with different engine"
            + " code (--allow-code-change); each run file records the code that produced it");
        spec.commandLine().getErr().flush();
      }
      StudyRunner runner = new StudyRunner(s, tasks, dir.resolve("state"),
          new StudyRunJson(dir.resolve("runs"), BuildInfo.sourceSha256()), k);
      try (StudyProgress bar = new StudyProgress(spec.commandLine().getErr(), quiet);
          InterruptHint hint = InterruptHint.hold(spec.commandLine().getErr(), "tca "
              + spec.name() + ": interrupted; run the same command again to resume (finished"
              + " runs are kept, the others continue from their last checkpoint)")) {
        records = runner.run(bar);
      }
      StudySummary summary = StudySummary.of(records);
      List<Path> figures = new java.util.ArrayList<>(StudyOutputs.writeAll(dir, s, records,
          summary, noFigures ? null : StudyOutputs.FIGURES, spec.commandLine().getErr()));
      if (more != null) {
        figures.addAll(more.write(dir, s, tasks, records));
      }
      PrintWriter w = spec.commandLine().getOut();
      w.printf(Locale.ROOT, "tca %s %s: %d runs (%d threads) in %.1f s%n", spec.name(), s.name(),
          records.size(), k, (System.nanoTime() - t0) * 1e-9);
      ReportCommand.printSummary(w, dir, summary, figures.size());
    }
    return 0;
  }

  /**
   * Checks that {@code dir} is new, empty or a directory of this same study; returns whether
   * that study was started by other engine code (a usage error unless --allow-code-change).
   */
  private boolean checkOut(Path dir, StudySpec s) throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new UsageException("--out " + out + " exists and is not a directory");
    }
    Path specFile = dir.resolve("spec.json");
    if (!Files.exists(specFile)) {
      if (Files.isDirectory(dir) && !isEmpty(dir)) {
        throw new UsageException("--out " + out + " is not empty and is not a study directory");
      }
      return false;
    }
    String diff = difference(specFile, s);
    if (diff != null) {
      throw new UsageException("--out " + out + " holds a different study (its spec.json"
          + " differs in " + diff + "); choose another --out");
    }
    String then = engineOf(specFile);
    boolean changed = !then.equals(BuildInfo.sourceSha256());
    if (changed && !allowCodeChange) {
      throw new UsageException("--out " + out + " was started by different engine code"
          + " (sources sha256 " + brief(then) + " there, " + brief(BuildInfo.sourceSha256())
          + " now), so its runs would mix code versions; finish it with that build, choose"
          + " another --out, or pass --allow-code-change");
    }
    return changed;
  }

  /** The engine sources hash recorded in a spec.json ("unknown" when absent). */
  private static String engineOf(Path specFile) throws IOException {
    return JsonFiles.readTree(specFile).path("code").path("source_sha256")
        .asText(BuildInfo.UNKNOWN);
  }

  private static String brief(String sha) {
    return sha.length() > 12 ? sha.substring(0, 12) + "..." : sha;
  }

  /**
   * Deletes the temporaries ({@code .NAME....tmp}) that a killed process left while writing
   * atomically; safe while this process holds the study's lock, the only writer.
   */
  private static void sweepTemporaries(Path dir) throws IOException {
    try (var files = Files.walk(dir, 3)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        String n = p.getFileName().toString();
        if (n.startsWith(".") && n.endsWith(".tmp")) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** Null when {@code file} holds {@code s}, else the first differing key and both values. */
  private static String difference(Path file, StudySpec s) {
    StudySpec old;
    try {
      old = StudyConfig.parse(JsonFiles.readTree(file), null);
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException("--out holds an unreadable " + file + ": " + e.getMessage());
    }
    if (old.equals(s)) {
      return null;
    }
    Map<String, Object> a = StudyConfig.toJson(old, null);
    Map<String, Object> b = StudyConfig.toJson(s, null);
    for (String key : a.keySet()) {
      String va = JsonFiles.string(a.get(key));
      String vb = JsonFiles.string(b.get(key));
      if (!va.equals(vb)) {
        return "'" + key + "': " + shorten(va) + " there, " + shorten(vb) + " now";
      }
    }
    return "its values";
  }

  private static String shorten(String json) {
    String one = json.replaceAll("\\s+", " ");
    return one.length() <= 60 ? one : one.substring(0, 57) + "...";
  }

  /**
   * Refuses a study whose largest run, times the runs in parallel, will not fit in the heap
   * ({@link MemoryEstimate}; each run may use up to K threads of the shared pool, so its
   * workspaces are counted for min(K, shards) threads), with the datasets of all its tasks.
   */
  private static void checkMemory(StudySpec s, Map<String, Task> tasks, int threads) {
    MemoryEstimate most = new MemoryEstimate(0, 0, 0, 0);
    long datasets = 0;
    try {
      TrainerConfig one = TrainerConfig.builder().batchSize(s.batch())
          .optimizer(s.optimizer()).threads(threads).trainEvalSize(s.evalTrain())
          .testEvalSize(s.evalTest()).evalShifted(true).build();
      for (StudyTask t : s.tasks()) {
        Task task = tasks.get(t.id());
        datasets += MemoryEstimate.datasetBytes(task, true);
        for (String rule : s.rules()) {
          ModelConfig m = s.model(t, task);
          MemoryEstimate e = s.isSpiking()
              ? MemoryEstimate.of(FloatSpikingRules.create(rule, s.spiking().config(m),
                  RuleOptions.defaults().withWindow(s.window())), one, task)
              : MemoryEstimate.of(m, rule, one, task);
          e = e.withDatasetBytes(0); // the largest run; the datasets are added once below
          most = e.totalBytes() > most.totalBytes() ? e : most;
        }
      }
      int parallel = Math.min(threads, s.plans().size());
      // every task's datasets are held at once, shared by the runs
      most.times(parallel).withDatasetBytes(datasets).check(parallel == 1 ? "this study"
          : "this study (" + parallel + " runs in parallel, --threads)",
          Runtime.getRuntime().maxMemory());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** The grid: one line per task x setting x rule, and the totals. */
  private static void printPlan(PrintWriter w, StudySpec s, int threads) {
    List<RunPlan> plans = s.plans();
    long total = plans.stream().mapToLong(RunPlan::iterations).sum();
    w.printf(Locale.ROOT, "study %s: %d runs, %d iterations in all, %d in parallel%n", s.name(),
        plans.size(), total, threads);
    Map<String, Long> groups = new java.util.LinkedHashMap<>();
    for (RunPlan p : plans) {
      groups.merge(String.format(Locale.ROOT, "  %-24s %-14s %-24s %8d iterations x", p.task()
          .id(), p.rule(), p.setting().label(), p.iterations()), 1L, Long::sum);
    }
    groups.forEach((line, n) -> w.printf(Locale.ROOT, "%s %d seeds%n", line, n));
    w.flush();
  }

  private static FileLock lock(FileChannel ch) throws IOException {
    FileLock l = TrainResume.tryLock(ch);
    if (l == null) {
      throw new UsageException("another tca study is running in this --out directory (its lock"
          + " file .lock is held); wait for it to finish or choose another --out");
    }
    return l;
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  /** The spec of a preset or config file; every problem is a {@link UsageException}. */
  static StudySpec resolve(String preset, Path config, Path data) {
    if (data != null && !Files.isDirectory(data)) {
      throw new UsageException("--data " + data + " does not exist or is not a directory (get"
          + " MNIST with 'tca data mnist --to DIR')");
    }
    if (config != null) {
      return StudyConfig.read(config, data);
    }
    try {
      return StudyPresets.create(preset, data);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** Builds the tasks and checks the model, rules and sizes fit each. */
  static Map<String, Task> tasks(StudySpec s) {
    try {
      return s.createTasks();
    } catch (IllegalArgumentException | IOException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
