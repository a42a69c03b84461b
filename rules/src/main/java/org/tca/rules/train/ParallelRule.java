package org.tca.rules.train;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.tca.numerics.storage.FloatMatrix;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.model.ParameterLayout;
import org.tca.rules.task.Dataset;
import org.tca.rules.task.TaskKind;

/**
 * Batch parallelism around any rule. A minibatch of B samples is cut into S_eff = min(S, B)
 * fixed shards, shard s holding samples [floor(s B / S_eff), floor((s + 1) B / S_eff)), B_s of
 * them; the threads of a {@link WorkerPool} compute each shard's estimate g_s (the wrapped rule's
 * mean over its B_s samples plus the L2 term) into its own buffer, each thread with the wrapped
 * rule's workspace of the seat it holds, and the shards are then reduced in shard order, in f64,
 * rounded once:
 *
 * <pre>
 *   g = fl32( sum_{s = 0}^{S_eff - 1} (B_s / B) g_s ),     J = sum_s (B_s / B) J_s
 * </pre>
 *
 * Since sum_s B_s / B = 1, g is the batch-mean estimate (data term averaged over all B samples,
 * L2 term l2 W once) and J the batch objective. The per-sample weighting stays inside the rule
 * (its 1/B_s), the reduction only re-weights whole shards, and the f64 sum adds nothing but the
 * final rounding to f32. The shards depend on B and S only, never on the thread count K, every
 * shard is computed by the same code whichever thread runs it, and the reduction of each
 * parameter runs over s in order whichever thread reduces it, so the result is bit-identical for
 * any K (S_eff = 1 calls the rule directly on the whole batch). Online mode (B = 1) is passed
 * straight through to the wrapped rule.
 *
 * <p>{@link #gradient(FloatParameters, Dataset, int[], int, FloatWorkspace, float[])} gathers
 * each shard's trials from the dataset straight into that shard's batch, on the thread that
 * computes the shard; the wrapped rule's workspaces are made on the thread that first uses them.
 *
 * <p>Not thread-safe: one {@link #gradient} at a time. The steady state allocates nothing (shard
 * batches are made on the first call for a batch shape, workspaces on a seat's first use).
 */
public final class ParallelRule implements FloatLearningRule, AutoCloseable {

  /** Samples per shard of the automatic choice, up to {@value #SMALL_BATCH_SHARDS} shards. */
  public static final int SMALL_SHARD = 16;
  /** Samples per shard of the automatic choice beyond that. */
  public static final int LARGE_SHARD = 32;
  /** Shards of {@value #SMALL_SHARD} the automatic choice makes at most (B &lt;= 1024). */
  public static final int SMALL_BATCH_SHARDS = 64;
  /** Parameters per reduction chunk (the reduction runs in parallel over chunks). */
  static final int REDUCE_CHUNK = 1024;
  /** Padding between per-shard losses (doubles), so shards on two threads share no cache line. */
  private static final int PAD = 8;

