package org.tca.rules.spiking;

import java.util.Arrays;
import java.util.Map;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.learning.DoubleWorkspace;
import org.tca.rules.model.Block;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;

/**
 * RTRL on LIF/ALIF neurons through the pseudo-derivative: the exact surrogate gradient (that of
 * BPTT, {@link DoubleSpikingGradient#bptt}) in forward mode. With theta = W_in | W_rec (P = N N_in
 * + N^2 columns), the influence matrices Mv_t = dv_t/dtheta (N x P), Ma_t = da_t/dtheta (ALIF
 * rows, N_a x P), the immediate derivative I_t (row j: x_t in the W_in[j,:] columns, z_{t-1} in
 * the W_rec[j,:] columns) and Mv_0 = Ma_0 = 0:
 *
 * <pre>
 *   Dz_t   = diag(psi_t) (Mv_t - beta Ma_t)                      (dz_t/dtheta; beta = 0 for LIF)
 *   Mv_t   = alpha Mv_{t-1} + (W_rec - v_th I) Dz_{t-1} + I_t    (recurrent input and reset)
 *   Ma_t   = rho Ma_{t-1} + Dz_{t-1}
 *   Mbar_t = kappa Mbar_{t-1} + Dz_t                               (the leaky readout)
 *   dJ/dtheta = sum_t (W_out' dy_t)' Mbar_t + (dR/dz)' sum_t Dz_t + l2 theta
 * </pre>
 *
 * (dR/dz = c_r (r - r_0) / T is known at the last step, where that term is emitted; the sum of
 * Dz_t is kept only when c_r &gt; 0). The readout blocks get the exact gradient. O(N^2 P) time per
 * step and O(N P) memory, independent of T: for small networks (and as an oracle). Online (B = 1)
 * step t emits g_t = (W_out' dy_t)' Mbar_t + w_t l2 theta (+ the rate term at the last step);
 * offline runs the same recursion sample by sample and averages.
 */
public final class DoubleSpikingRtrl extends DoubleSpikingOnlineRule {

  private final int cols;

  /** RTRL with the given kernels. */
  public DoubleSpikingRtrl(SpikingConfig config, DoubleKernels kernels) {
    super(new DoubleSpikingNetwork(config, kernels), "rtrl", Map.of("neurons", "lif/alif",
        "influence", "Mv (N x P), Ma (N_a x P), Mbar (N x P)"));
    this.cols = n * nIn + n * n;
  }

  /** RTRL with the kernels this JVM picked. */
  public DoubleSpikingRtrl(SpikingConfig config) {
    this(config, Kernels.f64());
  }

  /** Mv, Ma and Mbar, and the sum of Dz_t when c_r &gt; 0: (2N + N_a [+ N]) P values. */
  @Override
  public long stateBytesPerSample(int steps) {
    long rows = 2L * n + config.adaptiveCount() + (config.rateCost() > 0 ? n : 0);
    return (long) Double.BYTES * rows * cols;
  }

  @Override
  public DoubleSpikingRtrlWorkspace newWorkspace(int batchSize, int steps) {
    return new DoubleSpikingRtrlWorkspace(network, batchSize, steps, cols);
  }

  /** The same workspace offline and online, whatever b and T. */
  @Override
  public long workspaceValues(long b, long steps, boolean online) {
    return DoubleSpikingRtrlWorkspace.values(config, cols);
  }

  @Override
  public double gradient(DoubleParameters p, DoubleBatch batch, DoubleWorkspace workspace,
      double[] grad) {
    DoubleSpikingRtrlWorkspace ws = DoubleSpikingRtrlWorkspace.cast(workspace);
    if (batch.size() > ws.batchCapacity() || batch.steps() > ws.stepCapacity()) {
      throw new IllegalArgumentException("batch " + batch.size() + " x " + batch.steps()
          + " steps exceeds the workspace capacity " + ws.batchCapacity() + " x "
          + ws.stepCapacity());
    }
    ws.sample.checkSizes(batch);
    Arrays.fill(grad, 0d);
    ws.sample.prepare(p);
    int bs = batch.size();
    double scale = 1d / bs;
    double j = 0;
    for (int b = 0; b < bs; b++) {
      reset(ws);
      ws.sample.maskSum = batch.lossMaskSum();
      for (int t = 0; t < batch.steps(); t++) {
        j += step(p, batch, t, b, ws, scale, grad);
      }
    }
    p.maskGradient(grad);
    return j / bs + network.l2Penalty(p);
  }

  @Override
  public void beginOnline(DoubleParameters p, DoubleWorkspace ws) {
    reset(DoubleSpikingRtrlWorkspace.cast(ws));
  }

