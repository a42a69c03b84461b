package org.tca.rules.spiking;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.rules.learning.CellTypes;
import org.tca.rules.learning.Feedback;
import org.tca.rules.learning.DoubleWorkspace;
import org.tca.rules.model.Block;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;

/**
 * MDGL on LIF/ALIF neurons ({@code "mdgl"}, {@code "mdgl-celltype"}), offline (the reverse sweep
 * of {@link DoubleSpikingMdgl}) and online, where it is exact: with fixed weights the per-step
 * estimates sum to the offline one. The offline rule is dW = sum_t L_t e_t with L_{p,t} = D_{p,t}
 * + sum_j Wt[j][p] psi_{j,t+1} D_{j,t+1}, D_t = B dybar_t + dR/dz, dybar_t = sum_{s &gt;= t}
 * kappa^(s-t) dy_s, B = W_out'. Its first part, sum_t D_t e_t, is symmetric e-prop
 * ({@link DoubleSpikingEprop}, online through the readout-filtered trace). Swapping the sums of
 * the second part gives, per readout unit o, a trace over the synapses (N x (N_in + N)):
 *
 * <pre>
 *   c_{o,p,s} = sum_j W_out[o][j] psi_{j,s} Wt[j][p]
 *   H_{o,s}   = kappa H_{o,s-1} + diag(c_{o,s}) e_{s-1}                (H_{o,0} = 0)
 *   G_{j,s}   = G_{j,s-1} + psi_{j,s} e_{s-1}                          (only when c_r &gt; 0)
 *   g_s       = g^eprop_s + sum_o dy_{s,o} H_{o,s}
 *               + [s = T-1] sum_j r_j diag(Wt[j][:]) G_{j,T-1}          (r_j = dR/dz_j)
 * </pre>
 *
 * with e_{s-1} = psi_{s-1} (qbar_{s-1} - beta eps^a_{s-1}) the e-prop trace of the previous step
 * (kept: a one-step delay). The rate term's factor r_j = dR/dz_j = c_r (rate_j - r_0) / T is
 * known only at the last step and multiplies a different sum over time for each neuron j, so it needs G, one
 * trace per neuron pair and synapse (N^2 (N_in + N) values); without it (c_r = 0) the state is
 * (N_out + 1) N (N_in + N) values more than e-prop's. Wt = W_rec or its cell-type block means
 * (then c costs O(N_out N) through the type sums), taken at step s, as e-prop takes B.
 */
public final class DoubleSpikingOnlineMdgl extends DoubleSpikingOnlineRule {

  private final DoubleSpikingMdgl offline;
  private final DoubleSpikingEprop eprop;
  private final CellTypes types;

  /** MDGL, cell-type or cell-specific, with symmetric feedback. */
  public DoubleSpikingOnlineMdgl(SpikingConfig config, boolean cellType, DoubleKernels kernels) {
    DoubleSpikingMdgl offline = new DoubleSpikingMdgl(config, cellType, kernels);
    Map<String, Object> settings = new LinkedHashMap<>(offline.settings());
    settings.put("online_trace", "e-prop's, e_{t-1}, H per readout unit (N_out x N x (N_in+N))"
        + (config.rateCost() > 0 ? ", G per neuron pair (N x N x (N_in+N))" : ""));
    super(offline.network, offline.id(), settings);
    this.offline = offline;
    this.eprop = new DoubleSpikingEprop(config, Feedback.SYMMETRIC, kernels);
    this.types = offline.types();
  }

  /** e-prop's online traces plus e_{t-1}, H and (c_r &gt; 0) G; independent of T. */
  @Override
  public long stateBytesPerSample(int steps) {
    long rows = (1L + nOut) * n + (config.rateCost() > 0 ? (long) n * n : 0);
    return eprop.stateBytesPerSample(steps) + (long) Double.BYTES * rows * width;
  }

  @Override
  public DoubleSpikingOnlineMdglWorkspace newWorkspace(int batchSize, int steps) {
    return new DoubleSpikingOnlineMdglWorkspace(config, eprop.newWorkspace(batchSize, steps),
        () -> offline.newWorkspace(batchSize, steps), types.count());
  }

  /** The online workspace (e-prop's and MDGL's traces), and offline the sweep's. */
  @Override
  public long workspaceValues(long b, long steps, boolean online) {
    return DoubleSpikingEpropWorkspace.values(config)
        + DoubleSpikingOnlineMdglWorkspace.values(config, types.count())
        + (online ? 0 : offline.workspaceValues(b, steps, false));
  }

  @Override
  public double gradient(DoubleParameters p, DoubleBatch batch, DoubleWorkspace ws, double[] grad) {
    return offline.gradient(p, batch, DoubleSpikingOnlineMdglWorkspace.cast(ws).offline(), grad);
  }

  @Override
  public void beginOnline(DoubleParameters p, DoubleWorkspace workspace) {
    DoubleSpikingOnlineMdglWorkspace ws = DoubleSpikingOnlineMdglWorkspace.cast(workspace);
    eprop.beginOnline(p, ws.eprop);
    Arrays.fill(ws.ePrev, 0d);
    Arrays.fill(ws.h, 0d);
    if (ws.g != null) {
      Arrays.fill(ws.g, 0d);
    }
  }

