package org.tca.study;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.rules.curvature.CurvatureProbe;
import org.tca.rules.curvature.TraceStoppingRule;
import org.tca.rules.learning.DoubleLearningRule;
import org.tca.rules.learning.DoubleRules;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.FloatRules;
import org.tca.rules.learning.RuleOptions;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.spiking.FloatSpikingRules;
import org.tca.rules.spiking.SpikingConfig;
import org.tca.rules.spiking.SpikingInitialization;
import org.tca.rules.task.Dataset;
import org.tca.rules.task.Task;
import org.tca.rules.train.Batches;
import org.tca.rules.train.CheckpointProbe;
import org.tca.rules.train.GradientAlignment;
import org.tca.rules.train.RunResult;
import org.tca.rules.train.Trainer;
import org.tca.rules.train.TrainerConfig;
import org.tca.rules.train.TrainingStateFile;
import org.tca.rules.train.WorkerPool;

/**
 * Runs a {@link StudySpec}'s grid on K threads: min(K, pending runs) runs at a time, each driven by
 * its own thread, and all of them on one shared {@link WorkerPool} of K threads, so the threads
 * that no run drives (fewer runs than threads, or the last runs of a study) compute the minibatch
 * shards of the runs in flight. A run's results depend only on its plan (its shards depend on B,
 * not on who computes them), never on K or on the scheduling. Resumable: a run whose record the {@link RunStore} already holds is
 * skipped; every other run saves its complete state ({@link TrainingStateFile}) into the state
 * directory at each checkpoint and, when started again, continues from that state (which
 * holds the minibatch position; {@link CurvatureProbe#cold} probes keep no state between
 * checkpoints), so the
 * final record equals an uninterrupted run's. The state file is deleted once the record is
 * saved. The kernels' rounding does not depend on the JIT state, so this holds with either
 * provider; only the vector kernels' SIMD width (AVX2 vs AVX-512) changes bits between machines
 * ({@code kernels: scalar} gives the same bits everywhere). A spiking study
 * ({@link StudySpec#isSpiking}) trains its rules from {@code FloatSpikingRules} on
 * {@link SpikingInitialization} parameters and measures no curvature (not defined for spiking
 * cells); its checkpoints hold the firing rates and the alignment with spiking BPTT.
 */
public final class StudyRunner {

  /** Where finished runs are kept (the CLI writes one JSON file per run). */
  public interface RunStore {
    /** The finished record of run {@code id}, if saved. */
    Optional<RunRecord> load(String id) throws IOException;

    /** Saves a finished record (atomically). */
    void save(RunRecord record) throws IOException;

    /** A store in memory (for programs that keep the records themselves); thread-safe. */
    static RunStore inMemory() {
      java.util.Map<String, RunRecord> runs = new java.util.concurrent.ConcurrentHashMap<>();
      return new RunStore() {
        @Override
        public Optional<RunRecord> load(String id) {
          return Optional.ofNullable(runs.get(id));
        }

        @Override
        public void save(RunRecord r) {
          runs.put(r.id(), r);
        }
      };
    }
  }

  /** Told about progress; called from the worker threads (must be thread-safe). */
  public interface Listener {
    /** Once, before any work: total iterations of the study and those already done. */
    default void started(long totalIterations, long doneIterations, int runs, int finished) {}

    /** {@code iterations} more iterations done. */
    default void advanced(long iterations) {}

    /** A run finished (or was found finished). */
    default void finished(RunRecord record) {}
  }