  @Override
  public double stepOnline(DoubleParameters p, DoubleBatch batch, int t, DoubleWorkspace workspace,
      double[] grad) {
    DoubleSpikingRtrlWorkspace ws = DoubleSpikingRtrlWorkspace.cast(workspace);
    ws.sample.beginStep(p, batch, t);
    Arrays.fill(grad, 0d);
    double j = step(p, batch, t, 0, ws, 1d, grad);
    p.maskGradient(grad);
    return j;
  }

  private static void reset(DoubleSpikingRtrlWorkspace ws) {
    ws.sample.reset();
    Arrays.fill(ws.mv, 0d);
    Arrays.fill(ws.ma, 0d);
    Arrays.fill(ws.mbar, 0d);
    if (ws.msum != null) {
      Arrays.fill(ws.msum, 0d);
    }
  }

  /** Advances sample b by step t and adds scale g_t to grad; returns w_t l_t (+ rate term). */
  private double step(DoubleParameters p, DoubleBatch batch, int t, int b,
      DoubleSpikingRtrlWorkspace ws, double scale, double[] grad) {
    DoubleSpikingSample s = ws.sample;
    s.advance(batch, t, b);
    int win = p.view(Block.W_IN).offset();
    boolean upstream = p.trainable(Block.W_IN) || p.trainable(Block.W_REC);
    if (upstream) {
      influence(p, batch, t, b, ws);
    }
    double j = 0;
    double w = ws.sample.weight(batch, t);
    if (w != 0d) {
      j = w * s.readout(p, batch, t, b, w, scale, grad);
      if (upstream) {
        Arrays.fill(ws.signal, 0d);
        k.gemvT(nOut, n, 1d, p.data(), p.view(Block.W_OUT).offset(), n, s.dy, 0, ws.signal, 0);
        k.gemvT(n, cols, scale, ws.mbar, 0, cols, ws.signal, 0, grad, win);
      }
      s.addL2(p, w * scale, grad);
    }
    if (ws.msum != null && t == batch.steps() - 1) {
      j += s.rate(batch.steps(), ws.signal);
      if (upstream) {
        k.gemvT(n, cols, scale, ws.msum, 0, cols, ws.signal, 0, grad, win);
      }
    }
    return j;
  }

  /** The recursion of the class comment, from step t-1 to t (after the sample advanced). */
  private void influence(DoubleParameters p, DoubleBatch batch, int t, int b,
      DoubleSpikingRtrlWorkspace ws) {
    DoubleSpikingSample s = ws.sample;
    int size = n * cols;
    spikeInfluence(ws, s.prev());
    for (int r = 0, j = first; j < n; r++, j++) {
      k.axpby(cols, 1d, ws.dz, j * cols, rho, ws.ma, r * cols);
    }
    k.scale(size, alpha, ws.mv, 0);
    k.gemm(false, false, n, cols, n, 1d, p.data(), p.view(Block.W_REC).offset(), n, ws.dz, 0,
        cols, ws.mv, 0, cols);
    k.axpy(size, -threshold, ws.dz, 0, ws.mv, 0);
    int xOff = batch.xOffset(t, b);
    for (int j = 0; j < n; j++) {
      k.axpy(nIn, 1d, batch.x(), xOff, ws.mv, j * cols + j * nIn);
      k.axpy(n, 1d, s.z, s.prev(), ws.mv, j * cols + n * nIn + j * n);
    }
    spikeInfluence(ws, s.cur());
    k.axpby(size, 1d, ws.dz, 0, kappa, ws.mbar, 0);
    if (ws.msum != null) {
      k.axpy(size, 1d, ws.dz, 0, ws.msum, 0);
    }
  }

  /** dz = diag(psi) (Mv - beta Ma) with psi of the step at {@code off} in the sample. */
  private void spikeInfluence(DoubleSpikingRtrlWorkspace ws, int off) {
    double[] psi = ws.sample.psi;
    for (int j = 0; j < n; j++) {
      double q = psi[off + j];
      int row = j * cols;
      if (q == 0d) {
        Arrays.fill(ws.dz, row, row + cols, 0d);
        continue;
      }
      System.arraycopy(ws.mv, row, ws.dz, row, cols);
      k.scale(cols, q, ws.dz, row);
      if (j >= first) {
        k.axpy(cols, -beta * q, ws.ma, (j - first) * cols, ws.dz, row);
      }
    }
  }

  @Override
  DoubleSpikingSample sample(DoubleWorkspace ws) {
    return DoubleSpikingRtrlWorkspace.cast(ws).sample;
  }
}
