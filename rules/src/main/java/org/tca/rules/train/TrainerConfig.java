package org.tca.rules.train;

import java.util.Objects;
import org.tca.rules.optim.LearningRateSchedule;
import org.tca.rules.optim.OptimizerSettings;

/**
 * How one run trains (everything but the task, the model and the rule). Immutable; build with
 * {@link #builder()}.
 *
 * @param iterations number of iterations: minibatch updates offline, sequences online
 * @param batchSize B (offline; online runs use B = 1)
 * @param checkpoints number of evaluation checkpoints, spread evenly over [0, iterations] and
 *     including both ends when &gt;= 2 (1: the end only)
 * @param seed the run seed: parameter init ({@code FloatParameters.initialize}), minibatch order
 *     and evaluation subsets all derive from it
 * @param optimizer the optimizer and its hyper-parameters
 * @param schedule the learning rate per iteration
 * @param clipNorm gradient-norm clipping threshold (infinite: off)
 * @param online update at every time step of B = 1 sequences (the rule must support it)
 * @param threads K, worker threads for batch parallelism and evaluation; results do not depend on
 *     it
 * @param shards S, fixed minibatch shards (0: {@link ParallelRule#defaultShards}); results
 *     depend on it
 * @param evalBatch samples per forward pass when evaluating
 * @param trainEvalSize training trials evaluated at checkpoints: a fixed seeded subset of this
 *     many (0: the whole training set)
 * @param testEvalSize test trials evaluated (0: the whole test set); the first this many
 * @param evalShifted also evaluate the task's shifted test set, when it has one
 * @param targetTrainLoss train to a loss: the run ends (ok) at the first checkpoint whose
 *     training-set data loss is &lt;= this; NaN (default): off, every run does all its iterations
 */
