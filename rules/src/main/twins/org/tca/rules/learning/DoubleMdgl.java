package org.tca.rules.learning;

import java.util.Arrays;
import java.util.Map;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.storage.DoubleMatrix;
import org.tca.rules.model.Block;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.DoubleTrajectory;
import org.tca.rules.model.ModelConfig;

/**
 * Multidigraph learning (MDGL, Liu et al. 2021): e-prop plus one step of credit passed between
 * neurons. With the direct signal D_t = B dJ/dy_t (B = W_out' by default) and the e-prop trace
 * e_{pq,t} ({@link DoubleEprop}):
 *
 * <pre>
 *   L_{p,t} = D_{p,t} + sum_j Wt[j][p] g f'(pre_{j,t+1}) D_{j,t+1}      (no term at t = T-1)
 *   dW_pq   = sum_t L_{p,t} e_{pq,t}
 *   voltage-leak: g = 1 - a, pre = v   (z_{p,t} reaches v_{j,t+1} through (1-a) W_rec[j][p])
 *   rate-leak:    g = a,     pre = u   (h_{p,t} reaches h_{j,t+1} via a f'(u_{j,t+1}) W_rec[j][p])
 * </pre>
 *
 * The extra term is the exact one-step path z_{p,t} -&gt; z_{j,t+1} -&gt; readout, so with a = 0
 * (voltage) or a = 1 (rate) and Wt = W_rec, MDGL equals truncated BPTT(2). Wt = W_rec
 * ({@code "mdgl"}, cell-specific) or the cell-type block means of W_rec ({@code "mdgl-celltype"},
 * E-&gt;E, E-&gt;I, I-&gt;E, I-&gt;I over {@link CellTypes}; {@link DoubleCellTypeMeans}).
 *
 * <p>Offline the credit rows C_{t+1} = g f'(pre_{t+1}) . D_{t+1} are formed for every loss run
 * and the non-local term is one GEMM C W_rec over the run (cell-specific) or, per step, type
 * sums of the B credit rows and a broadcast back (a gemv and a rank-1 update per type: O(B N),
 * cell-type). Online, at a loss step t the term for step t-1 is emitted against the trace
 * e_{t-1} before the trace advances (one step late, memory O(trace)); with frozen weights the
 * per-step updates sum to the offline one.
 */
public final class DoubleMdgl extends DoubleLocalRule {

  private final boolean cellType;
  private final CellTypes types;

  /** MDGL with the given feedback (the paper's: symmetric) and Wt cell-type or cell-specific. */
  public DoubleMdgl(ModelConfig config, boolean cellType, Feedback feedback, DoubleKernels kernels) {
    super(config, feedback, kernels);
    this.cellType = cellType;
    this.types = CellTypes.of(config);
  }

  /** MDGL with symmetric feedback. */
  public DoubleMdgl(ModelConfig config, boolean cellType, DoubleKernels kernels) {
    this(config, cellType, Feedback.SYMMETRIC, kernels);
  }

  @Override
  public String id() {
    return cellType ? "mdgl-celltype" : "mdgl";
  }

  /** The cell types (used by the cell-type variant). */
  public CellTypes types() {
    return types;
  }

  @Override
  void addSettings(Map<String, Object> s) {
    s.put("modulatory_weights", cellType ? "cell-type block means of W_rec" : "W_rec");
    if (cellType) {
      s.put("cell_types", types.describe());
    }
  }

  @Override
  void addAuxiliary(Map<String, DoubleMatrix> m) {
    if (cellType) {
      m.put("cell_types", DoubleCellTypeMeans.assignmentMatrix(types));
    }
  }

  @Override
  int typeCount() {
    return cellType ? types.count() : 0;
  }

  @Override
  boolean needsCredit() {
    return true;
  }

  @Override
  void markActive(DoubleBatch batch, int last, boolean[] active) {
    for (int t = 1; t <= last; t++) {
      if (batch.lossMask()[t] != 0d) {
        active[t - 1] = true;
      }
    }
  }

  @Override
  void addNonlocal(DoubleParameters p, DoubleBatch batch, DoubleLocalWorkspace ws, int last) {
    DoubleTrajectory tr = ws.trajectory;
    int bs = batch.size();
    int nb = bs * n;
    double[] w = p.data();
    int wRec = p.view(Block.W_REC).offset();
    if (cellType) {
      DoubleCellTypeMeans.blockMeans(k, types, w, wRec, ws.typeMeans, ws.typeRows);
    }
    int nt = types.count();
    for (int t = 0; t <= last; t++) {
      int end = batch.lossRunEnd(t);
      if (end == t) {
        continue;
      }
      int s0 = Math.max(t, 1);
      if (s0 < end) {
        int len = (end - s0) * nb;
        k.mulActivationDerivative(f, len, tr.pre(), tr.slot(s0 + 1), ws.signal, s0 * nb,
            ws.credit, s0 * nb);
        k.scale(len, gain, ws.credit, s0 * nb);
        if (!cellType) {
          k.gemm(false, false, (end - s0) * bs, n, n, 1d, ws.credit, s0 * nb, n, w, wRec, n,
              ws.signal, (s0 - 1) * nb, n);
        } else {
          double[] m = ws.typeMeans;
          for (int s = s0; s < end; s++) { // per step: type sums of B credit rows, then broadcast
            DoubleCellTypeMeans.rowTypeSums(k, types, bs, ws.credit, s * nb, ws.ones, ws.sums, 0);
            for (int b = 0; b < nt; b++) {
              for (int r = 0; r < bs; r++) {
                double v = 0d;
                for (int a = 0; a < nt; a++) {
                  v += m[a * nt + b] * ws.sums[a * bs + r];
                }
                ws.sums[(nt + b) * bs + r] = v;
              }
            }
            DoubleCellTypeMeans.addRowsByType(k, types, bs, ws.sums, nt * bs, ws.ones, ws.signal,
                (s - 1) * nb);
          }
        }
      }
      t = end;
    }
  }

  @Override
  boolean plainOnline() {
    return false;
  }

  @Override
  void onlineBeforeTrace(DoubleParameters p, DoubleLocalWorkspace ws, int t, boolean loss,
      double[] grad) {
    if (!loss || t == 0) {
      return;
    }
    k.mul(n, ws.psi, 0, ws.direct, 0, ws.tmp, 0);
    k.scale(n, gain, ws.tmp, 0);
    int wRec = p.view(Block.W_REC).offset();
    if (!cellType) {
      Arrays.fill(ws.nonlocal, 0d);
      k.gemvT(n, n, 1d, p.data(), wRec, n, ws.tmp, 0, ws.nonlocal, 0);
    } else {
      int nt = types.count();
      DoubleCellTypeMeans.blockMeans(k, types, p.data(), wRec, ws.typeMeans, ws.typeRows);
      DoubleCellTypeMeans.typeSums(types, ws.tmp, 0, ws.typeScratch, 0);
      DoubleCellTypeMeans.transposedProduct(types, ws.typeMeans, 1d, ws.typeScratch, 0,
          ws.typeScratch, nt);
      Arrays.fill(ws.nonlocal, 0d);
      DoubleCellTypeMeans.addByType(types, ws.typeScratch, nt, ws.nonlocal, 0);
    }
    emit(ws, ws.nonlocal, ws.psiPrev, grad); // the trace still holds e_{t-1}
  }
}