  private final FloatLearningRule rule;
  private final int shards;
  private final WorkerPool pool;
  private final boolean ownsPool;
  private final WorkerPool.Job job;
  // arguments of the gradient call in flight (read by the shard task)
  private FloatParameters callParams;
  private FloatBatch callBatch;
  private Dataset callData;
  private int[] callIndices;
  private int callOffset;
  private int callSize;
  private Workspace callWorkspace;
  private int callShards;
  private float[] callGrad;
  private boolean reducing;

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
    this.job = pool.newJob(this::runTask);
  }

  /**
   * The automatic shard count for a batch size: floor(B / {@value #SMALL_SHARD}) (at least 1) up
   * to B = 1024, then max(64, floor(B / {@value #LARGE_SHARD})): a shard per core on 16 cores at
   * B = 256 and on 64 at B = 1024, shards small enough to spread and large enough for efficient
   * GEMMs (measured on 16 Xeon cores: B = 256 on 16 threads 1.34 ms with 16 shards, 2.0 ms with
   * 8; B = 4096 11.2 ms with 128 shards, 13.0 with 256, 14.3 with 64). It depends on B only, so
   * results do not depend on the thread count.
   */
  public static int defaultShards(int batchSize) {
    if (batchSize <= SMALL_SHARD * SMALL_BATCH_SHARDS) {
      return Math.max(1, batchSize / SMALL_SHARD);
    }
    return Math.max(SMALL_BATCH_SHARDS, batchSize / LARGE_SHARD);
  }

  /** The wrapped rule. */
  public FloatLearningRule rule() {
    return rule;
  }

  /** S, the shard count (a batch of B &lt; S samples uses B shards of one). */
  public int shards() {
    return shards;
  }

  /** K, the most threads that work on one gradient. */
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
  public long stateBytesPerSample(int steps) {
    return rule.stateBytesPerSample(steps);
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
    ws.checkCapacity(b);
    int effective = Math.min(shards, b);
    if (effective == 1) {
      return rule.gradient(p, batch, ws.seat(0), grad);
    }
    ws.prepare(b, batch.steps(), batch.classification(), batch.labelsPerStep(), batch.inputs(),
        batch.outputs(), batch.lossMask(), effective);
    ws.maskSource = null; // copyShard copies the batch's mask with every call
    callBatch = batch;
    return runShards(p, ws, b, effective, grad);
  }

  /**
   * The estimate on the minibatch of trials {@code indices[offset .. offset + B)} of {@code data}
   * (B = the workspace's batch capacity), each shard gathered by the thread that computes it: the
   * same bits as gathering the minibatch into one batch and calling
   * {@link #gradient(FloatParameters, FloatBatch, FloatWorkspace, float[])}.
   */
  public double gradient(FloatParameters p, Dataset data, int[] indices, int offset,
      FloatWorkspace workspace, float[] grad) {
    Workspace ws = cast(workspace);
    int b = ws.batchCapacity;
    int effective = Math.min(shards, b);
    boolean classification = data.kind() == TaskKind.CLASSIFICATION;
    ws.prepare(b, data.steps(), classification, false, data.inputSize(), data.outputSize(),
        null, effective);
    ws.maskFrom(data);
    callData = data;
    callIndices = indices;
    callOffset = offset;
    if (effective == 1) {
      FloatBatch sb = ws.shardBatches[0];
      data.gather(indices, offset, b, sb.x(), sb.labels(), sb.targets());
      callData = null;
      callIndices = null;
      return rule.gradient(p, sb, ws.seat(0), grad);
    }
    return runShards(p, ws, b, effective, grad);
  }

  private double runShards(FloatParameters p, Workspace ws, int b, int effective, float[] grad) {
    callParams = p;
    callWorkspace = ws;
    callShards = effective;
    callSize = b;
    callGrad = grad;
    try {
      job.run(effective);
      reducing = true;
      job.run((grad.length + REDUCE_CHUNK - 1) / REDUCE_CHUNK);
    } finally {
      reducing = false;
      callParams = null;
      callBatch = null;
      callData = null;
      callIndices = null;
      callWorkspace = null;
      callGrad = null;
    }
    double j = 0;
    for (int s = 0; s < effective; s++) {
      j += ws.weights[s] * ws.losses[s * PAD];
    }
    return j;
  }

  private void runTask(int seat, int index) {
    if (reducing) {
      reduce(callWorkspace, callShards, callGrad, index, seat);
      return;
    }
    Workspace ws = callWorkspace;
    FloatBatch sb = ws.shardBatches[index];
    int start = shardStart(index, callSize, callShards);
    if (callData != null) {
      callData.gather(callIndices, callOffset + start, sb.size(), sb.x(), sb.labels(),
          sb.targets());
    } else {
      copyShard(callBatch, start, sb);
    }
    float[] g = ws.grads[index];
    if (g == null) { // made by the thread that computes the shard (first touch)
      g = new float[ws.params];
      ws.grads[index] = g;
    }
    ws.losses[index * PAD] = rule.gradient(callParams, sb, ws.seat(seat), g);
  }

  /**
   * Parameters [c R, (c + 1) R) of g: acc_i = ((0 + w_0 g_0i) + w_1 g_1i) + ..., in f64 and shard
   * order for every i (the loop over i inside the loop over s keeps that order and lets the
   * adds of neighbouring parameters overlap), rounded once.
   */
  private static void reduce(Workspace ws, int effective, float[] grad, int chunk, int seat) {
    int lo = chunk * REDUCE_CHUNK;
    int n = Math.min(grad.length, lo + REDUCE_CHUNK) - lo;
    double[] acc = ws.reduceScratch(seat);
    Arrays.fill(acc, 0, n, 0.0);
    for (int s = 0; s < effective; s++) {
      double w = ws.weights[s];
      float[] g = ws.grads[s];
      for (int i = 0; i < n; i++) {
        acc[i] += w * g[lo + i];
      }
    }
    for (int i = 0; i < n; i++) {
      grad[lo + i] = (float) acc[i];
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
    rule.beginOnline(p, cast(ws).seat(0));
  }

  @Override
  public double stepOnline(FloatParameters p, FloatBatch batch, int t, FloatWorkspace ws,
      float[] grad) {
    return rule.stepOnline(p, batch, t, cast(ws).seat(0), grad);
  }

  /** Leaves the pool, and closes it when this rule made it. */
  @Override
  public void close() {
    job.close();
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
   * Per-seat workspaces of the wrapped rule (each for the largest shard, made by the thread that
   * first takes the seat), one gradient buffer per shard, and the shard batches (made on first
   * use for a batch shape).
   */
  public final class Workspace implements FloatWorkspace {
    private final ParallelRule owner = ParallelRule.this;
    private final int batchCapacity;
    private final int stepCapacity;
    private final int innerBatch;
    private final FloatWorkspace[] inner;
    private final float[][] grads;
    private final double[] losses;
    private final double[] weights;
    private final int params;
    private final double[][] reduceScratch;
    private FloatBatch[] shardBatches;
    private Dataset maskSource; // the dataset whose loss mask the shard batches hold
    private int preparedSize = -1;
    private int preparedSteps = -1;
    private boolean preparedClassification;
    private boolean preparedPerStep;

    Workspace(int batchSize, int steps) {
      this.batchCapacity = batchSize;
      this.stepCapacity = steps;
      int most = Math.min(shards, batchSize);
      this.innerBatch = most == 1 ? batchSize : (batchSize + most - 1) / most;
      this.inner = new FloatWorkspace[Math.min(Math.min(pool.size(), most), WorkerPool.MAX_SEATS)];
      inner[0] = rule.newWorkspace(innerBatch, steps);
      int params = new ParameterLayout(rule.config()).size();
      this.grads = new float[most == 1 ? 0 : most][];
      this.losses = new double[most * PAD];
      this.weights = new double[most];
      this.params = params;
      this.reduceScratch = new double[Math.min(pool.size(), WorkerPool.MAX_SEATS)][];
    }

    double[] reduceScratch(int seat) {
      double[] a = reduceScratch[seat];
      if (a == null) {
        a = new double[REDUCE_CHUNK];
        reduceScratch[seat] = a;
      }
      return a;
    }

    FloatWorkspace seat(int seat) {
      FloatWorkspace w = inner[seat];
      if (w == null) {
        w = rule.newWorkspace(innerBatch, stepCapacity);
        inner[seat] = w;
      }
      return w;
    }

    /** Puts the dataset's loss mask into the shard batches (once per dataset). */
    void maskFrom(Dataset data) {
      if (maskSource != data) {
        float[] mask = data.lossMask();
        for (FloatBatch sb : shardBatches) {
          sb.lossMask(mask);
        }
        maskSource = data;
      }
    }

    void checkCapacity(int b) {
      if (b > batchCapacity) {
        throw new IllegalArgumentException("batch of " + b + " exceeds the workspace capacity "
            + batchCapacity);
      }
    }

    void prepare(int b, int steps, boolean classification, boolean perStep, int inputs,
        int outputs, float[] mask, int effective) {
      if (b == preparedSize && steps == preparedSteps
          && classification == preparedClassification && perStep == preparedPerStep) {
        return;
      }
      shardBatches = new FloatBatch[effective];
      for (int s = 0; s < effective; s++) {
        int n = shardStart(s + 1, b, effective) - shardStart(s, b, effective);
        FloatBatch sb = classification
            ? FloatBatch.classification(steps, n, inputs, outputs, perStep)
            : FloatBatch.regression(steps, n, inputs, outputs);
        shardBatches[s] = mask == null ? sb : sb.lossMask(mask);
        weights[s] = (double) n / b;
      }
      maskSource = null;
      preparedSize = b;
      preparedSteps = steps;
      preparedClassification = classification;
      preparedPerStep = perStep;
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
        bytes += w == null ? 0 : w.sizeInBytes();
      }
      for (float[] g : grads) {
        bytes += g == null ? 0 : (long) Float.BYTES * g.length;
      }
      return bytes;
    }
  }
}
