package org.tca.rules.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.optim.FloatOptimizer;
import org.tca.rules.optim.FloatOptimizers;
import org.tca.rules.optim.FloatUpdater;
import org.tca.rules.optim.TrainableRanges;
import org.tca.rules.task.Dataset;
import org.tca.rules.task.MinibatchSampler;
import org.tca.rules.task.Task;
import org.tca.rules.task.TaskKind;

/**
 * Trains one network on one task with one rule. Offline, iteration i (i = 0, 1, ...):
 *
 * <pre>
 *   draw the next minibatch of B training trials (shuffled epochs, {@link MinibatchSampler})
 *   g, J = rule estimate on it ({@link ParallelRule}: S fixed shards on K threads)
 *   stop as diverged if J or ||g|| is not finite (the update is not applied)
 *   theta <- optimizer step along g (schedule eta(i), optional clipping); project (masks, Dale)
 *   stop as diverged if any parameter is not finite
 * </pre>
 *
 * Online ({@link TrainerConfig#online()}): iteration i draws ONE trial and, for t = 0..T-1, takes
 * the rule's per-step estimate g_t ({@link FloatLearningRule#stepOnline}) and applies an update
 * right away (every step, at rate eta(i)), so one iteration is T updates.
 *
 * <p>A run that does all its iterations ends ok, or {@linkplain RunStatus#STALLED stalled} when
 * its final training loss is not below the one at iteration 0. Trained to a loss
 * ({@link TrainerConfig#targetTrainLoss}), a run also finishes at the first checkpoint whose
 * training-set loss is at most the target ({@link #reachedTarget}); one that never gets there
 * does all its iterations and ends with its last loss above the target.
 *
 * <p>At each checkpoint iteration (see {@link #checkpointIterations}) it evaluates the data loss
 * and accuracy on the training set (or a fixed subset), the test set and optionally the shifted
 * test set ({@link Evaluator}), runs the probes, and records a {@link TrajectoryPoint}. A rule
 * that is a {@link org.tca.rules.spiking.SpikingRule} trains and is evaluated on its spiking
 * network ({@link ForwardModel}); its points also hold the mean firing rates (spikes per step and
 * unit) on the evaluated training and test trials, as probe metrics {@code train_firing_rate}
 * and {@code test_firing_rate}.
 *
 * <p>Determinism: the run seed s gives the minibatch order from
 * {@code new RandomStream(s).child(100)} and the training evaluation subset from
 * {@code child(101)} (a training set generated on demand is walked in order and evaluated on its
 * first trials instead, {@link MinibatchSampler#of}) (parameter init, {@code FloatParameters.initialize(config, s)}, uses children
 * 0..3); the minibatch shards depend on B and S only. So a run is bit-identical for any thread
 * count and whether its pool is its own or shared: the kernels, scalar and vector, give the same
 * bits interpreted and compiled (fixed-order lane sums, transcendentals from exactly specified
 * IEEE operations).
 * {@link #snapshot()} and {@link #restore} save and continue a run exactly: the optimizer's
 * state and the sampler's position are saved as plain data, nothing is replayed.
 *
 * <p>Not thread-safe. Close it to stop the worker threads.
 */
public final class Trainer implements AutoCloseable {

  /** Child of the run's root stream that orders the minibatches. */
  public static final long SAMPLER_STREAM = 100;
  /** Child of the run's root stream that picks the training evaluation subset. */
  public static final long EVAL_SUBSET_STREAM = 101;

  /** Told at every checkpoint, after the point is recorded (e.g. to save a snapshot). */
  @FunctionalInterface
  public interface CheckpointListener {
    /** Called with the trainer and the point just recorded. */
    void checkpoint(Trainer trainer, TrajectoryPoint point);
  }

  private final Task task;
  private final FloatLearningRule rule;
  private final FloatParameters params;
  private final TrainerConfig config;
  private final List<CheckpointProbe> probes;
  private final ForwardModel network;
  private final WorkerPool pool;
  private final boolean ownsPool;
  private final ParallelRule parallel;
  private final FloatLearningRule estimator;
  private final FloatWorkspace workspace;
  private final FloatBatch batch;
  private final float[] grad;
  private final TrainableRanges ranges;
  private final FloatOptimizer optimizer;
  private final FloatUpdater updater;
  private final Evaluator trainEval;
  private final Evaluator testEval;
  private final Evaluator shiftedEval;
  private final long[] checkpoints;
  private final String fingerprint;
  private final MinibatchSampler sampler;
  private ProgressListener progress = (i, n, l) -> { };
  private CheckpointListener checkpointListener = (t, p) -> { };
  // run state (what a snapshot holds)
  private long iteration;
  private double intervalLossSum;
  private long intervalCount;
  private double lastGradientNorm = Double.NaN;
  private double lastLoss = Double.NaN;
  private RunStatus status = RunStatus.INCOMPLETE;
  private long divergedAt = -1;
  private String reason = "";
  private final List<TrajectoryPoint> trajectory = new ArrayList<>();

