package org.tca.cli;

import java.util.ArrayList;
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
 * the minibatch, SGD step) after a warm-up, for side-by-side comparisons with other tools.
 * GFLOP/s counts the nominal work of one BPTT iteration, 3 x the forward pass:
 * forward = 2 T B (N_in N + N N) + 2 L B N N_out with L loss steps, whatever the rule (so the
 * figures of different rules compare their speed on the same model, not their own flop counts).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Time training iterations (ms per iteration and nominal GFLOP/s) after a warm-up.")
final class BenchCommand implements Callable<Integer> {

  @Mixin ModelOptions model;

  @Option(names = "--batch", paramLabel = "B", description = "Minibatch size (default: per task).")
  Integer batch;

  @Option(names = "--threads", defaultValue = "1", paramLabel = "K",
      description = "Worker threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--iters", defaultValue = "50", paramLabel = "N",
      description = "Timed iterations (default: ${DEFAULT-VALUE}).")
  int iters;

  @Option(names = "--warmup", defaultValue = "20", paramLabel = "N",
      description = "Untimed iterations first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--json", description = "Print one JSON object (keys include ms_per_iter, gflops).")
  boolean json;

  @Unmatched List<String> unmatched = new ArrayList<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (iters < 1 || warmup < 0 || threads < 1) {
      throw new UsageException("--iters and --threads must be >= 1 and --warmup >= 0");
    }
    TaskDefaults d = model.defaults();
    Task task = model.task(unmatched);
    ModelConfig mc = model.model(task);
    FloatLearningRule rule;
    TrainerConfig cfg;
    try {
      rule = FloatRules.create(model.rule, mc, model.ruleOptions());
      int b = batch == null ? d.batch() : batch;
      // One checkpoint (at the end, outside the timed window), evaluated on one batch only.
      cfg = TrainerConfig.builder().iterations(warmup + (long) iters).batchSize(b).checkpoints(1)
          .seed(model.seed).learningRate(1e-6).threads(threads).evalBatch(b).trainEvalSize(b)
          .testEvalSize(Math.min(b, task.test().size())).evalShifted(false).build();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    long[] marks = new long[2];
    RunStatus status;
    try (Trainer trainer = new Trainer(task, rule, FloatParameters.initialize(mc, model.seed), cfg,
        List.of())) {
      trainer.onProgress((it, total, loss) -> {
        if (it == warmup) {
          marks[0] = System.nanoTime();
        }
        if (it == total) {
          marks[1] = System.nanoTime();
        }
      });
      marks[0] = System.nanoTime(); // for --warmup 0
      status = trainer.run().status();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    double ms = (marks[1] - marks[0]) * 1e-6 / iters;
    long lossSteps = 0;
    for (float m : task.lossMask()) {
      lossSteps += m != 0f ? 1 : 0;
    }
    int n = mc.hidden();
    double forward = 2.0 * task.steps() * cfg.batchSize() * ((double) mc.inputs() * n + (double) n * n)
        + 2.0 * lossSteps * cfg.batchSize() * n * mc.outputs();
    double gflops = 3 * forward / (ms * 1e6);
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("task", task.name());
    f.put("rule", rule.id());
    f.put("hidden", n);
    f.put("inputs", mc.inputs());
    f.put("steps", task.steps());
    f.put("batch", cfg.batchSize());
    f.put("threads", threads);
    f.put("iters", iters);
    f.put("warmup", warmup);
    f.put("status", status.name().toLowerCase(Locale.ROOT));
    f.put("ms_per_iter", ms);
    f.put("gflops", gflops);
    var out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.object(f));
    } else {
      out.printf(Locale.ROOT, "tca bench: %s, rule %s, N=%d, N_in=%d, T=%d, B=%d, %d thread(s)%n",
          task.name(), rule.id(), n, mc.inputs(), task.steps(), cfg.batchSize(), threads);
      out.printf(Locale.ROOT, "%.3f ms per iteration, %.1f GFLOP/s (nominal BPTT work), %d iterations"
          + " after %d warm-up%n", ms, gflops, iters, warmup);
    }
    out.flush();
    return 0;
  }
}
