package org.tca.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.FloatRules;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.task.Task;
import org.tca.rules.task.TaskDefaults;
import org.tca.rules.train.RunStatus;
import org.tca.rules.train.Trainer;
import org.tca.rules.train.TrainerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Unmatched;

/**
 * {@code tca bench}: milliseconds per training iteration (sample, gather, the rule's update on
 * the minibatch, optimizer step) at steady state, for side-by-side comparisons with other tools.
 * It warms up in windows of about {@value #WINDOW_SECONDS} s until the last {@value #STEADY}
 * window means agree within {@code --tolerance} (and at least {@code --warmup-seconds} have
 * passed; at most {@code --max-warmup-seconds}), then times every iteration for
 * {@code --seconds} (and at least {@code --iters} iterations) and reports the median, the 10th
 * and 90th percentiles and the mean. GFLOP/s counts the nominal work of one BPTT iteration,
 * 3 x the forward pass: forward = 2 T B (N_in N + N N) + 2 L B N N_out with L loss steps,
 * whatever the rule (so the figures of different rules compare their speed on the same model,
 * not their own flop counts), at the median time.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Time training iterations at steady state (median ms per iteration, spread,"
        + " nominal GFLOP/s).")
final class BenchCommand implements Callable<Integer> {

  static final double WINDOW_SECONDS = 0.2;
  static final int STEADY = 3;

  @Mixin ModelOptions model;

  @Option(names = "--batch", paramLabel = "B", description = "Minibatch size (default: per task).")
  Integer batch;

  @Option(names = "--threads", defaultValue = "1", paramLabel = "K",
      description = "Worker threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--shards", defaultValue = "0", paramLabel = "S",
      description = "Minibatch shards (default: 0, the automatic choice for B).")
  int shards;

  @Option(names = "--iters", defaultValue = "20", paramLabel = "N",
      description = "Timed iterations at least (default: ${DEFAULT-VALUE}).")
  int iters;

  @Option(names = "--seconds", defaultValue = "2", paramLabel = "S",
      description = "Timed seconds at least (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--warmup-seconds", defaultValue = "1", paramLabel = "S",
      description = "Warm-up seconds at least (default: ${DEFAULT-VALUE}).")
  double warmupSeconds;

  @Option(names = "--max-warmup-seconds", defaultValue = "60", paramLabel = "S",
      description = "Give up waiting for a steady figure after this long and say so"
          + " (default: ${DEFAULT-VALUE}).")
  double maxWarmupSeconds;

  @Option(names = "--tolerance", defaultValue = "0.03", paramLabel = "F",
      description = "Steady when the last window means agree within this fraction"
          + " (default: ${DEFAULT-VALUE}).")
  double tolerance;

  @Option(names = "--json", description = "Print one JSON object (keys include ms_per_iter, gflops).")
  boolean json;

  @Unmatched List<String> unmatched = new ArrayList<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (iters < 1 || threads < 1 || shards < 0 || !(seconds >= 0) || !(warmupSeconds >= 0)
        || !(maxWarmupSeconds >= warmupSeconds) || !(tolerance > 0)) {
      throw new UsageException("--iters and --threads must be >= 1, --shards >= 0, --seconds and"
          + " --warmup-seconds >= 0, --max-warmup-seconds >= --warmup-seconds, --tolerance > 0");
    }
    model.requireRate("tca bench");
    TaskDefaults d = model.defaults();
    Task task = model.task(unmatched);
    ModelConfig mc = model.model(task);
    FloatLearningRule rule;
    TrainerConfig cfg;
    try {
      rule = FloatRules.create(model.rule, mc, model.ruleOptions());
      int b = batch == null ? d.batch() : batch;
      // checkpoints never come: the run is stopped long before its nominal end
      cfg = TrainerConfig.builder().iterations(Long.MAX_VALUE / 4).batchSize(b).checkpoints(1)
          .seed(model.seed).learningRate(1e-6).threads(threads).shards(shards).evalBatch(b)
          .trainEvalSize(b).testEvalSize(Math.min(b, task.test().size())).evalShifted(false)
          .build();
    } catch (IllegalArgumentException e) {
      throw TrainerFlags.usage(e);
    }
    Timing timing;
    RunStatus status;
    try (Trainer trainer = new Trainer(task, rule, FloatParameters.initialize(mc, model.seed), cfg,
        List.of())) {
      timing = measure(trainer);
      status = timing.diverged ? RunStatus.DIVERGED : RunStatus.OK;
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    long lossSteps = 0;
    for (float m : task.lossMask()) {
      lossSteps += m != 0f ? 1 : 0;
    }
    int n = mc.hidden();
    double forward = 2.0 * task.steps() * cfg.batchSize()
        * ((double) mc.inputs() * n + (double) n * n)
        + 2.0 * lossSteps * cfg.batchSize() * n * mc.outputs();
    double gflops = 3 * forward / (timing.median * 1e6);
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("task", task.name());
    f.put("rule", rule.id());
    f.put("hidden", n);
    f.put("inputs", mc.inputs());
    f.put("steps", task.steps());
    f.put("batch", cfg.batchSize());
    f.put("threads", threads);
    f.put("shards", cfg.effectiveShards());
    f.put("iters", timing.times.length);
    f.put("warmup_iters", timing.warmupIters);
    f.put("warmup_seconds", timing.warmupSeconds);
    f.put("steady", timing.steady);
    f.put("status", status.name().toLowerCase(Locale.ROOT));
    f.put("ms_per_iter", timing.median);
    f.put("ms_p10", timing.p10);
    f.put("ms_p90", timing.p90);
    f.put("ms_mean", timing.mean);
    f.put("gflops", gflops);
    var out = spec.commandLine().getOut();
    if (json) {
      out.println(JsonFiles.line(f));
    } else {
      out.printf(Locale.ROOT, "tca bench: %s, rule %s, N=%d, N_in=%d, T=%d, B=%d, %d thread(s),"
          + " %d shard(s)%n", task.name(), rule.id(), n, mc.inputs(), task.steps(),
          cfg.batchSize(), threads, cfg.effectiveShards());
      out.printf(Locale.ROOT, "%.4f ms per iteration (median; 10-90%%: %.4f-%.4f, mean %.4f),"
          + " %.1f GFLOP/s (nominal BPTT work)%n", timing.median, timing.p10, timing.p90,
          timing.mean, gflops);
      out.printf(Locale.ROOT, "%d timed iterations after %d warm-up iterations (%.1f s)%s%n",
          timing.times.length, timing.warmupIters, timing.warmupSeconds,
          timing.steady ? "" : "; NOT STEADY: the window means still moved by more than "
              + tolerance * 100 + "% after --max-warmup-seconds (a loaded machine?)");
    }
    out.flush();
    return 0;
  }

  /** What {@link #measure} found: per-iteration times in ms and their summary. */
  private record Timing(double[] times, double median, double p10, double p90, double mean,
      long warmupIters, double warmupSeconds, boolean steady, boolean diverged) {}

  private Timing measure(Trainer trainer) {
    long start = System.nanoTime();
    // the iterations in one window, from the first ones (which also start the JIT)
    long done = 0;
    while (System.nanoTime() - start < WINDOW_SECONDS * 0.25e9) {
      if (!step(trainer, ++done)) {
        return diverged();
      }
    }
    long window = Math.max(1, Math.round(done * 4.0));
    double[] means = new double[STEADY];
    int windows = 0;
    boolean steady = false;
    while (true) {
      long t0 = System.nanoTime();
      done += window;
      if (!step(trainer, done)) {
        return diverged();
      }
      means[windows++ % STEADY] = (System.nanoTime() - t0) * 1e-6 / window;
      double elapsed = (System.nanoTime() - start) * 1e-9;
      if (windows >= STEADY && elapsed >= warmupSeconds) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (double m : means) {
          lo = Math.min(lo, m);
          hi = Math.max(hi, m);
        }
        if (hi - lo <= tolerance * lo) {
          steady = true;
          break;
        }
      }
      if (elapsed >= maxWarmupSeconds) {
        break;
      }
    }
    double warmup = (System.nanoTime() - start) * 1e-9;
    long warmupIters = done;
    int cap = Math.max(iters, (int) Math.min(10_000_000, window * (seconds / WINDOW_SECONDS) * 2
        + iters));
    // every iteration's end, stamped by the progress listener; the trainer runs a window per call
    long[] stamps = new long[cap + 1];
    int[] count = {1};
    trainer.onProgress((i, n, loss) -> {
      if (count[0] < stamps.length) {
        stamps[count[0]++] = System.nanoTime();
      }
    });
    stamps[0] = System.nanoTime();
    while (count[0] - 1 < cap
        && (count[0] - 1 < iters || stamps[count[0] - 1] - stamps[0] < seconds * 1e9)) {
      done += Math.min(window, cap - (count[0] - 1));
      if (!step(trainer, done)) {
        return diverged();
      }
    }
    int m = count[0] - 1;
    double[] times = new double[m];
    for (int i = 0; i < m; i++) {
      times[i] = (stamps[i + 1] - stamps[i]) * 1e-6;
    }
    long t0 = stamps[0];
    long last = stamps[m];
    double mean = (last - t0) * 1e-6 / m;
    double[] sorted = times.clone();
    Arrays.sort(sorted);
    return new Timing(times, quantile(sorted, 0.5), quantile(sorted, 0.1), quantile(sorted, 0.9),
        mean, warmupIters, warmup, steady, false);
  }

  private static boolean step(Trainer trainer, long target) {
    return trainer.runUntil(target).status() != RunStatus.DIVERGED;
  }

  private static Timing diverged() {
    return new Timing(new double[0], Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, false,
        true);
  }

  /** The q-quantile of sorted values (linear between order statistics). */
  static double quantile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int i = (int) Math.floor(pos);
    int j = Math.min(sorted.length - 1, i + 1);
    return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
  }
}
