package org.tca.rules.spiking;

import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.model.Block;
import org.tca.rules.model.BlockView;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleNetwork;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.LossKind;

/**
 * The event-driven forward pass and loss of the LIF/ALIF network of {@link SpikingConfig}. Per
 * step and sample, the drive is gathered rather than multiplied:
 *
 * <pre>
 *   v_t = alpha v_{t-1} + sum_{k: x_t[k] != 0} x_t[k] W_in[:, k] + sum_{i: z_{t-1}[i] = 1} W_rec[:, i]
 *         - v_th z_{t-1}
 * </pre>
 *
 * (rows of transposed copies of W_in and W_rec, so the cost is (input events + spikes) x N rather
 * than (N_in + N) x N), then a_t, z_t, psi_t and the refractory counters as in the config's
 * equations; y_t = W_out zf_t + c_t b_out at the loss steps (one GEMM per run of loss steps).
 * Loss: the data loss as for the rate network ({@link DoubleNetwork#stepLoss}), the firing-rate
 * term (c_r/2) mean_b sum_j (r_bj - r_0)^2 and the L2 penalty. Stateless apart from its config
 * and kernels; thread-safe.
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
public final class DoubleSpikingNetwork {

  private final SpikingConfig config;
  private final DoubleKernels k;
  private final DoubleNetwork rate;
  private final DoubleSpikingConstants cell;

  /** A network using the kernels this JVM picked. */
  public DoubleSpikingNetwork(SpikingConfig config) {
    this(config, Kernels.f64());
  }

  /** A network using the given kernels. */
  public DoubleSpikingNetwork(SpikingConfig config, DoubleKernels kernels) {
    this.config = config;
    this.k = kernels;
    this.rate = new DoubleNetwork(config.base(), kernels);
    this.cell = new DoubleSpikingConstants(config);
  }

  /** The config. */
  public SpikingConfig config() {
    return config;
  }

  /** The kernels. */
  public DoubleKernels kernels() {
    return k;
  }

  /** The cell's constants in f64, shared by the rules made for this network. */
  public DoubleSpikingConstants constants() {
    return cell;
  }

  /**
   * Runs the batch forward into the trajectory (every step stored, readout at the loss steps).
   * Per step and sample, the indices of the nonzero inputs x_t and of the spikes z_t are listed
   * once ({@link DoubleSpikingTrajectory}) and the drive is a sum over those lists; the backward
   * pass reuses them.
   */
  public void forward(DoubleParameters p, DoubleBatch batch, DoubleSpikingTrajectory tr) {
    check(p, batch);
    int n = config.hidden();
    int nIn = config.base().inputs();
    int bs = batch.size();
    int steps = batch.steps();
    int nb = bs * n;
    tr.bind(bs, steps);
    transpose(p, tr.inputTransposed, tr.recurrentTransposed);
    double c = 0d;
    for (int t = 0; t < steps; t++) {
      advance(batch, t, tr);
      c = cell.kappa * c + 1d;
      tr.biasFilter()[t] = c;
    }
    for (int t = 0; t < steps; t++) {
      int end = batch.lossRunEnd(t);
      if (end > t) {
        readout(p, tr, t, end);
        t = end;
      }
    }
  }

  /**
   * Step t of the forward pass for every sample: lists the nonzero inputs of x_t, sums the drive
   * over them and over the spikes of z_{t-1}, fires, lists the new spikes and updates zf and the
   * spike counts (a method per step, so that the JIT compiles it early).
   */
  private void advance(DoubleBatch batch, int t, DoubleSpikingTrajectory tr) {
    int n = config.hidden();
    int nIn = config.base().inputs();
    int bs = tr.batch();
    int nb = bs * n;
    int cur = ((t + 1) & 1) * nb;
    int prev = (t & 1) * nb;
    double[] x = batch.x();
    double[] v = tr.v;
    double[] z = tr.z();
    double[] zf = tr.filtered();
    int[] inputs = tr.inputs;
    int[] spikes = tr.spikes;
    int[] spikeStart = tr.spikeStart;
    int row0 = t * bs;
    int inputCount = t == 0 ? 0 : tr.inputStart[row0];
    int spikeCount = spikeStart[row0 + bs];
    for (int b = 0; b < bs; b++) {
      int row = row0 + b;
      int xr = batch.xOffset(t, b);
      int firstInput = inputCount;
      tr.inputStart[row] = firstInput;
      inputCount = k.nonzeroIndices(nIn, x, xr, inputs, inputCount);
      tr.inputStart[row + 1] = inputCount;
      int vc = cur + b * n;
      System.arraycopy(v, prev + b * n, v, vc, n);
      k.scale(n, cell.alpha, v, vc);
      for (int q = firstInput; q < inputCount; q++) {
        int i = inputs[q];
        k.axpy(n, x[xr + i], tr.inputTransposed, i * n, v, vc);
      }
      for (int q = spikeStart[row], end = spikeStart[row + 1]; q < end; q++) {
        int i = spikes[q];
        k.axpy(n, 1d, tr.recurrentTransposed, i * n, v, vc);
        v[vc + i] -= cell.threshold;
      }
      int zp = tr.slot(t) + b * n;
      int zc = tr.slot(t + 1) + b * n;
      spikeCount = fire(v, vc, tr.a, prev + b * n, tr.a, cur + b * n, z, zp, z, zc, tr.psi(), zc,
          tr.refractory, b * n, spikes, spikeCount);
      spikeStart[row + bs + 1] = spikeCount;
    }
    double[] filter = tr.filterState;
    System.arraycopy(z, tr.slot(t + 1), filter, cur, nb);
    k.axpy(nb, 1d, z, tr.slot(t + 1), tr.counts, 0);
    k.axpy(nb, cell.kappa, filter, prev, filter, cur);
    if (batch.lossMask()[t] != 0d) {
      System.arraycopy(filter, cur, zf, tr.slot(t + 1), nb);
    }
  }

  /** Copies W_in' (N_in x N) and W_rec' (N x N) into the given buffers. */
  void transpose(DoubleParameters p, double[] inT, double[] recT) {
    int n = config.hidden();
    int nIn = config.base().inputs();
    double[] w = p.data();
    int win = p.view(Block.W_IN).offset();
    int wrec = p.view(Block.W_REC).offset();
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < nIn; i++) {
        inT[i * n + j] = w[win + j * nIn + i];
      }
      for (int i = 0; i < n; i++) {
        recT[i * n + j] = w[wrec + j * n + i];
      }
    }
  }

  /**
   * One step for {@code rows} samples: from (v, a, z)_{t-1} and x_t to (v, a, z, psi)_t, updating
   * the refractory counters (row-major B x N blocks at the given offsets; x rows of N_in).
   */
  void step(double[] inT, double[] recT, double[] x, int xOff, int rows, double[] vPrev, int vpOff,
      double[] vCur, int vcOff, double[] aPrev, int apOff, double[] aCur, int acOff, double[] zPrev,
      int zpOff, double[] zCur, int zcOff, double[] psi, int psiOff, int[] refractory) {
    int n = config.hidden();
    int nIn = config.base().inputs();
    for (int b = 0; b < rows; b++) {
      int vc = vcOff + b * n;
      int zp = zpOff + b * n;
      System.arraycopy(vPrev, vpOff + b * n, vCur, vc, n);
      k.scale(n, cell.alpha, vCur, vc);
      int xr = xOff + b * nIn;
      for (int i = 0; i < nIn; i++) {
        double xi = x[xr + i];
        if (xi != 0d) {
          k.axpy(n, xi, inT, i * n, vCur, vc);
        }
      }
      for (int i = 0; i < n; i++) {
        if (zPrev[zp + i] != 0d) {
          k.axpy(n, 1d, recT, i * n, vCur, vc);
          vCur[vc + i] -= cell.threshold;
        }
      }
      fire(vCur, vc, aPrev, apOff + b * n, aCur, acOff + b * n, zPrev, zp, zCur, zcOff + b * n,
          psi, psiOff + b * n, refractory, b * n, null, 0);
    }
  }

  /**
   * Thresholds one sample's fresh potentials v_t (row of N at {@code vc}): a_t for the ALIF units,
   * z_t and psi_t, the refractory counters (row {@code rc} of {@code refractory}) silencing the
   * units that spiked in the last n_ref steps, in one vectorised pass
   * ({@link DoubleKernels#threshold}). When {@code spikes} is not null the indices j with
   * z_t[j] = 1 are appended there from {@code count}. Returns the new count.
   */
  private int fire(double[] v, int vc, double[] aPrev, int ap, double[] aCur, int ac, double[] zPrev,
      int zp, double[] zCur, int zc, double[] psi, int pc, int[] refractory, int rc, int[] spikes,
      int count) {
    return k.threshold(cell.n, cell.first, cell.threshold, cell.beta, cell.rho, cell.psiScale,
        cell.refractory, v, vc, aPrev, ap, aCur, ac, zPrev, zp, zCur, zc, psi, pc, refractory, rc,
        spikes, count);
  }

  /** Computes y_t = W_out zf_t + c_t b_out for steps t0..t1-1 of the bound trajectory. */
  void readout(DoubleParameters p, DoubleSpikingTrajectory tr, int t0, int t1) {
    int n = config.hidden();
    int nOut = config.base().outputs();
    int bs = tr.batch();
    double[] y = tr.y();
    double[] w = p.data();
    BlockView bOut = p.view(Block.B_OUT);
    for (int t = t0; t < t1; t++) {
      double c = tr.biasFilter()[t];
      for (int b = 0; b < bs; b++) {
        int off = tr.yOffset(t) + b * nOut;
        for (int o = 0; o < nOut; o++) {
          y[off + o] = c * w[bOut.offset() + o];
        }
      }
    }
    k.gemm(false, true, (t1 - t0) * bs, nOut, n, 1d, tr.filtered(), tr.slot(t0 + 1), n,
        w, p.view(Block.W_OUT).offset(), n, y, tr.yOffset(t0), nOut);
  }

  /**
   * The data loss (1/B) sum_b sum_t (m_t / sum m) l_t of a forward pass; when {@code dy} is not
   * null it receives dJ/dy_t at every loss step, laid out like {@link DoubleSpikingTrajectory#y()}.
   */
  public double loss(DoubleBatch batch, DoubleSpikingTrajectory tr, double[] dy) {
    double maskSum = batch.lossMaskSum();
    int bs = batch.size();
    double total = 0;
    for (int t = 0; t < batch.steps(); t++) {
      double m = batch.lossMask()[t];
      if (m == 0d) {
        continue;
      }
      double w = m / maskSum / bs;
      total += w * rate.stepLoss(batch, t, 0, bs, tr.y(), tr.yOffset(t), dy, tr.yOffset(t),
          (double) w);
    }
    return total;
  }

  /**
   * The firing-rate term (c_r/2) (1/B) sum_b sum_j (r_bj - r_0)^2; when {@code dz} is not null
   * (B x N) it receives dR/dz_t[b][j] = c_r (r_bj - r_0) / (B T), the same at every step.
   */
  public double rateLoss(DoubleSpikingTrajectory tr, double[] dz) {
    if (config.rateCost() == 0) {
      if (dz != null) {
        java.util.Arrays.fill(dz, 0, tr.batch() * config.hidden(), 0d);
      }
      return 0;
    }
    int n = config.hidden();
    int bs = tr.batch();
    int steps = tr.steps();
    double total = 0;
    for (int r = 0; r < bs * n; r++) {
      double d = (double) tr.counts[r] / steps - config.targetRate();
      total += d * d;
      if (dz != null) {
        dz[r] = (double) (config.rateCost() * d / ((double) bs * steps));
      }
    }
    return 0.5 * config.rateCost() * total / bs;
  }

  /** The L2 penalty (l2/2)(|W_in|^2 + |W_rec|^2 + |W_out|^2). */
  public double l2Penalty(DoubleParameters p) {
    return rate.l2Penalty(p);
  }

  /** Forward pass, data loss, firing-rate term and L2 penalty: the full objective J. */
  public double objective(DoubleParameters p, DoubleBatch batch, DoubleSpikingTrajectory tr) {
    forward(p, batch, tr);
    return loss(batch, tr, null) + rateLoss(tr, null) + l2Penalty(p);
  }

  /**
   * Classification hits of a forward pass: (sample, loss step) pairs whose argmax_k y_t[b][k]
   * is the label (ties: the lowest k).
   */
  public int correct(DoubleBatch batch, DoubleSpikingTrajectory tr) {
    int nOut = config.base().outputs();
    int hits = 0;
    for (int t = 0; t < batch.steps(); t++) {
      if (batch.lossMask()[t] == 0d) {
        continue;
      }
      for (int b = 0; b < batch.size(); b++) {
        int off = tr.yOffset(t) + b * nOut;
        int best = 0;
        for (int o = 1; o < nOut; o++) {
          if (tr.y()[off + o] > tr.y()[off + best]) {
            best = o;
          }
        }
        hits += best == batch.label(t, b) ? 1 : 0;
      }
    }
    return hits;
  }

  /** The mean firing rate of a forward pass, in spikes per step and unit. */
  public double meanRate(DoubleSpikingTrajectory tr) {
    int nb = tr.batch() * config.hidden();
    double s = 0;
    for (int t = 1; t <= tr.steps(); t++) {
      s += k.sum(nb, tr.z(), tr.slot(t));
    }
    return s / ((double) nb * tr.steps());
  }

  private void check(DoubleParameters p, DoubleBatch batch) {
    if (!p.config().equals(config.base())) {
      throw new IllegalArgumentException("parameters were made for another config");
    }
    if (batch.inputs() != config.base().inputs() || batch.outputs() != config.base().outputs()) {
      throw new IllegalArgumentException("batch has N_in=" + batch.inputs() + ", N_out="
          + batch.outputs() + " but the model has " + config.base().inputs() + ", "
          + config.base().outputs());
    }
    if (batch.classification() != (config.base().loss() == LossKind.CROSS_ENTROPY)) {
      throw new IllegalArgumentException("a " + config.base().loss().id() + " loss needs a "
          + (batch.classification() ? "regression" : "classification") + " batch");
    }
  }
}
