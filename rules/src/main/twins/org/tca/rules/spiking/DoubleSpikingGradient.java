package org.tca.rules.spiking;

import java.util.Arrays;
import java.util.Map;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.numerics.storage.DoubleMatrix;
import org.tca.rules.learning.Feedback;
import org.tca.rules.learning.DoubleWorkspace;
import org.tca.rules.model.Block;
import org.tca.rules.model.BlockView;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;

/**
 * Offline gradients of the spiking network ({@link SpikingConfig}) through the pseudo-derivative:
 * BPTT ({@code "bptt"}) or e-prop ({@code "eprop"}, {@code "eprop-random"}). One reverse sweep,
 * t = T-1 .. 0 (rows are the B samples, s_t = v_t - A_t, dz/ds := psi_t):
 *
 * <pre>
 *   dybar_t = dJ/dy_t + kappa dybar_{t+1}                         (the leaky readout, backwards)
 *   gz_t = dybar_t B' + dR/dz_t + ga_{t+1}                         (+ (W_rec' - v_th) du_{t+1}: BPTT)
 *   W_rec' du_{t+1} = r_t = alpha r_{t+1} + W_rec' gs_{t+1}          (sparse: gs is mostly zero)
 *   gs_t = psi_t . gz_t
 *   du_t = gs_t + alpha du_{t+1}                                   (du_t = dJ/dv_t)
 *   ga_t = -beta gs_t + rho ga_{t+1}                               (ALIF units; dJ/da_t)
 *   dW_in = sum_t du_t' x_t,  dW_rec = sum_t du_t' z_{t-1},  dW_out = sum_t dy_t' zf_t,
 *   db_out = sum_t c_t dy_t,  plus l2 W
 * </pre>
 *
 * BPTT has B = W_out and the recurrent term: it is the exact gradient of the network in which H is
 * replaced by a straight-through function with derivative psi. e-prop drops the recurrent term,
 * i.e. z_{t-1} enters v_t (through W_rec and the reset) with its gradient stopped while the
 * neuron's own path z_{t-1} -&gt; a_t is kept: this is the reverse-mode form of Bellec et al.'s
 * eligibility traces (e_ji,t = psi_j,t (zbar_i,t-1 - beta eps_ji,t), eps_ji,t+1 = psi_j,t
 * zbar_i,t-1 + (rho - psi_j,t beta) eps_ji,t, filtered by kappa and multiplied by the learning
 * signal L_t = B dJ/dy_t), with B = W_out' or a fixed random B ~ N(0, 1/N). The readout blocks get
 * the exact gradient. The sums over t and b are event-driven: dW_in gathers the nonzero inputs,
 * dW_rec the spikes, each adding one row du_t[b] (a fixed order: deterministic).
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
public final class DoubleSpikingGradient extends DoubleSpikingNetworkRule {

  private static final Block[] BLOCKS = Block.values();

  private final boolean recurrent;
  private final Feedback feedback;
  private final double[] feedbackT; // B' (N_out x N), null for symmetric feedback

  private DoubleSpikingGradient(SpikingConfig config, boolean recurrent, Feedback feedback,
      DoubleKernels kernels) {
    super(new DoubleSpikingNetwork(config, kernels));
    this.recurrent = recurrent;
    this.feedback = feedback;
    if (feedback.isSymmetric()) {
      this.feedbackT = null;
    } else {
      double[] b = feedback.draw(n, nOut);
      this.feedbackT = new double[nOut * n];
      for (int j = 0; j < n; j++) {
        for (int o = 0; o < nOut; o++) {
          feedbackT[o * n + j] = (double) b[j * nOut + o];
        }
      }
    }
  }

  /** BPTT through the pseudo-derivative. */
  public static DoubleSpikingGradient bptt(SpikingConfig config) {
    return bptt(config, Kernels.f64());
  }

  /** BPTT through the pseudo-derivative, with the given kernels. */
  public static DoubleSpikingGradient bptt(SpikingConfig config, DoubleKernels kernels) {
    return new DoubleSpikingGradient(config, true, Feedback.SYMMETRIC, kernels);
  }

  /** e-prop with the given feedback (random: B ~ N(0, 1/N) from the seed). */
  public static DoubleSpikingGradient eprop(SpikingConfig config, Feedback feedback,
      DoubleKernels kernels) {
    return new DoubleSpikingGradient(config, false, feedback, kernels);
  }

  /** e-prop with symmetric feedback B = W_out'. */
  public static DoubleSpikingGradient eprop(SpikingConfig config) {
    return eprop(config, Feedback.SYMMETRIC, Kernels.f64());
  }

  /** e-prop with a fixed random B ~ N(0, 1/N) drawn from {@code seed}. */
  public static DoubleSpikingGradient epropRandom(SpikingConfig config, long seed,
      DoubleKernels kernels) {
    return eprop(config, Feedback.random(seed, 1.0 / Math.sqrt(config.hidden())), kernels);
  }

  @Override
  public String id() {
    return recurrent ? "bptt" : feedback.isSymmetric() ? "eprop" : "eprop-random";
  }

  /** B' (N_out x N) of random feedback, null for symmetric feedback (not a copy). */
  double[] feedbackTransposed() {
    return feedbackT;
  }

  /** The forward network. */
  public DoubleSpikingNetwork network() {
    return network;
  }

  @Override
  public Map<String, Object> settings() {
    return recurrent ? Map.of("neurons", "lif/alif")
        : Map.of("neurons", "lif/alif", "feedback", feedback.kind(), "feedback_seed",
            feedback.seed());
  }

  @Override
  public Map<String, DoubleMatrix> auxiliaryMatrices() {
    if (feedbackT == null) {
      return Map.of();
    }
    DoubleMatrix b = DoubleMatrix.zeros(n, nOut);
    for (int j = 0; j < n; j++) {
      for (int o = 0; o < nOut; o++) {
        b.set(j, o, feedbackT[o * n + j]);
      }
    }
    return Map.of("B_feedback", b);
  }

  /**
   * The stored forward pass both rules read backwards here: spikes, pseudo-derivatives and
   * filtered spikes, (T + 1) x N each, and the readouts, T x N_out, plus its event lists (ints:
   * room for T x N spikes and T x N_in input events and their T + 1 and T row starts, not
   * counting the one closing entry of each row-start array per batch; e-prop's
   * online form would need only its traces; this class computes it offline, in reverse mode).
   */
  @Override
  public long stateBytesPerSample(int steps) {
    return (long) Double.BYTES * (3L * (steps + 1) * n + (long) steps * config.base().outputs())
        + (long) Integer.BYTES * (steps * (n + config.base().inputs() + 2L) + 1);
  }

  @Override
  public DoubleSpikingWorkspace newWorkspace(int batchSize, int steps) {
    return new DoubleSpikingWorkspace(config, batchSize, steps,
        recurrent ? k.vectorBits() / Double.SIZE : 0);
  }

  /**
   * What {@link #newWorkspace} allocates (offline only): the trajectory (z, psi, zf: (T + 1) b N;
   * y: T b N_out; c_t: T; v, a, the filter state: 2 b N each; the refractory counters and the
   * spike counts: b N each; W_in', W_rec'; the spike and input lists, T b (N + N_in), and their
   * row starts, (T + 1) b + 1 and T b + 1) and the sweep's buffers (dy: T b N_out; du: T b N;
   * gz, ga, dR/dz: b N each; the carry: b N_p; dybar: b N_out; dW_in', dW_rec'; N indices;
   * BPTT's padded copy of W_rec: N N_p).
   */
  @Override
  public long workspaceValues(long b, long steps, boolean online) {
    return workspaceValues(b, steps, recurrent ? k.vectorBits() / Double.SIZE : 0);
  }

  /**
   * What a {@link DoubleSpikingWorkspace} with {@code lanes} allocates (lanes &gt; 0: BPTT's copy
   * of W_rec and the carry, rows padded to N_p, a multiple of lanes; 0: unpadded, no copy).
   */
  long workspaceValues(long b, long steps, int lanes) {
    long n = config.hidden();
    long nIn = config.base().inputs();
    long nOut = config.base().outputs();
    long padded = lanes > 0 ? (n + lanes - 1) / lanes * lanes : n;
    long trajectory = 3 * (steps + 1) * b * n + steps * b * nOut + steps + 8 * b * n
        + (nIn + n) * n + steps * b * (n + nIn) + (2 * steps + 1) * b + 2;
    return trajectory + steps * b * (nOut + n) + 3 * b * n + b * padded + b * nOut
        + (nIn + n) * n + n + (lanes > 0 ? n * padded : 0);
  }

  @Override
  public double gradient(DoubleParameters p, DoubleBatch batch, DoubleWorkspace workspace,
      double[] grad) {
    DoubleSpikingWorkspace ws = DoubleSpikingWorkspace.cast(workspace);
    DoubleSpikingTrajectory tr = ws.trajectory;
    network.forward(p, batch, tr);
    double j = network.loss(batch, tr, ws.dy) + network.rateLoss(tr, ws.rateGrad)
        + network.l2Penalty(p);
    int start = config.rateCost() > 0 ? batch.steps() - 1 : batch.lastLossStep();
    Arrays.fill(grad, 0d);
    boolean upstream = p.trainable(Block.W_IN) || p.trainable(Block.W_REC);
    if (upstream) {
      backward(p, batch, ws, start);
      assembleUpstream(p, batch, ws, start, grad);
    }
    assembleReadout(p, batch, ws, grad);
    addL2(p, grad);
    p.maskGradient(grad);
    return j;
  }

  /** The reverse sweep of the class comment: du_t for t = start .. 0. */
  private void backward(DoubleParameters p, DoubleBatch batch, DoubleSpikingWorkspace ws,
      int start) {
    int nb = batch.size() * config.hidden();
    if (recurrent) {
      ws.padRecurrent(p);
    }
    Arrays.fill(ws.dyBar, 0, batch.size() * config.base().outputs(), 0d);
    Arrays.fill(ws.ga, 0, nb, 0d);
    for (int t = start; t >= 0; t--) {
      reverseStep(p, batch, ws, t, t < start);
    }
  }

  /** Step t of the reverse sweep ({@code later}: t &lt; start, so step t+1's du and ga count). */
  private void reverseStep(DoubleParameters p, DoubleBatch batch, DoubleSpikingWorkspace ws, int t,
      boolean later) {
    DoubleSpikingTrajectory tr = ws.trajectory;
    int bs = batch.size();
    int nb = bs * n;
    double[] w = p.data();
    double[] fb = feedbackT == null ? w : feedbackT;
    int fbOff = feedbackT == null ? p.view(Block.W_OUT).offset() : 0;
    for (int i = 0; i < bs * nOut; i++) {
      // decayed below the smallest normal double: flushed (denormal arithmetic is slow, and a
      // term under 2^-126 |W| is far below the rounding error of gz)
      double d = kappa * ws.dyBar[i];
      ws.dyBar[i] = Math.abs(d) < Double.MIN_NORMAL ? 0d : d;
    }
    if (batch.lossMask()[t] != 0d) {
      k.axpy(bs * nOut, 1d, ws.dy, tr.yOffset(t), ws.dyBar, 0);
    }
    System.arraycopy(ws.rateGrad, 0, ws.gz, 0, nb);
    k.gemm(false, false, bs, n, nOut, 1d, ws.dyBar, 0, nOut, fb, fbOff, n, ws.gz, 0, n);
    if (later && recurrent) {
      for (int b = 0; b < bs; b++) {
        k.axpy(n, 1d, ws.carry, b * ws.paddedRow, ws.gz, b * n);
      }
      k.axpy(nb, -threshold, ws.du, (t + 1) * nb, ws.gz, 0);
    }
    if (later && first < n) {
      for (int b = 0; b < bs; b++) {
        k.axpy(n - first, 1d, ws.ga, b * n + first, ws.gz, b * n + first);
      }
    }
    int du = t * nb;
    if (recurrent && t > 0) {
      carry(ws, bs, tr.slot(t + 1), du, later);
    } else {
      k.mul(nb, tr.psi(), tr.slot(t + 1), ws.gz, 0, ws.du, du);
    }
    if (first < n) {
      for (int b = 0; b < bs; b++) {
        // ga_t = rho ga_{t+1} - beta gs_t, read before du_t absorbs alpha du_{t+1}
        k.axpby(n - first, -beta, ws.du, du + b * n + first, rho, ws.ga, b * n + first);
      }
    }
    if (later && alpha != 0d) {
      k.axpy(nb, alpha, ws.du, du + nb, ws.du, du);
    }
  }

  /**
   * gs_t = psi_t . gz_t into du_t's slot and r_{t-1} = W_rec' du_t, the recurrent term step t-1
   * needs, from r_t = W_rec' du_{t+1} and the sparse gs_t (before du_t absorbs alpha du_{t+1}):
   * r_{t-1} = alpha r_t + sum_{j: gs_t[b][j] != 0} gs_t[b][j] W_rec[j, :], a row of W_rec per
   * nonzero (gs_t is psi_t times a gradient, and psi_t is zero away from the threshold: about 14%
   * nonzero at 13 Hz), listed by the product's own pass. The rows come from the workspace's copy
   * of W_rec with rows padded to a multiple of the vector length (r's rows too), so that every
   * row is whole vectors.
   */
  private void carry(DoubleSpikingWorkspace ws, int bs, int psi, int gs, boolean later) {
    int np = ws.paddedRow;
    for (int b = 0; b < bs; b++) {
      int nonzero = k.mulNonzero(n, ws.trajectory.psi(), psi + b * n, ws.gz, b * n, ws.du,
          gs + b * n, ws.nonzero, 0);
      k.gatherRows(np, later ? alpha : 0d, ws.paddedRecurrent, 0, np, ws.du, gs + b * n,
          ws.nonzero, nonzero, ws.carry, b * np);
    }
  }

  /** dW_in and dW_rec as sums of the rows du_t[b] over the forward pass's event lists. */
  void assembleUpstream(DoubleParameters p, DoubleBatch batch, DoubleSpikingWorkspace ws,
      int start, double[] grad) {
    double[] gin = ws.inputGradT;
    double[] grec = ws.recurrentGradT;
    Arrays.fill(gin, 0d);
    Arrays.fill(grec, 0d);
    for (int t = 0; t <= start; t++) {
      sumEvents(batch, ws, t);
    }
    BlockView win = p.view(Block.W_IN);
    BlockView wrec = p.view(Block.W_REC);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < nIn; i++) {
        grad[win.offset() + j * nIn + i] = gin[i * n + j];
      }
      for (int i = 0; i < n; i++) {
        grad[wrec.offset() + j * n + i] = grec[i * n + j];
      }
    }
  }

  /** Adds step t's rows du_t[b] to the rows of dW_in' and dW_rec' of its events. */
  private void sumEvents(DoubleBatch batch, DoubleSpikingWorkspace ws, int t) {
    DoubleSpikingTrajectory tr = ws.trajectory;
    int bs = batch.size();
    double[] x = batch.x();
    for (int b = 0; b < bs; b++) {
      int row = t * bs + b;
      int du = row * n;
      int xr = batch.xOffset(t, b);
      for (int q = tr.inputStart[row], end = tr.inputStart[row + 1]; q < end; q++) {
        int i = tr.inputs[q];
        k.axpy(n, x[xr + i], ws.du, du, ws.inputGradT, i * n);
      }
      for (int q = tr.spikeStart[row], end = tr.spikeStart[row + 1]; q < end; q++) {
        k.axpy(n, 1d, ws.du, du, ws.recurrentGradT, tr.spikes[q] * n);
      }
    }
  }

  /** dW_out = sum_t dy_t' zf_t and db_out = sum_t c_t sum_b dy_t[b] over the loss steps. */
  void assembleReadout(DoubleParameters p, DoubleBatch batch, DoubleSpikingWorkspace ws,
      double[] grad) {
    DoubleSpikingTrajectory tr = ws.trajectory;
    int bs = batch.size();
    int wOut = p.view(Block.W_OUT).offset();
    int bOut = p.view(Block.B_OUT).offset();
    for (int t = 0; t < batch.steps(); t++) {
      if (batch.lossMask()[t] == 0d) {
        continue;
      }
      k.gemm(true, false, nOut, n, bs, 1d, ws.dy, tr.yOffset(t), nOut, tr.filtered(),
          tr.slot(t + 1), n, grad, wOut, n);
      double c = tr.biasFilter()[t];
      for (int b = 0; b < bs; b++) {
        k.axpy(nOut, c, ws.dy, tr.yOffset(t) + b * nOut, grad, bOut);
      }
    }
  }

  void addL2(DoubleParameters p, double[] grad) {
    double l2 = (double) config.base().l2();
    if (l2 == 0d) {
      return;
    }
    for (Block b : BLOCKS) {
      if (b.penalised()) {
        BlockView v = p.view(b);
        k.axpy(v.size(), l2, p.data(), v.offset(), grad, v.offset());
      }
    }
  }
}
