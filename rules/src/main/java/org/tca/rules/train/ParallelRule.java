package org.tca.rules.train;

import java.util.Map;
import java.util.Objects;
import org.tca.numerics.storage.FloatMatrix;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.model.ParameterLayout;

/**
 * Batch parallelism around any rule. A minibatch of B samples is cut into S_eff = min(S, B)
 * fixed shards, shard s holding samples [floor(s B / S_eff), floor((s + 1) B / S_eff)), B_s of
 * them; a {@link WorkerPool} of K threads computes each shard's estimate g_s (the wrapped rule's
 * mean over its B_s samples plus the L2 term) into its own buffer, with one workspace per worker,
 * and the shards are then reduced in shard order, in f64, rounded once:
 *
 * <pre>
 *   g = fl32( sum_{s = 0}^{S_eff - 1} (B_s / B) g_s ),     J = sum_s (B_s / B) J_s
 * </pre>
 *
 * Since sum_s B_s / B = 1, g is the batch-mean estimate (data term averaged over all B samples,
 * L2 term l2 W once) and J the batch objective. The per-sample weighting stays inside the rule
 * (its 1/B_s), the reduction only re-weights whole shards, and the f64 sum adds nothing but the
 * final rounding to f32. The shards depend on B and S only, never on K, and every shard is
 * computed by the same code whichever worker runs it, so the result is bit-identical for any
 * thread count (S_eff = 1 calls the rule directly on the whole batch). Online mode (B = 1) is
 * passed straight through to the wrapped rule.
 *
 * <p>Not thread-safe: one {@link #gradient} at a time. The steady state allocates nothing (shard
 * batches are made on the first call for a batch shape).
 */
public final class ParallelRule implements FloatLearningRule, AutoCloseable {

  /** Smallest shard the automatic choice makes (GEMMs get inefficient below it). */
  public static final int MIN_AUTO_SHARD = 16;
  /** Most shards the automatic choice makes. */
  public static final int MAX_AUTO_SHARDS = 8;

  private final FloatLearningRule rule;
  private final int shards;
  private final WorkerPool pool;
  private final boolean ownsPool;
  private final WorkerPool.ShardTask shardTask = this::runShard;
  // arguments of the gradient call in flight (read by the shard task)
  private FloatParameters callParams;
  private FloatBatch callBatch;
  private Workspace callWorkspace;
  private int callShards;

  /**
   * Wraps {@code rule} with {@code shards} >= 1 fixed shards on a new pool of {@code threads}
   * workers (closed by {@link #close()}).
   */
  public ParallelRule(FloatLearningRule rule, int shards, int threads) {
    this(rule, shards, new WorkerPool(threads), true);
  }

  /** Wraps {@code rule} on a shared pool (not closed by {@link #close()}). */
  public ParallelRule(FloatLearningRule rule, int shards, WorkerPool pool) {
    this(rule, shards, pool, false);
  }

