package org.tca.rules.learning;

import java.util.Arrays;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.model.Block;
import org.tca.rules.model.BlockView;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleNetwork;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.DoubleTrajectory;
import org.tca.rules.model.ModelConfig;

/**
 * Truncated BPTT(k): the backward recursion started at each loss step s stops k steps back, so
 * the loss at s sends credit only to the drives u_t with s - k &lt; t &lt;= s (through both the
 * recurrent and the leak path); k &gt;= T gives BPTT, k = 1 keeps only the immediate step. For each
 * loss step s, with its own recursion (G, DU^s) started fresh:
 *
 * <pre>
 *   GZ^s_t = [t = s] DY_s W_out + [t &lt; s] DU^s_{t+1} W_rec,   t = s, s-1, ..., max(0, s-k+1)
 *   (G^s_t, DU^s_t) from the cell as in BPTT;      DU_t += DU^s_t
 * </pre>
 *
 * then the weight gradients from the summed DU as one GEMM over time, as in {@link DoubleBptt}.
 * Cost: sum over loss steps of min(k, s+1) recurrent steps. Equivalently, the gradient of
 * sum_s w_s l_s where the state entering step s-k+1 is treated as a constant.
 *
 * <p>Online (B = 1): the same recursion run at each loss step t as soon as it is reached, over a
 * ring of the last min(k, T) + 1 states, with rank-1 weight updates for r = t, t-1, ...,
 * max(0, t-k+1): dW_in += du_r x_r^T, dW_rec += du_r z_{r-1}^T, db_rec += du_r. Work O(k N^2) per
 * loss step; the ring is O(k N) (the workspace also holds the offline buffers, O(T B N)). With
 * fixed weights the per-step estimates sum to the offline tBPTT(k) gradient.
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
public final class DoubleTruncatedBptt implements DoubleLearningRule {

  private final ModelConfig config;
  private final int window;
  private final DoubleKernels k;
  private final DoubleNetwork network;
  private final DoubleCellBackward cell;
  private final DoubleSampleStep sample;

  /** tBPTT(k) with the kernels this JVM picked. */
  public DoubleTruncatedBptt(ModelConfig config, int k) {
    this(config, k, Kernels.f64());
  }

  /** tBPTT(k) with the given kernels. */
  public DoubleTruncatedBptt(ModelConfig config, int k, DoubleKernels kernels) {
    if (k < 1) {
      throw new IllegalArgumentException("truncation window k must be >= 1, got " + k);
    }
    this.config = config;
    this.window = k;
    this.k = kernels;
    this.network = new DoubleNetwork(config, kernels);
    this.cell = new DoubleCellBackward(config, kernels);
    this.sample = new DoubleSampleStep(config, kernels);
  }

  @Override
  public String id() {
    return "tbptt";
  }

  @Override
  public java.util.Map<String, Object> settings() {
    return java.util.Map.of("window", window);
  }

  /** The truncation window k. */
  public int window() {
    return window;
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  @Override
  public long stateBytesPerSample(int steps) {
    return (long) Double.BYTES * 2L * (Math.min(window, steps) + 1) * config.hidden();
  }

  @Override
  public DoubleBpttWorkspace newWorkspace(int batchSize, int steps) {
    return new DoubleBpttWorkspace(config, batchSize, steps);
  }

  @Override
  public double gradient(DoubleParameters p, DoubleBatch batch, DoubleWorkspace workspace,
      double[] grad) {
    DoubleBpttWorkspace ws = DoubleBpttWorkspace.cast(workspace);
    DoubleTrajectory tr = ws.trajectory;
    network.forward(p, batch, tr);
    double j = network.loss(batch, tr, ws.dy) + network.l2Penalty(p);
    int last = batch.lastLossStep();
    int nb = batch.size() * config.hidden();
    Arrays.fill(ws.du, 0, (last + 1) * nb, 0d);
    if (DoubleBptt.recurrentTrainable(p)) {
      for (int s = 0; s <= last; s++) {
        if (batch.lossMask()[s] != 0d) {
          recursion(p, batch, ws, s);
        }
      }
    }
    DoubleGradientAssembly.assemble(k, p, batch, tr, ws.du, last + 1, ws.dy, grad, ws.scratch);
    return j;
  }

  private void recursion(DoubleParameters p, DoubleBatch batch, DoubleBpttWorkspace ws, int s) {
    DoubleTrajectory tr = ws.trajectory;
    int n = config.hidden();
    int nOut = config.outputs();
    int bs = batch.size();
    int nb = bs * n;
    double[] w = p.data();
    int stop = Math.max(0, s - window + 1);
    for (int t = s; t >= stop; t--) {
      int cur = ((s - t) & 1) * nb;
      int next = nb - cur;
      Arrays.fill(ws.gz, 0, nb, 0d);
      if (t == s) {
        k.gemm(false, false, bs, n, nOut, 1d, ws.dy, tr.yOffset(t), nOut,
            w, p.view(Block.W_OUT).offset(), n, ws.gz, 0, n);
      } else {
        k.gemm(false, false, bs, n, n, 1d, ws.duLocal, next, n,
            w, p.view(Block.W_REC).offset(), n, ws.gz, 0, n);
      }
      cell.step(nb, tr.pre(), tr.slot(t + 1), ws.gz, 0, ws.g, 0, t == s, ws.duLocal, cur);
      k.axpy(nb, 1d, ws.duLocal, cur, ws.du, t * nb);
    }
  }

  @Override
  public boolean supportsOnline() {
    return true;
  }

  @Override
  public void beginOnline(DoubleParameters p, DoubleWorkspace workspace) {
    DoubleBpttWorkspace ws = DoubleBpttWorkspace.cast(workspace);
    int n = config.hidden();
    ws.ensureRing(Math.min(window, ws.stepCapacity()) + 1, n);
    Arrays.fill(ws.ringPre, 0, n, 0d);
    Arrays.fill(ws.ringZ, 0, n, 0d);
    ws.nextStep = 0;
  }

  @Override
  public double stepOnline(DoubleParameters p, DoubleBatch batch, int t, DoubleWorkspace workspace,
      double[] grad) {
    DoubleBpttWorkspace ws = DoubleBpttWorkspace.cast(workspace);
    if (batch.size() != 1) {
      throw new IllegalArgumentException("online mode needs B = 1, got B = " + batch.size());
    }
    if (ws.ringPre == null || t != ws.nextStep || t >= ws.stepCapacity()) {
      throw new IllegalStateException("online steps must come in order within the workspace's "
          + "capacity: expected t = " + ws.nextStep + ", got " + t + " (call beginOnline first)");
    }
    int n = config.hidden();
    int ring = ws.ringSlots;
    int cur = (t + 1) % ring * n;
    sample.forward(p, batch.x(), batch.xOffset(t, 0), ws.ringPre, ws.ringZ, t % ring * n, cur, ws.u);
    ws.nextStep = t + 1;
    Arrays.fill(grad, 0d);
    double w = (double) (batch.lossMask()[t] / batch.lossMaskSum());
    double l = 0;
    if (w != 0d) {
      l = sample.readout(p, batch, t, 0, w, ws.ringZ, cur, ws.y, ws.dyStep, grad);
      if (DoubleBptt.recurrentTrainable(p)) {
        onlineRecursion(p, batch, t, ws, grad);
      }
    }
    DoubleGradientAssembly.addL2(k, p, w, grad);
    p.maskGradient(grad);
    return w * l;
  }

  private void onlineRecursion(DoubleParameters p, DoubleBatch batch, int t, DoubleBpttWorkspace ws,
      double[] grad) {
    int n = config.hidden();
    int nIn = config.inputs();
    int ring = ws.ringSlots;
    double[] w = p.data();
    int wIn = p.view(Block.W_IN).offset();
    int wRec = p.view(Block.W_REC).offset();
    BlockView bRec = p.view(Block.B_REC);
    int stop = Math.max(0, t - Math.min(window, ring - 1) + 1);
    for (int s = t; s >= stop; s--) {
      int cur = ((t - s) & 1) * n;
      Arrays.fill(ws.gz, 0, n, 0d);
      if (s == t) {
        k.gemvT(config.outputs(), n, 1d, w, p.view(Block.W_OUT).offset(), n, ws.dyStep, 0, ws.gz, 0);
      } else {
        k.gemvT(n, n, 1d, w, wRec, n, ws.duLocal, n - cur, ws.gz, 0);
      }
      cell.step(n, ws.ringPre, (s + 1) % ring * n, ws.gz, 0, ws.g, 0, s == t, ws.duLocal, cur);
      k.decayedRank1(n, nIn, 1d, 1d, ws.duLocal, cur, batch.x(), batch.xOffset(s, 0), grad, wIn, nIn);
      k.decayedRank1(n, n, 1d, 1d, ws.duLocal, cur, ws.ringZ, s % ring * n, grad, wRec, n);
      if (bRec.size() > 0) {
        k.axpy(n, 1d, ws.duLocal, cur, grad, bRec.offset());
      }
    }
  }
}
