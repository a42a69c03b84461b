package org.tca.rules.learning;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.storage.DoubleMatrix;
import org.tca.rules.model.Block;
import org.tca.rules.model.Cell;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleNetwork;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.DoubleTrajectory;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.optim.DoubleOptimizer;

/**
 * What e-prop, RFLO, MDGL and ModProp share: an eligibility trace exact for the neuron's own
 * leak times a learning signal L_{p,t} that each rule defines. With q_t = [x_t | z_{t-1} | 1]
 * the presynaptic values of the drive u_t = W_in x_t + W_rec z_{t-1} + b_rec, psi_t = f'(pre_t)
 * and the update dtheta_{pq} = sum_t L_{p,t} e_{pq,t} (+ l2 W), the traces are
 *
 * <pre>
 *   voltage-leak: e_{pq,t} = psi_{p,t} qbar_{q,t},  qbar_t = a qbar_{t-1} + (1-a) q_t  (factored)
 *   rate-leak:    e_{pq,t} = P_{pq,t},  P_t = (1-a) P_{t-1} + a psi_t q_t'      (full N x W;
 *                 with a = 1 it is psi_t q_t', factored)
 * </pre>
 *
 * that is, d state_{p,t} / d theta_{pq} with z_{t-1} in the recurrent input held constant. The
 * readout blocks get the exact gradient dW_out = sum_t dy_t z_t', db_out = sum_t dy_t with
 * dy_t = w_t dl_t/dy_t (and the direct signal is L_t = B dy_t, {@link Feedback}).
 *
 * <p>Offline, the sums over t are swapped so that nothing N x N is stored: with L given for every
 * step, the backward filter of BPTT's cell step without its recurrent term,
 * voltage: g_t = psi_t . L_t + a g_{t+1}, du_t = (1-a) g_t; rate: g_t = L_t + (1-a) g_{t+1},
 * du_t = a psi_t . g_t ({@link DoubleCellBackward}), gives sum_t L_t e_t = sum_t du_t q_t', one GEMM
 * per block over the (steps x B) rows as in BPTT. Steps whose du is provably zero (no loss and
 * no signal when the state decay is 0, e.g. a = 0 with a last-step loss) are skipped: the GEMMs
 * run over the runs of active steps only. Online (B = 1) the traces run forward: qbar (N_in + N +
 * 1 values) or P (N x (N_in + N + 1)), and step t emits diag(L_t) e_t; the L2 term w_t l2 W is
 * folded into the first emission (the blocks start as a copy of W scaled in the same pass).
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
public abstract class DoubleLocalRule implements DoubleLearningRule {

  final ModelConfig config;
  final DoubleKernels k;
  final DoubleNetwork network;
  final DoubleCellBackward cell;
  final DoubleSampleStep sample;
  final Feedback feedback;
  final Activation f;
  final double decay;
  final double gain;
  /** True when the trace factors into post x pre vectors (voltage-leak, or rate-leak, a = 1). */
  final boolean factored;
  private final double[] feedbackT; // B' (N_out x N) for random feedback, null for symmetric
  final int n;
  final int nIn;
  final int nOut;
  final int recOff;
  final int biasOff;
  private final DoubleOnlineRows rows;

  DoubleLocalRule(ModelConfig config, Feedback feedback, DoubleKernels kernels) {
    this.config = config;
    this.k = kernels;
    this.network = new DoubleNetwork(config, kernels);
    this.cell = new DoubleCellBackward(config, kernels);
    this.sample = new DoubleSampleStep(config, kernels);
    this.feedback = feedback;
    this.f = config.activation();
    this.decay = (double) config.cell().stateDecay(config.leak());
    this.gain = (double) config.cell().inputGain(config.leak());
    this.factored = config.cell() == Cell.VOLTAGE_LEAK || decay == 0d;
    this.n = config.hidden();
    this.nIn = config.inputs();
    this.nOut = config.outputs();
    this.recOff = n * nIn;
    this.biasOff = config.recurrentBias() ? recOff + n * n : -1;
    this.rows = new DoubleOnlineRows(kernels, n, nIn, recOff, biasOff, decay, gain);
    if (feedback.isSymmetric()) {
      feedbackT = null;
    } else {
      double[] b = feedback.draw(n, nOut);
      feedbackT = new double[nOut * n];
      for (int p = 0; p < n; p++) {
        for (int o = 0; o < nOut; o++) {
          feedbackT[o * n + p] = (double) b[p * nOut + o];
        }
      }
    }
  }

  @Override
  public final ModelConfig config() {
    return config;
  }

  /** The online trace (qbar, or the full P) and ModProp's per-type trace. */
  @Override
  public final long stateBytesPerSample(int steps) {
    long trace = factored ? nIn + n + 1 : prefixLength();
    return (long) Double.BYTES * (trace + typeTraceLength());
  }

  /** The feedback B of the direct learning signal. */
  public final Feedback feedback() {
    return feedback;
  }

  /** A copy of the fixed random B (N x N_out), or null for symmetric feedback. */
  public final DoubleMatrix feedbackMatrix() {
    if (feedbackT == null) {
      return null;
    }
    double[] b = new double[n * nOut];
    for (int p = 0; p < n; p++) {
      for (int o = 0; o < nOut; o++) {
        b[p * nOut + o] = feedbackT[o * n + p];
      }
    }
    return DoubleMatrix.fromDense(b, n, nOut);
  }

  @Override
  public final DoubleLocalWorkspace newWorkspace(int batchSize, int steps) {
    return new DoubleLocalWorkspace(config, batchSize, steps);
  }

  @Override
  public final Map<String, Object> settings() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("rule", id());
    s.put("cell", config.cell().id());
    s.put("trace", factored ? "factored (post f' x filtered presynaptic)" : "full N x (N_in+N+1)");
    s.put("feedback", feedback.kind());
    if (!feedback.isSymmetric()) {
      s.put("feedback_seed", feedback.seed());
      s.put("feedback_sd", feedback.sd());
      s.put("feedback_distribution", "B[p][k] = sd * N(0,1), row-major from RandomStream(seed)");
    }
    addSettings(s);
    return Collections.unmodifiableMap(s);
  }

  @Override
  public final Map<String, DoubleMatrix> auxiliaryMatrices() {
    Map<String, DoubleMatrix> m = new LinkedHashMap<>();
    if (feedbackT != null) {
      m.put("B_feedback", feedbackMatrix());
    }
    addAuxiliary(m);
    return Collections.unmodifiableMap(m);
  }

  // ------------------------------------------------------------------ rule hooks

  void addSettings(Map<String, Object> s) {}

  void addAuxiliary(Map<String, DoubleMatrix> m) {}

  /** Number of cell types the rule needs scratch for (0: none). */
  int typeCount() {
    return 0;
  }

  /** True when offline needs the [T][B][N] credit buffer. */
  boolean needsCredit() {
    return false;
  }

  /** Marks the steps (beyond the loss steps) whose signal the rule may make nonzero. */
  void markActive(DoubleBatch batch, int last, boolean[] active) {}

  /** Adds the non-local part to the direct signal rows (offline). */
  void addNonlocal(DoubleParameters p, DoubleBatch batch, DoubleLocalWorkspace ws, int last) {}

  /**
   * True when {@link #addNonlocal} leaves du_t itself in the signal rows, having run a backward
   * filter of its own (ModProp's sender placement, whose update is not sum_t L_t e_t).
   */
  boolean nonlocalGivesDrive() {
    return false;
  }

  /** Online, before the trace moves from e_{t-1} to e_t ({@code loss}: direct is L_t). */
  void onlineBeforeTrace(DoubleParameters p, DoubleLocalWorkspace ws, int t, boolean loss,
      double[] grad) {}

  /** Online, after the trace became e_t and diag(direct_t) e_t was emitted. */
  void onlineAfterTrace(DoubleParameters p, DoubleLocalWorkspace ws, int t, boolean loss,
      double[] grad) {}

  // ------------------------------------------------------------------ offline

  @Override
  public final double gradient(DoubleParameters p, DoubleBatch batch, DoubleWorkspace ws,
      double[] grad) {
    return run(p, batch, DoubleLocalWorkspace.cast(ws, config), null, grad);
  }

  /**
   * The update with a given learning signal L [T][B][N] (time-major, as the states) in place of
   * the rule's own: sum_t L_t e_t for the recurrent blocks, the readout blocks and L2 as usual
   * (rows after the last loss step are not read; {@code signal} is not modified). With BPTT's
   * total dJ/dz_t (readout plus recurrent path, not the leak) this is the exact gradient.
   */
  public final double gradientWithLearningSignal(DoubleParameters p, DoubleBatch batch,
      DoubleWorkspace ws, double[] signal, double[] grad) {
    return run(p, batch, DoubleLocalWorkspace.cast(ws, config), signal, grad);
  }

  private double run(DoubleParameters p, DoubleBatch batch, DoubleLocalWorkspace ws,
      double[] external, double[] grad) {
    int bs = batch.size();
    ws.ensureOffline(bs, batch.steps(), needsCredit(), typeCount());
    ws.ensureTypes(typeCount());
    DoubleTrajectory tr = ws.trajectory;
    network.forward(p, batch, tr);
    double j = network.loss(batch, tr, ws.dy) + network.l2Penalty(p);
    int last = batch.lastLossStep();
    int nb = bs * n;
    Arrays.fill(grad, 0d);
    if (DoubleBptt.recurrentTrainable(p)) {
      boolean[] active = ws.active;
      for (int t = 0; t <= last; t++) {
        active[t] = external != null || decay != 0d || batch.lossMask()[t] != 0d;
      }
      if (external != null) {
        System.arraycopy(external, 0, ws.signal, 0, (last + 1) * nb);
      } else {
        markActive(batch, last, active);
        for (int t = 0; t <= last; t++) {
          if (active[t]) {
            Arrays.fill(ws.signal, t * nb, (t + 1) * nb, 0d);
          }
        }
        direct(p, batch, ws);
        addNonlocal(p, batch, ws, last);
      }
      boolean drive = external == null && nonlocalGivesDrive();
      for (int t = last; t >= 0 && !drive; t--) { // du_t in place of L_t
        if (active[t]) {
          cell.step(nb, tr.pre(), tr.slot(t + 1), ws.signal, t * nb, ws.g, 0, t == last,
              ws.signal, t * nb);
        }
      }
      DoubleLocalAssembly.recurrent(k, p, batch, ws, last, grad);
    }
    DoubleLocalAssembly.readout(k, p, batch, tr, ws.dy, ws.ones, grad);
    DoubleGradientAssembly.addL2(k, p, 1d, grad);
    DoubleLocalAssembly.mask(p, ws, grad);
    return j;
  }

  /** The direct signal L_t = dy_t B' (rows) at the loss steps, one GEMM per run of loss steps. */
  private void direct(DoubleParameters p, DoubleBatch batch, DoubleLocalWorkspace ws) {
    int bs = batch.size();
    double[] fb = feedbackT == null ? p.data() : feedbackT;
    int fbOff = feedbackT == null ? p.view(Block.W_OUT).offset() : 0;
    for (int t = 0; t < batch.steps(); t++) {
      int end = batch.lossRunEnd(t);
      if (end > t) {
        k.gemm(false, false, (end - t) * bs, n, nOut, 1d, ws.dy, ws.trajectory.yOffset(t), nOut,
            fb, fbOff, n, ws.signal, t * bs * n, n);
        t = end;
      }
    }
  }

  // ------------------------------------------------------------------ online

  @Override
  public final boolean supportsOnline() {
    return true;
  }

  @Override
  public final void beginOnline(DoubleParameters p, DoubleWorkspace workspace) {
    DoubleLocalWorkspace ws = DoubleLocalWorkspace.cast(workspace, config);
    ws.ensureOnline(!factored, typeTraceLength());
    ws.ensureTypes(typeCount());
    Arrays.fill(ws.pre, 0d);
    Arrays.fill(ws.z, 0d);
    Arrays.fill(ws.psiPrev, 0d);
    Arrays.fill(factored ? ws.pbar : ws.trace, 0d);
    if (ws.typeTrace != null) {
      Arrays.fill(ws.typeTrace, 0d);
    }
    ws.parity = 0;
    ws.nextStep = 0;
    ws.advanced = -1;
  }

  /** Length of each of ModProp's two online per-type trace buffers (0: none). */
  int typeTraceLength() {
    return 0;
  }

  /** Length of the recurrent prefix W_in | W_rec | b_rec of the parameters. */
  final int prefixLength() {
    return biasOff >= 0 ? biasOff + n : recOff + n * n;
  }

  @Override
  public final double stepOnline(DoubleParameters p, DoubleBatch batch, int t,
      DoubleWorkspace workspace, double[] grad) {
    return step(p, batch, t, DoubleLocalWorkspace.cast(workspace, config), grad, null, 0);
  }

  /**
   * Fused for e-prop and RFLO ({@link DoubleOnlineRows}): at a loss step with a finite loss,
   * W_in | W_rec go from the emission to the optimizer a chunk of rows at a time and the rest
   * of g_t from {@code grad}; otherwise (MDGL, ModProp, other steps) the two calls.
   */
  @Override
  public final double stepOnline(DoubleParameters p, DoubleBatch batch, int t,
      DoubleWorkspace workspace, double[] grad, DoubleOptimizer optimizer, double learningRate) {
    DoubleLocalWorkspace ws = DoubleLocalWorkspace.cast(workspace, config);
    DoubleOptimizer.checkStep(optimizer, p.data(), grad, 1.0, learningRate);
    double l = step(p, batch, t, ws, grad, plainOnline() ? optimizer : null, learningRate);
    if (ws.fused) {
      int from = recOff + n * n;
      optimizer.applySlice(p.data(), from, grad.length - from, grad, from);
      optimizer.endStep();
    } else if (Double.isFinite(l)) {
      optimizer.step(p.data(), grad, 1.0, learningRate);
    }
    return l;
  }

  /**
   * Advances the state to step t and writes y_t = W_out z_t + b_out into {@code y}; the
   * {@link #stepOnline} of step t that follows (parameters and x_t unchanged) takes this state
   * instead of computing it again.
   */
  @Override
  public final boolean predictOnline(DoubleParameters p, DoubleBatch batch, int t,
      DoubleWorkspace workspace, double[] y) {
    DoubleLocalWorkspace ws = DoubleLocalWorkspace.cast(workspace, config);
    advance(p, batch, t, ws);
    ws.advanced = t;
    double[] par = p.data();
    System.arraycopy(par, p.view(Block.B_OUT).offset(), y, 0, nOut);
    k.gemv(nOut, n, 1d, par, p.view(Block.W_OUT).offset(), n, ws.z, n - ws.parity * n, y, 0);
    return true;
  }

  /** The forward step t: pre_t, z_t into the state slot {@code cur}, psi_t = f'(pre_t). */
  private void advance(DoubleParameters p, DoubleBatch batch, int t, DoubleLocalWorkspace ws) {
    if (batch.size() != 1) {
      throw new IllegalArgumentException("online mode needs B = 1, got B = " + batch.size());
    }
    if (t != ws.nextStep || t >= batch.steps() || ws.advanced >= 0) {
      throw new IllegalStateException("online steps must come in order: expected t = "
          + ws.nextStep + ", got " + t + (ws.advanced >= 0 ? " again" : "")
          + " (call beginOnline for a new sequence)");
    }
    if (t == 0) {
      ws.maskSum = batch.lossMaskSum();
    }
    int prev = ws.parity * n;
    int cur = n - prev;
    sample.forward(p, batch.x(), batch.xOffset(t, 0), ws.pre, ws.z, prev, cur, ws.u);
    k.activationDerivative(f, n, ws.pre, cur, ws.psi, 0);
  }

  /** True when the online hooks below do nothing (e-prop, RFLO): the step can be fused. */
  boolean plainOnline() {
    return true;
  }

  /**
   * One online step; with {@code optimizer} and a loss step whose loss is
   * finite, begins the optimizer's step and applies it to W_in | W_rec (ws.fused then says so).
   */
  private double step(DoubleParameters p, DoubleBatch batch, int t, DoubleLocalWorkspace ws,
      double[] grad, DoubleOptimizer optimizer, double learningRate) {
    ws.fused = false;
    if (ws.advanced == t) {
      ws.advanced = -1;
    } else {
      advance(p, batch, t, ws);
    }
    int prev = ws.parity * n;
    int cur = n - prev;
    int xOff = batch.xOffset(t, 0);
    double w = (double) (batch.lossMask()[t] / ws.maskSum);
    boolean loss = w != 0d;
    boolean recurrent = DoubleBptt.recurrentTrainable(p);
    double l = 0;
    ws.basePending = false;
    if (!loss) {
      Arrays.fill(grad, 0d);
      ws.beta = 1d;
    } else {
      l = readout(p, batch, t, w, ws, cur, grad);
      // the recurrent blocks start as beta W (W_in | W_rec, beta = w l2) and 0 (b_rec), written
      // by the first emission in the same pass as its update, so L2 costs no pass of its own
      double c = w * (double) config.l2();
      if (recurrent) {
        ws.basePending = true;
        ws.base = c != 0d ? p.data() : null;
        ws.beta = c != 0d ? c : 1d;
      } else {
        Arrays.fill(grad, 0, prefixLength(), 0d);
      }
    }
    if (recurrent) {
      boolean fuse = optimizer != null && loss && Double.isFinite(w * l);
      onlineBeforeTrace(p, ws, t, loss, grad);
      if (fuse) {
        optimizer.beginStep(1.0, learningRate);
        ws.fused = true;
      }
      if (!factored) {
        rows.fullTrace(ws, batch.x(), xOff, prev, ws.direct, loss, grad, p,
            fuse ? optimizer : null);
      } else {
        updateTrace(ws, batch.x(), xOff, prev);
        if (fuse) {
          k.mul(n, ws.direct, 0, ws.psi, 0, ws.post, 0);
          rows.factored(ws, grad, p, optimizer);
        } else if (loss) {
          emit(ws, ws.direct, ws.psi, grad);
        }
      }
      writeBase(ws, grad);
      onlineAfterTrace(p, ws, t, loss, grad);
    }
    double[] s = ws.psiPrev;
    ws.psiPrev = ws.psi;
    ws.psi = s;
    ws.parity ^= 1;
    ws.nextStep = t + 1;
    DoubleLocalAssembly.mask(p, ws, grad);
    return w * l;
  }

  /**
   * Writes the pending base of this step's recurrent blocks (W_in | W_rec: a copy of W, the
   * first emission then scales it by beta, or 0; b_rec: 0), when no emission has written it.
   */
  private void writeBase(DoubleLocalWorkspace ws, double[] grad) {
    if (!ws.basePending) {
      return;
    }
    ws.basePending = false;
    int end = recOff + n * n;
    if (ws.base != null) {
      System.arraycopy(ws.base, 0, grad, 0, end);
    } else {
      Arrays.fill(grad, 0, end, 0d);
    }
    Arrays.fill(grad, end, prefixLength(), 0d);
  }

  /**
   * Online readout at a loss step with weight w: y = W_out z + b_out, dy = w dl/dy, writes
   * dW_out = w l2 W_out + dy z' and db_out = dy (overwriting those blocks) and the direct signal
   * B dy into ws.direct; returns l_t.
   */
  private double readout(DoubleParameters p, DoubleBatch batch, int t, double w,
      DoubleLocalWorkspace ws, int cur, double[] grad) {
    double[] par = p.data();
    int wOut = p.view(Block.W_OUT).offset();
    int bOut = p.view(Block.B_OUT).offset();
    System.arraycopy(par, bOut, ws.y, 0, nOut);
    k.gemv(nOut, n, 1d, par, wOut, n, ws.z, cur, ws.y, 0);
    double l = network.stepLoss(batch, t, 0, 1, ws.y, 0, ws.dyStep, 0, w);
    double c = w * (double) config.l2();
    if (c != 0d) {
      System.arraycopy(par, wOut, grad, wOut, nOut * n);
    } else {
      Arrays.fill(grad, wOut, wOut + nOut * n, 0d);
    }
    k.decayedRank1(nOut, n, c, 1d, ws.dyStep, 0, ws.z, cur, grad, wOut, n);
    System.arraycopy(ws.dyStep, 0, grad, bOut, nOut);
    Arrays.fill(ws.direct, 0d);
    if (feedbackT == null) {
      k.gemvT(nOut, n, 1d, par, wOut, n, ws.dyStep, 0, ws.direct, 0);
    } else {
      k.gemvT(nOut, n, 1d, feedbackT, 0, n, ws.dyStep, 0, ws.direct, 0);
    }
    return l;
  }

  /** e_{t-1} to e_t, factored: qbar = d qbar + g q_t (the full P: {@link DoubleOnlineRows}). */
  private void updateTrace(DoubleLocalWorkspace ws, double[] x, int xOff, int prev) {
    k.axpby(nIn, gain, x, xOff, decay, ws.pbar, 0);
    k.axpby(n, gain, ws.z, prev, decay, ws.pbar, nIn);
    ws.pbar[nIn + n] = decay * ws.pbar[nIn + n] + gain;
  }

  /**
   * grad = beta grad + diag(l) e on W_in | W_rec (beta = ws.beta, then 1 for later emissions
   * of the step) and grad += diag(l) e on b_rec, for the current trace: (l . psi) qbar' when
   * factored ({@code psi} the f' of the trace's step), row p of P scaled by l_p otherwise.
   */
  final void emit(DoubleLocalWorkspace ws, double[] l, double[] psi, double[] grad) {
    double beta = ws.beta; // scale of the base W_in | W_rec at the first emission of a step
    ws.beta = 1d;
    if (factored) {
      k.mul(n, l, 0, psi, 0, ws.post, 0);
      if (ws.basePending) { // grad = beta W + post pbar' (or post pbar'): one pass, no copy
        ws.basePending = false;
        k.rank1From(n, nIn, beta, ws.base, 0, nIn, 1d, ws.post, 0, ws.pbar, 0, grad, 0, nIn);
        k.rank1From(n, n, beta, ws.base, recOff, n, 1d, ws.post, 0, ws.pbar, nIn, grad, recOff,
            n);
        Arrays.fill(grad, recOff + n * n, prefixLength(), 0d);
      } else {
        k.decayedRank1(n, nIn, beta, 1d, ws.post, 0, ws.pbar, 0, grad, 0, nIn);
        k.decayedRank1(n, n, beta, 1d, ws.post, 0, ws.pbar, nIn, grad, recOff, n);
      }
      if (biasOff >= 0) {
        k.axpy(n, ws.pbar[nIn + n], ws.post, 0, grad, biasOff);
      }
      return;
    }
    writeBase(ws, grad);
    for (int i = 0; i < n; i++) {
      double li = l[i];
      if (li != 0d || beta != 1d) {
        k.axpby(nIn, li, ws.trace, i * nIn, beta, grad, i * nIn);
        k.axpby(n, li, ws.trace, recOff + i * n, beta, grad, recOff + i * n);
      }
    }
    if (biasOff >= 0) {
      k.mul(n, l, 0, ws.trace, biasOff, ws.post, 0);
      k.axpy(n, 1d, ws.post, 0, grad, biasOff);
    }
  }
}
