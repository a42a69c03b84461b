package org.tca.rules.spiking;

import java.util.Map;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.rules.learning.CellTypes;
import org.tca.rules.model.Block;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;

/**
 * Multidigraph learning (MDGL, Liu et al. PNAS 2021) on LIF/ALIF neurons: e-prop
 * ({@link FloatSpikingEprop}) plus one step of credit passed between neurons. With the direct
 * learning signal D_t = dJ/dz_t through the readout and the rate term only,
 *
 * <pre>
 *   D_t     = B dybar_t + dR/dz_t,   dybar_t = dJ/dy_t + kappa dybar_{t+1},   B = W_out'
 *   L_{p,t} = D_{p,t} + sum_j Wt[j][p] psi_{j,t+1} D_{j,t+1}          (no second term at t = T)
 *   dW_pq   = sum_t L_{p,t} e_{pq,t}
 * </pre>
 *
 * with e the e-prop eligibility trace (the neuron's own leak and adaptation; unfiltered, the
 * readout filter being in D). The extra term is the exact one-step path z_{p,t} -&gt; v_{j,t+1}
 * -&gt; z_{j,t+1} -&gt; readout (and rate term), with z_{j,t+1}'s own further paths dropped.
 * Wt = W_rec ({@code "mdgl"}, cell-specific) or the cell-type block means of W_rec
 * ({@code "mdgl-celltype"}, M[alpha][beta] = mean of W_rec[j][i] over j in alpha, i in beta, all
 * pairs; {@link CellTypes}: E/I by Dale's law or the 80/20 index split). Offline, in reverse
 * mode: the sweep of e-prop with L_t in place of its signal (gz_t = L_t + ga_{t+1}, du_t =
 * psi_t . gz_t + alpha du_{t+1}); the Wt product is one B x N x N GEMM per step (cell-specific)
 * or O(B N) through the type sums (cell-type). This class is the offline sweep; the registered
 * rule, which also runs online, is {@link FloatSpikingOnlineMdgl}.
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
public final class FloatSpikingMdgl extends FloatSpikingSweepRule {

  private final boolean cellType;
  private final CellTypes types;

  /** MDGL, cell-type or cell-specific, with symmetric feedback. */
  public FloatSpikingMdgl(SpikingConfig config, boolean cellType, FloatKernels kernels) {
    super(config, kernels);
    this.cellType = cellType;
    this.types = CellTypes.of(config.base());
  }

  @Override
  public String id() {
    return cellType ? "mdgl-celltype" : "mdgl";
  }

  /** True for the cell-type variant. */
  public boolean cellType() {
    return cellType;
  }

  @Override
  public Map<String, Object> settings() {
    return cellType
        ? Map.of("neurons", "lif/alif", "modulatory_weights", "cell-type block means of W_rec",
            "cell_types", types.describe())
        : Map.of("neurons", "lif/alif", "modulatory_weights", "W_rec");
  }

  @Override
  void sweep(FloatParameters p, FloatBatch batch, FloatSpikingSweepWorkspace ws, int start) {
    FloatSpikingWorkspace base = ws.base;
    FloatSpikingTrajectory tr = base.trajectory;
    int bs = batch.size();
    int nb = bs * n;
    float[] w = p.data();
    int wOut = p.view(Block.W_OUT).offset();
    int wRec = p.view(Block.W_REC).offset();
    if (cellType) {
      blockMeans(w, wRec, ws.typeMeans);
    }
    java.util.Arrays.fill(base.dyBar, 0, bs * nOut, 0f);
    java.util.Arrays.fill(base.ga, 0, nb, 0f);
    for (int t = start; t >= 0; t--) {
      k.scale(bs * nOut, kappa, base.dyBar, 0);
      if (batch.lossMask()[t] != 0f) {
        k.axpy(bs * nOut, 1f, base.dy, tr.yOffset(t), base.dyBar, 0);
      }
      float[] d = ws.current; // D_t; ws.previous holds D_{t+1}
      System.arraycopy(base.rateGrad, 0, d, 0, nb);
      k.gemm(false, false, bs, n, nOut, 1f, base.dyBar, 0, nOut, w, wOut, n, d, 0, n);
      System.arraycopy(d, 0, base.gz, 0, nb);
      boolean later = t < start;
      if (later) {
        k.mul(nb, tr.psi(), tr.slot(t + 2), ws.previous, 0, ws.credit, 0);
        if (cellType) {
          addTypeProduct(ws, bs);
        } else {
          k.gemm(false, false, bs, n, n, 1f, ws.credit, 0, n, w, wRec, n, base.gz, 0, n);
        }
        addAdaptation(base, bs);
      }
      cellStep(base, t, base.du, t * nb, later ? base.du : null, (t + 1) * nb, bs);
      ws.swap();
    }
  }

  /** The cell types of the block means ("mdgl-celltype"). */
  CellTypes types() {
    return types;
  }

  /** M[alpha][beta] (row-major, types x types), the block means of W_rec, summed in double. */
  void blockMeans(float[] w, int wRec, float[] m) {
    int nt = types.count();
    for (int a = 0; a < nt; a++) {
      for (int b = 0; b < nt; b++) {
        double s = 0;
        for (int j = types.start(a); j < types.end(a); j++) {
          for (int i = types.start(b); i < types.end(b); i++) {
            s += w[wRec + j * n + i];
          }
        }
        m[a * nt + b] = (float) (s / ((double) types.size(a) * types.size(b)));
      }
    }
  }

  /** gz[b][p] += sum_alpha M[alpha][type(p)] S_alpha(credit row b), S the type sums. */
  private void addTypeProduct(FloatSpikingSweepWorkspace ws, int bs) {
    int nt = types.count();
    float[] m = ws.typeMeans;
    for (int b = 0; b < bs; b++) {
      int row = b * n;
      for (int a = 0; a < nt; a++) {
        ws.typeSums[a] = k.sum(types.size(a), ws.credit, row + types.start(a));
      }
      for (int bt = 0; bt < nt; bt++) {
        float v = 0f;
        for (int a = 0; a < nt; a++) {
          v += m[a * nt + bt] * ws.typeSums[a];
        }
        for (int q = row + types.start(bt), end = row + types.end(bt); q < end; q++) {
          ws.base.gz[q] += v;
        }
      }
    }
  }
}
