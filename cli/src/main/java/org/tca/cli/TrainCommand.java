package org.tca.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.FloatRules;
import org.tca.rules.model.Block;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.model.PrecisionConversion;
import org.tca.rules.optim.LearningRateSchedule;
import org.tca.rules.optim.OptimizerSettings;
import org.tca.rules.spiking.SpikingCell;
import org.tca.rules.spiking.SpikingConfig;
import org.tca.rules.spiking.SpikingInitialization;
import org.tca.rules.spiking.FloatSpikingRules;
import org.tca.rules.task.Task;
import org.tca.rules.task.TaskDefaults;
import org.tca.rules.train.MemoryEstimate;
import org.tca.rules.train.RunResult;
import org.tca.rules.train.RunStatus;
import org.tca.rules.train.Trainer;
import org.tca.rules.train.TrainerConfig;
import org.tca.rules.train.TrajectoryPoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Unmatched;

/**
 * {@code tca train}: trains one network on one task with one rule, with a progress bar, and
 * writes {@code OUT/params/*.npy}, {@code OUT/model.json} (the {@link GradientDirectory} layout
 * without batch and gradient) and {@code OUT/metrics.json} ({@link MetricsJson}), all at once
 * when the run ends; then prints a summary. Results depend on the seed and the shard count, not
 * on --threads.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Train one RNN on one task with one learning rule; write parameters (.npy) "
        + "and metrics (JSON). Task parameters are flags too, e.g. --delay 50 --n-train 500.")
final class TrainCommand implements Callable<Integer> {

  @Mixin ModelOptions model;

  @Mixin SpikingOptions spikingOptions;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Output directory (must be new or empty unless --force).")
  Path out;

  @Option(names = "--force", description = "Replace a non-empty --out.")
  boolean force;

  @Option(names = "--restart", description = "Start over, discarding the state an interrupted"
      + " run of this --out saved (by default the same command resumes it).")
  boolean restart;

  @Option(names = "--stop-after-checkpoints", hidden = true, defaultValue = "-1",
      description = "Test hook: stop after saving this many checkpoints.")
  int stopAfterCheckpoints;

  @Option(names = "--batch", paramLabel = "B", description = "Minibatch size (default: per task).")
  Integer batch;

  @Option(names = "--lr", paramLabel = "ETA", description = "Learning rate (default: per task).")
  Double lr;

  @Option(names = "--optimizer", paramLabel = "OPT",
      description = "sgd, momentum, nesterov, adam (default: per task).")
  String optimizer;

  @Option(names = "--momentum", defaultValue = "0.9", paramLabel = "MU",
      description = "Momentum of momentum/nesterov (default: ${DEFAULT-VALUE}).")
  double momentum;

  @Option(names = "--iters", paramLabel = "N", description = "Iterations (default: per task).")
  Long iters;

  @Option(names = "--checkpoints", defaultValue = "11", paramLabel = "K",
      description = "Evaluation checkpoints, evenly spaced incl. start and end (default: "
          + "${DEFAULT-VALUE}).")
  int checkpoints;

  @Option(names = "--threads", paramLabel = "K",
      description = "Worker threads (default: all cores; results do not depend on it).")
  Integer threads;

  @Option(names = "--shards", defaultValue = "0", paramLabel = "S",
      description = "Fixed minibatch shards (0: automatic from B; results depend on it).")
  int shards;

  @Option(names = "--clip", paramLabel = "C", description = "Clip the gradient norm at C.")
  Double clip;

  @Option(names = "--lr-decay", paramLabel = "GAMMA",
      description = "Step decay: multiply the rate by GAMMA every --lr-decay-every iterations.")
  Double lrDecay;

  @Option(names = "--lr-decay-every", paramLabel = "N", description = "Step decay period.")
  Long lrDecayEvery;

  @Option(names = "--lr-boost", paramLabel = "M",
      description = "Multiply the rate by M from iteration --lr-boost-from on.")
  Double lrBoost;

  @Option(names = "--lr-boost-from", paramLabel = "I", description = "Start of --lr-boost.")
  Long lrBoostFrom;

  @Option(names = "--online", description = "Online learning: B = 1, an update every step.")
  boolean online;

  @Option(names = "--eval-train", defaultValue = "0", paramLabel = "N",
      description = "Evaluate a fixed subset of N training trials (0: all).")
  int evalTrain;

  @Option(names = "--eval-test", defaultValue = "0", paramLabel = "N",
      description = "Evaluate the first N test trials (0: all).")
  int evalTest;

  @Option(names = "--eval-batch", defaultValue = "256", paramLabel = "B",
      description = "Trials per evaluation forward pass (default: ${DEFAULT-VALUE}).")
  int evalBatch;

  @Option(names = "--no-shifted", description = "Skip the task's shifted test set.")
  boolean noShifted;

  @Option(names = {"-q", "--quiet"}, description = "No progress bar (nor progress lines when"
      + " stderr is not a terminal).")
  boolean quiet;

  @Unmatched List<String> unmatched = new ArrayList<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    TaskDefaults d = model.defaults();
    Task task = model.task(unmatched);
    ModelConfig mc = model.model(task);
    SpikingCell cell = model.spikingCell();
    SpikingConfig spiking = cell == null ? null : spikingOptions.config(mc, cell);
    FloatLearningRule rule;
    try {
      rule = spiking == null ? FloatRules.create(model.rule, mc, model.ruleOptions())
          : FloatSpikingRules.create(model.rule, spiking, model.ruleOptions(), Kernels.f32());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    TrainerConfig cfg = config(d);
    try {
      MemoryEstimate.of(rule, cfg, task)
          .check("this run", Runtime.getRuntime().maxMemory());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    FloatParameters params = spiking == null ? FloatParameters.initialize(mc, model.seed)
        : SpikingInitialization.initialize(spiking, model.seed, spikingOptions.inputGain);
    for (Block b : model.frozen()) {
      params.freeze(b, true);
    }
    Trainer trainer;
    try {
      trainer = new Trainer(task, rule, params, cfg, List.of());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    RunResult r;
    int trainEvaluated = trainer.trainEvalSamples();
    try (trainer; TrainResume resume = TrainResume.acquire(out);
        OutputDirectory dir = OutputDirectory.stage(out, force)) {
      resume.restore(trainer, restart, out, spec.commandLine().getErr());
      resume.saveCheckpoints(trainer, stopAfterCheckpoints);
      PrintWriter err = spec.commandLine().getErr();
      try (TrainProgress bar = TrainProgress.create("train " + rule.id(), cfg.iterations(),
          quiet, err); InterruptHint hint = InterruptHint.hold(err,
              "tca train: interrupted; run the same command again to resume from the last"
              + " checkpoint (--restart starts over)")) {
        trainer.onProgress(bar);
        r = trainer.run();
      } catch (TrainResume.Stopped e) {
        spec.commandLine().getErr().println("tca train: " + e.getMessage());
        return 3;
      }
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("task", task.name());
      info.put("task_parameters", task.parameters());
      info.put("seed", model.seed);
      info.put("steps", task.steps());
      if (spiking != null) { // model.json's rate keys replaced by the spiking network's
        info.put("cell", cell.id());
        info.put("spiking", SpikingOptions.json(spiking));
        info.put("task_tau", SpikingOptions.taskTau(d.tau(), spiking));
        info.put("equations", SpikingConfig.EQUATIONS);
      }
      GradientDirectory.write(dir.path(), new GradientDirectory.Contents(mc,
          params.structure(), model.frozen(), "f32", PrecisionConversion.widen(params), null,
          null, rule.id(), new java.util.TreeMap<>(rule.settings()),
          GradientDirectory.auxiliaryF32(rule.auxiliaryMatrices()), info));
      String opt = cfg.optimizer().kind() + (cfg.optimizer().kind().contains("momentum")
          || cfg.optimizer().kind().equals("nesterov") ? " mu=" + momentum : "");
      JsonFiles.write(dir.path().resolve("metrics.json"),
          MetricsJson.of(r, task, rule, cfg, opt, ModelJson.fields(mc, spiking)));
      dir.commit();
      resume.finished();
    }
    summary(spec.commandLine().getOut(), r, task, rule, mc, cfg, trainEvaluated);
    if (spiking != null && !Double.isNaN(d.tau())) {
      spec.commandLine().getOut().printf(Locale.ROOT, "note      membrane tau_m = %s ms"
          + " (--tau-m); the task's default tau = %s steps is the rate cells' and was not"
          + " applied%n", spiking.tauMembrane(), d.tau());
      spec.commandLine().getOut().flush();
    }
    return 0;
  }

  private TrainerConfig config(TaskDefaults d) {
    try {
      String kind = optimizer == null ? d.optimizer() : optimizer;
      OptimizerSettings base = OptimizerSettings.of(kind);
      OptimizerSettings os = new OptimizerSettings(base.kind(), momentum, base.beta1(),
          base.beta2(), base.eps());
      double eta = lr == null ? d.learningRate() : lr;
      LearningRateSchedule.checkRate("--lr", eta);
      LearningRateSchedule s = LearningRateSchedule.constant(eta);
      if ((lrDecay == null) != (lrDecayEvery == null)) {
        throw new UsageException("--lr-decay and --lr-decay-every go together");
      }
      if (lrDecay != null) {
        s = LearningRateSchedule.stepDecay(eta, lrDecay, lrDecayEvery);
      }
      if ((lrBoost == null) != (lrBoostFrom == null)) {
        throw new UsageException("--lr-boost and --lr-boost-from go together");
      }
      if (lrBoost != null) {
        s = s.multipliedFrom(lrBoostFrom, lrBoost);
      }
      int b = online ? 1 : batch == null ? d.batch() : batch;
      return TrainerConfig.builder().iterations(iters == null ? d.iterations() : iters)
          .batchSize(b).checkpoints(checkpoints).seed(model.seed).optimizer(os).schedule(s)
          .clipNorm(clip == null ? Double.POSITIVE_INFINITY : clip).online(online)
          .threads(threads == null ? Runtime.getRuntime().availableProcessors() : threads)
          .shards(shards).evalBatch(evalBatch).trainEvalSize(evalTrain).testEvalSize(evalTest)
          .evalShifted(!noShifted).build();
    } catch (IllegalArgumentException e) {
      throw TrainerFlags.usage(e);
    }
  }

  private void summary(PrintWriter w, RunResult r, Task task, FloatLearningRule rule,
      ModelConfig m, TrainerConfig c, int trainEvaluated) {
    w.printf(Locale.ROOT, "tca train: %s, rule %s, N=%d, %s, %s lr %.3g, %d iterations, seed %d"
        + " (%d threads, %d shards)%n", task.name(), rule.id(), m.hidden(),
        c.online() ? "online" : "B=" + c.batchSize(), c.optimizer().kind(),
        c.schedule().rate(0), c.iterations(), c.seed(), c.threads(),
        c.online() ? 1 : c.effectiveShards());
    w.printf(Locale.ROOT, "status    %s after %d iterations (%.1f s)%s%n", r.status().id(),
        r.iterations(), r.seconds(), r.status() == RunStatus.DIVERGED ? ": " + r.reason() : "");
    TrajectoryPoint p = r.last();
    if (p != null) {
      w.printf(Locale.ROOT, "          at iteration %d:%n", p.iteration());
      line(w, "train", p.trainLoss(), p.trainAccuracy(), trainEvaluated);
      line(w, "test", p.testLoss(), p.testAccuracy(),
          c.testEvalSize() > 0 ? Math.min(c.testEvalSize(), task.test().size())
              : task.test().size());
      if (!Double.isNaN(p.shiftedLoss())) {
        line(w, "shifted", p.shiftedLoss(), p.shiftedAccuracy(), -1);
      }
      w.printf(Locale.ROOT, "gap       %.4f (test - train loss)%n", p.gap());
    }
    w.printf(Locale.ROOT, "wrote     %s/{params/*.npy, model.json, metrics.json}%n", out);
    w.flush();
  }

  private static void line(PrintWriter w, String what, double loss, double acc, int n) {
    w.printf(Locale.ROOT, "%-9s loss %.4f%s%s%n", what, loss,
        Double.isNaN(acc) ? "" : String.format(Locale.ROOT, "  accuracy %.2f%%", 100 * acc),
        n > 0 ? "  (" + n + " trials)" : "");
  }
}