  private ParallelRule(FloatLearningRule rule, int shards, WorkerPool pool, boolean owns) {
    this.rule = Objects.requireNonNull(rule, "rule");
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be >= 1, got " + shards);
    }
    this.shards = shards;
    this.pool = Objects.requireNonNull(pool, "pool");
    this.ownsPool = owns;
  }

  /**
   * The automatic shard count for a batch size: max(1, min({@value #MAX_AUTO_SHARDS},
   * floor(B / {@value #MIN_AUTO_SHARD}))). It depends on B only, so results do not depend on
   * the thread count.
   */
  public static int defaultShards(int batchSize) {
    return Math.max(1, Math.min(MAX_AUTO_SHARDS, batchSize / MIN_AUTO_SHARD));
  }

  /** The wrapped rule. */
  public FloatLearningRule rule() {
    return rule;
  }

  /** S, the shard count (a batch of B &lt; S samples uses B shards of one). */
  public int shards() {
    return shards;
  }

  /** K, the worker count. */
  public int threads() {
    return pool.size();
  }

  /** The first sample of shard s of S_eff over a batch of B. */
  static int shardStart(int s, int batchSize, int effective) {
    return (int) ((long) s * batchSize / effective);
  }

  @Override
  public String id() {
    return rule.id();
  }

  @Override
  public ModelConfig config() {
    return rule.config();
  }

  @Override
  public Map<String, Object> settings() {
    return rule.settings();
  }

  @Override
  public Map<String, FloatMatrix> auxiliaryMatrices() {
    return rule.auxiliaryMatrices();
  }

  @Override
  public Workspace newWorkspace(int batchSize, int steps) {
    return new Workspace(batchSize, steps);
  }

  @Override
  public double gradient(FloatParameters p, FloatBatch batch, FloatWorkspace workspace,
      float[] grad) {
    Workspace ws = cast(workspace);
    int b = batch.size();
    if (b > ws.batchCapacity) {
      throw new IllegalArgumentException("batch of " + b + " exceeds the workspace capacity "
          + ws.batchCapacity);
    }
    int effective = Math.min(shards, b);
    if (effective == 1) {
      return rule.gradient(p, batch, ws.inner[0], grad);
    }
    ws.prepare(batch, effective);
    callParams = p;
    callBatch = batch;
    callWorkspace = ws;
    callShards = effective;
    try {
      pool.run(effective, shardTask);
    } finally {
      callParams = null;
      callBatch = null;
      callWorkspace = null;
    }
    double j = 0;
    for (int s = 0; s < effective; s++) {
      j += ws.weights[s] * ws.losses[s];
    }
    reduce(ws, effective, grad);
    return j;
  }

  private void runShard(int worker, int s) {
    Workspace ws = callWorkspace;
    FloatBatch sb = ws.shardBatches[s];
    copyShard(callBatch, shardStart(s, callBatch.size(), callShards), sb);
    ws.losses[s] = rule.gradient(callParams, sb, ws.inner[worker], ws.grads[s]);
  }

  private static void reduce(Workspace ws, int effective, float[] grad) {
    float[][] g = ws.grads;
    double[] w = ws.weights;
    for (int i = 0; i < grad.length; i++) {
      double acc = 0;
      for (int s = 0; s < effective; s++) {
        acc += w[s] * g[s][i];
      }
      grad[i] = (float) acc;
    }
  }

  /** Copies samples [b0, b0 + dst.size()) of {@code src} (inputs, targets, loss mask) into dst. */
  static void copyShard(FloatBatch src, int b0, FloatBatch dst) {
    int bs = src.size();
    int n = dst.size();
    int steps = src.steps();
    int nIn = src.inputs();
    for (int t = 0; t < steps; t++) {
      System.arraycopy(src.x(), (t * bs + b0) * nIn, dst.x(), t * n * nIn, n * nIn);
    }
    if (src.classification()) {
      if (src.labelsPerStep()) {
        for (int t = 0; t < steps; t++) {
          System.arraycopy(src.labels(), t * bs + b0, dst.labels(), t * n, n);
        }
      } else {
        System.arraycopy(src.labels(), b0, dst.labels(), 0, n);
      }
    } else {
      int nOut = src.outputs();
      for (int t = 0; t < steps; t++) {
        System.arraycopy(src.targets(), (t * bs + b0) * nOut, dst.targets(), t * n * nOut,
            n * nOut);
      }
    }
    System.arraycopy(src.lossMask(), 0, dst.lossMask(), 0, steps);
  }

  @Override
  public boolean supportsOnline() {
    return rule.supportsOnline();
  }

  @Override
  public void beginOnline(FloatParameters p, FloatWorkspace ws) {
    rule.beginOnline(p, cast(ws).inner[0]);
  }

  @Override
  public double stepOnline(FloatParameters p, FloatBatch batch, int t, FloatWorkspace ws,
      float[] grad) {
    return rule.stepOnline(p, batch, t, cast(ws).inner[0], grad);
  }

  /** Closes the pool when this rule made it. */
  @Override
  public void close() {
    if (ownsPool) {
      pool.close();
    }
  }

  private Workspace cast(FloatWorkspace ws) {
    if (ws instanceof Workspace w && w.owner == this) {
      return w;
    }
    throw new IllegalArgumentException("expected a workspace made by this ParallelRule");
  }

  /**
   * Per-worker workspaces of the wrapped rule (each for the largest shard), one gradient buffer
   * per shard, and the shard batches (made on first use for a batch shape).
   */
  public final class Workspace implements FloatWorkspace {
    private final ParallelRule owner = ParallelRule.this;
    private final int batchCapacity;
    private final int stepCapacity;
    private final FloatWorkspace[] inner;
    private final float[][] grads;
    private final double[] losses;
    private final double[] weights;
    private FloatBatch[] shardBatches;
    private int preparedSize = -1;
    private int preparedSteps = -1;
    private boolean preparedClassification;
    private boolean preparedPerStep;

    Workspace(int batchSize, int steps) {
      this.batchCapacity = batchSize;
      this.stepCapacity = steps;
      int most = Math.min(shards, batchSize);
      int largest = (batchSize + most - 1) / most;
      int workers = Math.min(pool.size(), most);
      this.inner = new FloatWorkspace[workers];
      for (int w = 0; w < workers; w++) {
        inner[w] = rule.newWorkspace(most == 1 ? batchSize : largest, steps);
      }
      int params = new ParameterLayout(rule.config()).size();
      this.grads = new float[most == 1 ? 0 : most][params];
      this.losses = new double[most];
      this.weights = new double[most];
    }

    void prepare(FloatBatch batch, int effective) {
      int b = batch.size();
      if (b == preparedSize && batch.steps() == preparedSteps
          && batch.classification() == preparedClassification
          && batch.labelsPerStep() == preparedPerStep) {
        return;
      }
      shardBatches = new FloatBatch[effective];
      for (int s = 0; s < effective; s++) {
        int n = shardStart(s + 1, b, effective) - shardStart(s, b, effective);
        shardBatches[s] = batch.classification()
            ? FloatBatch.classification(batch.steps(), n, batch.inputs(), batch.outputs(),
                batch.labelsPerStep())
            : FloatBatch.regression(batch.steps(), n, batch.inputs(), batch.outputs());
        weights[s] = (double) n / b;
      }
      preparedSize = b;
      preparedSteps = batch.steps();
      preparedClassification = batch.classification();
      preparedPerStep = batch.labelsPerStep();
    }

    @Override
    public int batchCapacity() {
      return batchCapacity;
    }

    @Override
    public int stepCapacity() {
      return stepCapacity;
    }

    @Override
    public long sizeInBytes() {
      long bytes = 0;
      for (FloatWorkspace w : inner) {
        bytes += w.sizeInBytes();
      }
      for (float[] g : grads) {
        bytes += (long) Float.BYTES * g.length;
      }
      return bytes;
    }
  }
}