  /**
   * A trainer that will update {@code params} in place (their frozen flags say which blocks
   * train).
   *
   * @throws IllegalArgumentException when the model does not fit the task, the rule has no
   *     online mode but online training is asked for, or B exceeds the training set
   */
  public Trainer(Task task, FloatLearningRule rule, FloatParameters params, TrainerConfig config,
      List<CheckpointProbe> probes) {
    this(task, rule, params, config, probes, Kernels.f32());
  }

  /**
   * As above, evaluating with the given kernels (use the ones the rule was made with, e.g.
   * {@link Kernels#scalarF32()} for results that do not depend on the JIT's state).
   */
  public Trainer(Task task, FloatLearningRule rule, FloatParameters params, TrainerConfig config,
      List<CheckpointProbe> probes, FloatKernels kernels) {
    this(task, rule, params, config, probes, kernels, null);
  }

  /**
   * As above, on a {@link WorkerPool} shared with other trainers (e.g. the runs of a study:
   * their shards spread over the pool's threads) instead of a pool of {@link
   * TrainerConfig#threads()} of its own; {@code pool} null makes its own. The results are the
   * same either way.
   */
  public Trainer(Task task, FloatLearningRule rule, FloatParameters params, TrainerConfig config,
      List<CheckpointProbe> probes, FloatKernels kernels, WorkerPool pool) {
    this.task = Objects.requireNonNull(task, "task");
    this.rule = Objects.requireNonNull(rule, "rule");
    this.params = Objects.requireNonNull(params, "params");
    this.config = Objects.requireNonNull(config, "config");
    this.probes = List.copyOf(probes);
    ModelConfig mc = rule.config();
    TrainerSetup.checkFit(task, mc, params, config, rule);
    this.network = ForwardModel.of(rule, kernels);
    this.ownsPool = pool == null;
    this.pool = pool == null ? new WorkerPool(config.threads()) : pool;
    int b = config.online() ? 1 : config.batchSize();
    int steps = task.steps();
    this.parallel = config.online() ? null
        : new ParallelRule(rule, config.effectiveShards(), this.pool);
    this.estimator = config.online() ? rule : parallel;
    this.workspace = estimator.newWorkspace(b, steps);
    Dataset train = task.train();
    // online: the one trial in flight (offline, the shards gather their own trials)
    this.batch = !config.online() ? null : (task.kind() == TaskKind.CLASSIFICATION
        ? FloatBatch.classification(steps, 1, train.inputSize(), train.outputSize(), false)
        : FloatBatch.regression(steps, 1, train.inputSize(), train.outputSize()))
        .lossMask(train.lossMask());
    this.grad = params.newGradient();
    this.ranges = TrainerSetup.trainableRanges(params);
    this.optimizer = FloatOptimizers.create(config.optimizer(), params.data().length, ranges);
    this.updater = new FloatUpdater(optimizer, config.schedule(), config.clipNorm());
    this.sampler = MinibatchSampler.of(train, b,
        new RandomStream(config.seed()).child(SAMPLER_STREAM));
    RandomStream root = new RandomStream(config.seed());
    // a generated set is walked in order: its first trials are those trained on first
    int[] trainIdx = train.generated() ? TrainerSetup.firstN(train.size(), config.trainEvalSize())
        : TrainerSetup.subset(train.size(), config.trainEvalSize(),
            root.child(EVAL_SUBSET_STREAM));
    int[] testIdx = TrainerSetup.firstN(task.test().size(), config.testEvalSize());
    Dataset shifted = config.evalShifted() ? task.shiftedTest().orElse(null) : null;
    int[] shiftedIdx = shifted == null ? null
        : TrainerSetup.firstN(shifted.size(), config.testEvalSize());
    int e = config.evalBatch();
    // one set of seats for the three evaluations (they run one after the other)
    EvaluationSeats seats = new EvaluationSeats(network, Math.max(Math.max(
        Evaluator.chunk(train, trainIdx, e), Evaluator.chunk(task.test(), testIdx, e)),
        shifted == null ? 1 : Evaluator.chunk(shifted, shiftedIdx, e)),
        Math.max(steps, shifted == null ? 1 : shifted.steps()));
    this.trainEval = new Evaluator(seats, train, trainIdx, e, this.pool);
    this.testEval = new Evaluator(seats, task.test(), testIdx, e, this.pool);
    this.shiftedEval = shifted == null ? null
        : new Evaluator(seats, shifted, shiftedIdx, e, this.pool);
    this.checkpoints = checkpointIterations(config.iterations(), config.checkpoints());
    this.fingerprint = TrainerSetup.fingerprint(task, rule, params, config);
  }