  @Override
  public double stepOnline(DoubleParameters p, DoubleBatch batch, int t, DoubleWorkspace workspace,
      double[] grad) {
    DoubleSpikingOnlineMdglWorkspace ws = DoubleSpikingOnlineMdglWorkspace.cast(workspace);
    double j = eprop.stepOnline(p, batch, t, ws.eprop, grad);
    if (!p.trainable(Block.W_IN) && !p.trainable(Block.W_REC)) {
      return j;
    }
    DoubleSpikingSample s = ws.eprop.sample;
    double[] psi = s.psi;
    int cur = s.cur();
    modulation(p, psi, cur, ws);
    int rows = n * width;
    for (int o = 0; o < nOut; o++) { // H_o = kappa H_o + diag(c_o) e_{t-1}
      for (int q = 0; q < n; q++) {
        k.axpby(width, ws.c[o * n + q], ws.ePrev, q * width, kappa, ws.h, o * rows + q * width);
      }
    }
    if (ws.g != null) { // G_j += psi_j e_{t-1}
      for (int i = 0; i < n; i++) {
        if (psi[cur + i] != 0d) {
          k.axpy(rows, psi[cur + i], ws.ePrev, 0, ws.g, i * rows);
        }
      }
    }
    if (s.weight(batch, t) != 0d) {
      for (int o = 0; o < nOut; o++) {
        emit(p, s.dy[o], ws.h, o * rows, grad);
      }
    }
    if (ws.g != null && t == batch.steps() - 1) {
      s.rate(batch.steps(), ws.rate);
      double[] w = p.data();
      int wRec = p.view(Block.W_REC).offset();
      for (int i = 0; i < n; i++) {
        for (int q = 0; q < n; q++) {
          double wt = ws.rate[i] * weight(w, wRec, ws.typeMeans, i, q);
          if (wt != 0d) {
            emitRow(p, q, wt, ws.g, i * rows + q * width, grad);
          }
        }
      }
    }
    eligibility(s, ws);
    p.maskGradient(grad);
    return j;
  }

  /** c_{o,q} = sum_i W_out[o][i] psi_i Wt[i][q] into ws.c (and the block means, cell-type). */
  private void modulation(DoubleParameters p, double[] psi, int cur,
      DoubleSpikingOnlineMdglWorkspace ws) {
    double[] w = p.data();
    int wOut = p.view(Block.W_OUT).offset();
    int wRec = p.view(Block.W_REC).offset();
    for (int o = 0; o < nOut; o++) {
      k.mul(n, w, wOut + o * n, psi, cur, ws.u, o * n);
    }
    Arrays.fill(ws.c, 0d);
    if (!offline.cellType()) {
      k.gemm(false, false, nOut, n, n, 1d, ws.u, 0, n, w, wRec, n, ws.c, 0, n);
      return;
    }
    offline.blockMeans(w, wRec, ws.typeMeans);
    int nt = types.count();
    for (int o = 0; o < nOut; o++) {
      for (int a = 0; a < nt; a++) {
        ws.typeSums[a] = k.sum(types.size(a), ws.u, o * n + types.start(a));
      }
      for (int b = 0; b < nt; b++) {
        double v = 0d;
        for (int a = 0; a < nt; a++) {
          v += ws.typeMeans[a * nt + b] * ws.typeSums[a];
        }
        Arrays.fill(ws.c, o * n + types.start(b), o * n + types.end(b), v);
      }
    }
  }

  /** Wt[i][q]: W_rec[i][q], or the block mean of the types of i and q (already computed). */
  private double weight(double[] w, int wRec, double[] means, int i, int q) {
    return offline.cellType()
        ? means[types.typeOf(i) * types.count() + types.typeOf(q)]
        : w[wRec + i * n + q];
  }

  /** e_t = psi_t (qbar_t - beta eps^a_t), row by row, into ws.ePrev for the next step. */
  private void eligibility(DoubleSpikingSample s, DoubleSpikingOnlineMdglWorkspace ws) {
    double[] qbar = ws.eprop.qbar;
    int cur = s.cur();
    for (int q = 0; q < n; q++) {
      double v = s.psi[cur + q];
      int row = q * width;
      Arrays.fill(ws.ePrev, row, row + width, 0d);
      if (v == 0d) {
        continue;
      }
      k.axpy(width, v, qbar, 0, ws.ePrev, row);
      if (q >= first) {
        k.axpy(width, -beta * v, ws.eprop.epsA, (q - first) * width, ws.ePrev, row);
      }
    }
  }

  /** grad[W_in | W_rec] += coeff trace (N x (N_in + N) from {@code off}). */
  private void emit(DoubleParameters p, double coeff, double[] trace, int off, double[] grad) {
    if (coeff != 0d) {
      for (int q = 0; q < n; q++) {
        emitRow(p, q, coeff, trace, off + q * width, grad);
      }
    }
  }

  /** Row q of grad[W_in | W_rec] += coeff times the W values at {@code off}. */
  private void emitRow(DoubleParameters p, int q, double coeff, double[] trace, int off,
      double[] grad) {
    k.axpy(nIn, coeff, trace, off, grad, p.view(Block.W_IN).offset() + q * nIn);
    k.axpy(n, coeff, trace, off + nIn, grad, p.view(Block.W_REC).offset() + q * n);
  }

  @Override
  DoubleSpikingSample sample(DoubleWorkspace ws) {
    return DoubleSpikingOnlineMdglWorkspace.cast(ws).eprop.sample;
  }
}