public record TrainerConfig(long iterations, int batchSize, int checkpoints, long seed,
    OptimizerSettings optimizer, LearningRateSchedule schedule, double clipNorm, boolean online,
    int threads, int shards, int evalBatch, int trainEvalSize, int testEvalSize,
    boolean evalShifted, double targetTrainLoss) {

  /** Validates every field. */
  public TrainerConfig {
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(schedule, "schedule");
    if (iterations < 0) {
      throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    if (checkpoints < 1) {
      throw new IllegalArgumentException("checkpoints must be >= 1, got " + checkpoints);
    }
    if (!(clipNorm > 0)) {
      throw new IllegalArgumentException("clip norm must be > 0 (infinite: off), got " + clipNorm);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    if (shards < 0) {
      throw new IllegalArgumentException("shards must be >= 0 (0: automatic), got " + shards);
    }
    if (evalBatch < 1) {
      throw new IllegalArgumentException("evaluation batch must be >= 1, got " + evalBatch);
    }
    if (trainEvalSize < 0 || testEvalSize < 0) {
      throw new IllegalArgumentException("evaluation sizes must be >= 0 (0: all)");
    }
    if (!Double.isNaN(targetTrainLoss) && !(targetTrainLoss >= 0 && targetTrainLoss < 1e300)) {
      throw new IllegalArgumentException("target train loss must be a finite value >= 0 (NaN:"
          + " off), got " + targetTrainLoss);
    }
  }

  /** Whether the run ends at the first checkpoint whose training loss is at most the target. */
  public boolean hasTarget() {
    return !Double.isNaN(targetTrainLoss);
  }

  /** A builder with defaults: 1000 iterations, B = 32, 11 checkpoints, seed 0, SGD at 1e-2. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.iterations = iterations;
    b.batchSize = batchSize;
    b.checkpoints = checkpoints;
    b.seed = seed;
    b.optimizer = optimizer;
    b.schedule = schedule;
    b.clipNorm = clipNorm;
    b.online = online;
    b.threads = threads;
    b.shards = shards;
    b.evalBatch = evalBatch;
    b.trainEvalSize = trainEvalSize;
    b.testEvalSize = testEvalSize;
    b.evalShifted = evalShifted;
    b.targetTrainLoss = targetTrainLoss;
    return b;
  }

  /** The shard count in use: {@link #shards()}, or the automatic choice for B. */
  public int effectiveShards() {
    return shards > 0 ? shards : ParallelRule.defaultShards(batchSize);
  }

  /**
   * Everything that determines the results, as text: all fields except {@link #threads()} (and
   * with the shard count resolved). Two runs with equal fingerprints, rules, models, tasks and
   * initial parameters produce the same bits.
   */
  public String fingerprint() {
    return "iterations=" + iterations + ";batch=" + batchSize + ";checkpoints=" + checkpoints
        + ";seed=" + seed + ";optimizer=" + optimizer + ";schedule=" + schedule + ";clip="
        + clipNorm + ";online=" + online + ";shards=" + (online ? 1 : effectiveShards())
        + ";evalBatch=" + evalBatch + ";trainEval=" + trainEvalSize + ";testEval=" + testEvalSize
        + ";shifted=" + evalShifted + (hasTarget() ? ";targetTrainLoss=" + targetTrainLoss : "");
  }

  /** Builder for {@link TrainerConfig}; every setter returns this. */
  public static final class Builder {
    private long iterations = 1000;
    private int batchSize = 32;
    private int checkpoints = 11;
    private long seed = 0;
    private OptimizerSettings optimizer = OptimizerSettings.sgd();
    private LearningRateSchedule schedule = LearningRateSchedule.constant(1e-2);
    private double clipNorm = Double.POSITIVE_INFINITY;
    private boolean online = false;
    private int threads = 1;
    private int shards = 0;
    private int evalBatch = 256;
    private int trainEvalSize = 0;
    private int testEvalSize = 0;
    private boolean evalShifted = false;
    private double targetTrainLoss = Double.NaN;

    private Builder() {}

    /** Iterations. */
    public Builder iterations(long n) {
      this.iterations = n;
      return this;
    }

    /** B. */
    public Builder batchSize(int b) {
      this.batchSize = b;
      return this;
    }

    /** Number of checkpoints. */
    public Builder checkpoints(int k) {
      this.checkpoints = k;
      return this;
    }

    /** Run seed. */
    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    /** Optimizer. */
    public Builder optimizer(OptimizerSettings o) {
      this.optimizer = o;
      return this;
    }

    /** Schedule. */
    public Builder schedule(LearningRateSchedule s) {
      this.schedule = s;
      return this;
    }

    /** A constant learning rate. */
    public Builder learningRate(double eta) {
      this.schedule = LearningRateSchedule.constant(eta);
      return this;
    }

    /** Clip norm (infinite: off). */
    public Builder clipNorm(double c) {
      this.clipNorm = c;
      return this;
    }

    /** Online mode. */
    public Builder online(boolean on) {
      this.online = on;
      return this;
    }

    /** Worker threads. */
    public Builder threads(int k) {
      this.threads = k;
      return this;
    }

    /** Shards (0: automatic). */
    public Builder shards(int s) {
      this.shards = s;
      return this;
    }

    /** Evaluation batch. */
    public Builder evalBatch(int b) {
      this.evalBatch = b;
      return this;
    }

    /** Training trials evaluated (0: all). */
    public Builder trainEvalSize(int n) {
      this.trainEvalSize = n;
      return this;
    }

    /** Test trials evaluated (0: all). */
    public Builder testEvalSize(int n) {
      this.testEvalSize = n;
      return this;
    }

    /** Evaluate the shifted test set too. */
    public Builder evalShifted(boolean on) {
      this.evalShifted = on;
      return this;
    }

    /** Train until the training loss at a checkpoint is at most {@code loss} (NaN: off). */
    public Builder targetTrainLoss(double loss) {
      this.targetTrainLoss = loss;
      return this;
    }

    /** The validated config. */
    public TrainerConfig build() {
      return new TrainerConfig(iterations, batchSize, checkpoints, seed, optimizer, schedule,
          clipNorm, online, threads, shards, evalBatch, trainEvalSize, testEvalSize, evalShifted,
          targetTrainLoss);
    }
  }
}