  /**
   * The checkpoint iterations for a run of n iterations and k checkpoints: round(j n / (k - 1))
   * for j = 0..k-1 when k &gt;= 2 (0 and n included; duplicates dropped when k - 1 &gt; n), {n}
   * when k = 1.
   */
  public static long[] checkpointIterations(long n, int k) {
    if (k == 1) {
      return new long[] {n};
    }
    long[] out = new long[k];
    int m = 0;
    for (int j = 0; j < k; j++) {
      long it = Math.round((double) j * n / (k - 1));
      if (m == 0 || it != out[m - 1]) {
        out[m++] = it;
      }
    }
    return Arrays.copyOf(out, m);
  }

  /** Sets the per-iteration progress listener. */
  public Trainer onProgress(ProgressListener listener) {
    this.progress = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /** Sets the checkpoint listener. */
  public Trainer onCheckpoint(CheckpointListener listener) {
    this.checkpointListener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /** Runs to the configured number of iterations (or divergence). */
  public RunResult run() {
    return runUntil(config.iterations());
  }

  /**
   * Runs until {@code stop} iterations are done (at most the configured number), the run
   * diverges, or it is already past {@code stop}. A run stopped early has status incomplete and
   * can continue with another call (or, after {@link #snapshot()}, in another trainer).
   */
  public RunResult runUntil(long stop) {
    long t0 = System.nanoTime();
    long end = Math.min(stop, config.iterations());
    if (status != RunStatus.DIVERGED) {
      if (iteration == 0 && trajectory.isEmpty() && isCheckpoint(0)) {
        checkpoint();
      }
      while (status != RunStatus.DIVERGED && iteration < end && !reachedTarget()) {
        boolean ok = config.online() ? stepOnline() : stepOffline();
        if (!ok) {
          break;
        }
        iteration++;
        progress.progress(iteration, config.iterations(), lastLoss);
        if (isCheckpoint(iteration)) {
          checkpoint();
        }
      }
      if (status != RunStatus.DIVERGED) {
        status = iteration >= config.iterations() || reachedTarget()
            ? RunStatus.finished(trajectory) : RunStatus.INCOMPLETE;
        reason = status == RunStatus.STALLED ? RunStatus.stallReason(trajectory) : "";
      }
    }
    return new RunResult(status, iteration, divergedAt, reason, trajectory, params,
        (System.nanoTime() - t0) * 1e-9);
  }

  /**
   * True when the run trains to a loss ({@link TrainerConfig#targetTrainLoss}) and its last
   * checkpoint reached it: the run is finished, with fewer iterations than planned.
   */
  public boolean reachedTarget() {
    return config.hasTarget() && !trajectory.isEmpty()
        && trajectory.get(trajectory.size() - 1).trainLoss() <= config.targetTrainLoss();
  }

  private boolean isCheckpoint(long it) {
    return Arrays.binarySearch(checkpoints, it) >= 0;
  }

  private boolean stepOffline() {
    int off = sampler.next();
    double j = parallel.gradient(params, task.train(), sampler.indices(), off, workspace, grad);
    double norm = FloatUpdater.norm(grad, ranges);
    if (!Double.isFinite(j) || !Double.isFinite(norm)) {
      return diverge("the minibatch " + (Double.isFinite(j) ? "gradient norm is " + norm
          : "loss is " + j));
    }
    updater.step(params.data(), grad);
    params.project();
    if (!finiteParameters()) {
      return diverge("an update made a parameter non-finite");
    }
    lastLoss = j;
    intervalLossSum += j;
    intervalCount++;
    lastGradientNorm = norm;
    return true;
  }

  private boolean stepOnline() {
    int off = sampler.next();
    task.train().gather(sampler.indices(), off, 1, batch.x(), batch.labels(), batch.targets());
    rule.beginOnline(params, workspace);
    double loss = 0;
    double norm = Double.NaN;
    for (int t = 0; t < batch.steps(); t++) {
      updater.setIteration(iteration);
      double l = rule.stepOnline(params, batch, t, workspace, grad);
      norm = FloatUpdater.norm(grad, ranges);
      if (!Double.isFinite(l) || !Double.isFinite(norm)) {
        return diverge("at step " + t + " the " + (Double.isFinite(l) ? "gradient norm is "
            + norm : "loss is " + l));
      }
      updater.step(params.data(), grad);
      params.project();
      loss += l;
    }
    if (!finiteParameters()) {
      return diverge("an update made a parameter non-finite");
    }
    updater.setIteration(iteration + 1);
    lastLoss = loss + network.l2Penalty(params);
    intervalLossSum += lastLoss;
    intervalCount++;
    lastGradientNorm = norm;
    return true;
  }

  private boolean finiteParameters() {
    for (float v : params.data()) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  private boolean diverge(String why) {
    status = RunStatus.DIVERGED;
    divergedAt = iteration;
    reason = "diverged at iteration " + iteration + ": " + why;
    return false;
  }

  private void checkpoint() {
    Evaluator.Result tr = trainEval.evaluate(params);
    Evaluator.Result te = testEval.evaluate(params);
    Evaluator.Result sh = shiftedEval == null ? null : shiftedEval.evaluate(params);
    double lr = config.schedule().rate(iteration);
    Map<String, Double> metrics = new LinkedHashMap<>();
    if (network.spiking()) {
      metrics.put("train_firing_rate", tr.firingRate());
      metrics.put("test_firing_rate", te.firingRate());
    }
    for (CheckpointProbe p : probes) {
      metrics.putAll(p.measure(iteration, lr, params));
    }
    TrajectoryPoint point = new TrajectoryPoint(iteration, lr, tr.loss(), tr.accuracy(),
        te.loss(), te.accuracy(), sh == null ? Double.NaN : sh.loss(),
        sh == null ? Double.NaN : sh.accuracy(), network.l2Penalty(params),
        intervalCount == 0 ? Double.NaN : intervalLossSum / intervalCount, lastGradientNorm,
        metrics);
    trajectory.add(point);
    intervalLossSum = 0;
    intervalCount = 0;
    if (!Double.isFinite(tr.loss())) {
      diverge("the training-set loss is " + tr.loss() + " at a checkpoint");
    }
    checkpointListener.checkpoint(this, point);
  }

  /** The complete state of the run now (copies). */
  public TrainingState snapshot() {
    return new TrainingState(fingerprint, iteration, updater.iteration(), params.data().clone(),
        optimizer.state(), sampler.state(), intervalLossSum, intervalCount, lastGradientNorm,
        status, divergedAt, reason, trajectory);
  }

  /**
   * Continues from {@code state}: parameters, optimizer, sampler position, statistics and
   * trajectory are set to the saved ones.
   *
   * @throws IllegalArgumentException when the state was saved by a differently configured run
   */
  public void restore(TrainingState state) {
    if (!state.fingerprint().equals(fingerprint)) {
      throw new IllegalArgumentException("the saved state belongs to another run configuration:"
          + " saved [" + state.fingerprint() + "], this run [" + fingerprint + "]");
    }
    if (state.parameters().length != params.data().length) {
      throw new IllegalArgumentException("saved parameters have the wrong length");
    }
    sampler.restore(state.sampler());
    optimizer.restore(state.optimizer());
    System.arraycopy(state.parameters(), 0, params.data(), 0, params.data().length);
    updater.setIteration(state.updaterIteration());
    iteration = state.iteration();
    intervalLossSum = state.intervalLossSum();
    intervalCount = state.intervalCount();
    lastGradientNorm = state.lastGradientNorm();
    status = state.status();
    divergedAt = state.divergedAt();
    reason = state.reason();
    trajectory.clear();
    trajectory.addAll(state.trajectory());
  }

  /** What identifies this run's results (config without threads, rule, model, task). */
  public String fingerprint() {
    return fingerprint;
  }

  /** Iterations done. */
  public long iteration() {
    return iteration;
  }

  /** The live parameters. */
  public FloatParameters parameters() {
    return params;
  }

  /** The trajectory so far. */
  public List<TrajectoryPoint> trajectory() {
    return List.copyOf(trajectory);
  }

  /** The config. */
  public TrainerConfig config() {
    return config;
  }

  /** The checkpoint iterations. */
  public long[] checkpointIterations() {
    return checkpoints.clone();
  }

  /** Number of training trials evaluated at checkpoints. */
  public int trainEvalSamples() {
    return trainEval.samples();
  }

  @Override
  public void close() {
    trainEval.close();
    testEval.close();
    if (shiftedEval != null) {
      shiftedEval.close();
    }
    if (parallel != null) {
      parallel.close();
    }
    if (ownsPool) {
      pool.close();
    }
  }
}