  /** Thrown inside a run by the test hook to simulate an interruption after a checkpoint. */
  static final class Interrupted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Interrupted() {
      super("interrupted by the test hook", null, false, false);
    }
  }

  private final StudySpec spec;
  private final Map<String, Task> tasks;
  private final Path stateDir;
  private final RunStore store;
  private final int threads;
  private int stopAfterCheckpoints = -1;
  private java.util.Set<String> only;

  /**
   * A runner for {@code spec} on {@code tasks} (by task id, as {@link StudySpec#createTasks}
   * builds them), keeping run states in {@code stateDir}.
   */
  public StudyRunner(StudySpec spec, Map<String, Task> tasks, Path stateDir, RunStore store,
      int threads) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.tasks = Map.copyOf(tasks);
    this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
    this.store = Objects.requireNonNull(store, "store");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.threads = threads;
    for (StudyTask t : spec.tasks()) {
      Task built = this.tasks.get(t.id());
      if (built == null) {
        throw new IllegalArgumentException("no task built for task id '" + t.id() + "'");
      }
      spec.checkFits(built);
    }
  }

  /**
   * Test hook: every run this runner starts stops (leaving its state file and no record) after
   * saving its n-th new checkpoint. Negative: off.
   */
  public StudyRunner stopAfterCheckpoints(int n) {
    this.stopAfterCheckpoints = n;
    return this;
  }

  /**
   * Runs only the plans whose ids are in {@code ids} (a cluster array task's share of the grid);
   * {@link #run} then returns those runs' records only.
   */
  public StudyRunner only(java.util.Collection<String> ids) {
    this.only = java.util.Set.copyOf(ids);
    return this;
  }

  /** The state file of run {@code id}. */
  public Path stateFile(String id) {
    return stateDir.resolve(id + ".state");
  }

  /**
   * Runs every unfinished run and returns all records in plan order; runs stopped by the test
   * hook are missing from the list.
   */
  public List<RunRecord> run(Listener listener) throws IOException, InterruptedException {
    Files.createDirectories(stateDir);
    List<RunPlan> plans = only == null ? spec.plans()
        : spec.plans().stream().filter(p -> only.contains(p.id())).toList();
    RunRecord[] done = new RunRecord[plans.size()];
    long total = 0;
    long already = 0;
    int finished = 0;
    for (int i = 0; i < plans.size(); i++) {
      RunPlan p = plans.get(i);
      total += p.iterations();
      Optional<RunRecord> r = store.load(p.id());
      if (r.isPresent()) {
        // A process killed between saving the record and deleting the state leaves both.
        Files.deleteIfExists(stateFile(p.id()));
        done[i] = r.get();
        already += p.iterations();
        finished++;
      } else if (Files.exists(stateFile(p.id()))) {
        already += TrainingStateFile.read(stateFile(p.id())).iteration();
      }
    }
    listener.started(total, already, plans.size(), finished);
    for (RunRecord r : done) {
      if (r != null) {
        listener.finished(r);
      }
    }
    int pending = plans.size() - finished;
    int drivers = Math.max(1, Math.min(threads, pending));
    AtomicInteger toStart = new AtomicInteger(pending);
    ExecutorService pool = Executors.newFixedThreadPool(drivers, r -> {
      Thread t = new Thread(r, "tca-study");
      t.setDaemon(true);
      return t;
    });
    try (WorkerPool workers = new WorkerPool(threads, drivers)) {
      List<Future<RunRecord>> futures = new ArrayList<>();
      for (int i = 0; i < plans.size(); i++) {
        RunPlan p = plans.get(i);
        futures.add(done[i] != null ? null : pool.submit(() -> {
          toStart.decrementAndGet();
          try {
            return runOne(p, listener, workers);
          } finally {
            if (toStart.get() == 0) {
              workers.addHelper(); // no run left to start: this thread's core goes to the pool
            }
          }
        }));
      }
      for (int i = 0; i < futures.size(); i++) {
        if (futures.get(i) != null) {
          try {
            done[i] = futures.get(i).get();
          } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof UncheckedIOException u) {
              throw u.getCause();
            }
            if (c instanceof RuntimeException re) {
              throw re;
            }
            if (c instanceof Error er) {
              throw er;
            }
            throw new IOException(c);
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
    List<RunRecord> out = new ArrayList<>();
    for (RunRecord r : done) {
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  private RunRecord runOne(RunPlan plan, Listener listener, WorkerPool workers)
      throws IOException {
    Task task = tasks.get(plan.task().id());
    FloatKernels k = spec.floatKernels();
    ModelConfig mc = spec.model(plan.task(), task);
    RuleOptions options = RuleOptions.defaults().withWindow(spec.window());
    FloatLearningRule rule;
    FloatParameters params;
    List<CheckpointProbe> probes = new ArrayList<>();
    if (spec.isSpiking()) { // no curvature: the Hessian of Heaviside spikes is not defined
      SpikingConfig sc = spec.spiking().config(mc);
      rule = FloatSpikingRules.create(plan.rule(), sc, options, k);
      params = SpikingInitialization.initialize(sc, plan.seed(), spec.spiking().inputGain());
    } else {
      rule = FloatRules.create(plan.rule(), mc, options, k);
      params = FloatParameters.initialize(mc, plan.seed());
    }
    TrainerConfig cfg = TrainerConfig.builder().iterations(plan.iterations())
        .batchSize(spec.batch()).checkpoints(spec.checkpoints()).seed(plan.seed())
        .optimizer(spec.optimizer())
        .schedule(plan.setting().schedule(plan.iterations())).threads(1)
        .trainEvalSize(spec.evalTrain()).testEvalSize(spec.evalTest()).evalShifted(true)
        .targetTrainLoss(spec.untilTrainLoss()).build();
    if (!spec.isSpiking()) {
      // the seen-curvature is measured in f64, with the f64 twin of the rule (same options)
      DoubleLearningRule seenRule = DoubleRules.create(plan.rule(), mc, options,
          spec.kernels().f64());
      long[] cps = Trainer.checkpointIterations(plan.iterations(), spec.checkpoints());
      Dataset held = task.validation().orElse(task.test());
      CurvatureProbe.Settings curvature = new CurvatureProbe.Settings(spec.blocks(),
          spec.curvatureTolerance(), spec.curvatureMaxIterations(), false, false,
          TraceStoppingRule.defaults(), plan.seed());
      probes.add(CurvatureProbe.cold(mc, Batches.first(held, Math.min(spec.heldOut(),
          held.size())), curvature, seenRule, cps[cps.length - 1]));
      if (spec.trainCurvature()) {
        Dataset train = task.train();
        probes.add(prefixed("train_", CurvatureProbe.cold(mc,
            Batches.first(train, Math.min(spec.heldOut(), train.size())), curvature, null, -1)));
      }
    }
    if (spec.alignmentBatch() > 0) {
      probes.add(new GradientAlignment(rule, Batches.first(task.train(), spec.alignmentBatch()), k));
    }
    Path sf = stateFile(plan.id());
    try (Trainer trainer = new Trainer(task, rule, params, cfg, probes, k, workers)) {
      if (Files.exists(sf)) {
        trainer.restore(TrainingStateFile.read(sf));
      }
      int[] saved = {0};
      trainer.onCheckpoint((t, point) -> {
        try {
          TrainingStateFile.write(sf, t.snapshot());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        if (stopAfterCheckpoints >= 0 && ++saved[0] >= stopAfterCheckpoints) {
          throw new Interrupted();
        }
      });
      trainer.onProgress((i, n, loss) -> listener.advanced(1));
      RunResult r;
      try {
        r = trainer.run();
      } catch (Interrupted e) {
        return null;
      }
      RunRecord rec = RunRecord.of(plan, r, spec.untilTrainLoss());
      store.save(rec);
      Files.deleteIfExists(sf);
      listener.finished(rec);
      return rec;
    }
  }

  /**
   * {@code probe} with {@code prefix} before each metric name, less two_over_eta (which the
   * held-out probe records): e.g. the curvature on the training batch as
   * {@code train_lambda_max} beside the held-out {@code lambda_max}.
   */
  private static CheckpointProbe prefixed(String prefix, CheckpointProbe probe) {
    return (iteration, learningRate, params) -> {
      Map<String, Double> out = new LinkedHashMap<>();
      probe.measure(iteration, learningRate, params).forEach((k, v) -> {
        if (!k.equals("two_over_eta")) {
          out.put(prefix + k, v);
        }
      });
      return out;
    };
  }
}
