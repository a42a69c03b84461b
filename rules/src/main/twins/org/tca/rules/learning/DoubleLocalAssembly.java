package org.tca.rules.learning;

import java.util.Arrays;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.rules.model.Block;
import org.tca.rules.model.BlockView;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.DoubleTrajectory;
import org.tca.rules.model.RecurrentStructure;

/**
 * Weight gradients of the eligibility-trace rules from the per-step drive gradients du_t
 * (offline, {@link DoubleLocalRule}), each block as GEMMs over the time axis restricted to the
 * runs of active steps [t0, t1) (the steps whose du may be nonzero):
 *
 * <pre>
 *   dW_in += DU[t0,t1)' X[t0,t1)     dW_rec += DU[t0,t1)' Z[t0-1,t1-1)     db_rec += DU[t0,t1)' 1
 *   dW_out = sum_{loss steps} DY' Z  db_out = sum_{loss steps} DY' 1
 * </pre>
 *
 * with rows the (steps x B) samples; dW_in is formed as its transpose X' DU when N_in &lt; N (as
 * in {@link DoubleGradientAssembly}); then frozen blocks and disallowed W_rec entries are zeroed.
 */
final class DoubleLocalAssembly {

  private static final Block[] BLOCKS = Block.values();

  private DoubleLocalAssembly() {}

  /** dW_in += DU' X, dW_rec += DU' Z_prev, db_rec += DU' 1 over each run of active steps. */
  static void recurrent(DoubleKernels k, DoubleParameters p, DoubleBatch batch,
      DoubleLocalWorkspace ws, int last, double[] grad) {
    int n = p.config().hidden();
    int nIn = p.config().inputs();
    int inOff = p.view(Block.W_IN).offset();
    int recOff = p.view(Block.W_REC).offset();
    int biasOff = p.view(Block.B_REC).offset();
    int bs = batch.size();
    int nb = bs * n;
    boolean win = p.trainable(Block.W_IN);
    boolean wrec = p.trainable(Block.W_REC);
    boolean brec = p.trainable(Block.B_REC);
    boolean transposeIn = nIn < n;
    if (win && transposeIn) {
      Arrays.fill(ws.scratch, 0, nIn * n, 0d);
    }
    for (int t0 = 0; t0 <= last; t0++) {
      if (!ws.active[t0]) {
        continue;
      }
      int t1 = t0;
      while (t1 <= last && ws.active[t1]) {
        t1++;
      }
      int rows = (t1 - t0) * bs;
      int du = t0 * nb;
      if (win) {
        int xOff = batch.xOffset(t0, 0);
        if (transposeIn) {
          k.gemm(true, false, nIn, n, rows, 1d, batch.x(), xOff, nIn, ws.signal, du, n,
              ws.scratch, 0, n);
        } else {
          k.gemm(true, false, n, nIn, rows, 1d, ws.signal, du, n, batch.x(), xOff, nIn, grad,
              inOff, nIn);
        }
      }
      if (wrec) {
        k.gemm(true, false, n, n, rows, 1d, ws.signal, du, n, ws.trajectory.z(),
            ws.trajectory.slot(t0), n, grad, recOff, n);
      }
      if (brec) {
        k.gemvT(rows, n, 1d, ws.signal, du, n, ws.ones, 0, grad, biasOff);
      }
      t0 = t1;
    }
    if (win && transposeIn) {
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < nIn; j++) {
          grad[inOff + i * nIn + j] = ws.scratch[j * n + i];
        }
      }
    }
  }

  /** dW_out = sum DY' Z and db_out = sum dy over the loss steps (exact, as in BPTT). */
  static void readout(DoubleKernels k, DoubleParameters p, DoubleBatch batch, DoubleTrajectory tr,
      double[] dy, double[] ones, double[] grad) {
    int n = p.config().hidden();
    int nOut = p.config().outputs();
    boolean wOut = p.trainable(Block.W_OUT);
    boolean bOut = p.trainable(Block.B_OUT);
    int bs = batch.size();
    for (int t = 0; t < batch.steps() && (wOut || bOut); t++) {
      int end = batch.lossRunEnd(t);
      if (end == t) {
        continue;
      }
      int rows = (end - t) * bs;
      int dyOff = tr.yOffset(t);
      if (wOut) {
        k.gemm(true, false, nOut, n, rows, 1d, dy, dyOff, nOut, tr.z(), tr.slot(t + 1), n,
            grad, p.view(Block.W_OUT).offset(), n);
      }
      if (bOut) {
        k.gemvT(rows, nOut, 1d, dy, dyOff, nOut, ones, 0, grad, p.view(Block.B_OUT).offset());
      }
      t = end;
    }
  }

  /**
   * {@link DoubleParameters#maskGradient} via a list of the disallowed W_rec entries kept in the
   * workspace (rebuilt when the structure changes): O(masked) instead of O(N^2) per call.
   */
  static void mask(DoubleParameters p, DoubleLocalWorkspace ws, double[] grad) {
    for (Block b : BLOCKS) {
      if (p.isFrozen(b)) {
        BlockView v = p.view(b);
        Arrays.fill(grad, v.offset(), v.end(), 0d);
      }
    }
    int[] masked = masked(p, ws);
    if (masked != null) {
      for (int i : masked) {
        grad[i] = 0d;
      }
    }
  }

  /** The flat indices of the disallowed W_rec entries, ascending (null: no mask). */
  static int[] masked(DoubleParameters p, DoubleLocalWorkspace ws) {
    RecurrentStructure s = p.structure();
    if (!s.hasMask()) {
      return null;
    }
    if (ws.maskedFor != s) {
      BlockView w = p.view(Block.W_REC);
      int n = w.rows();
      int count = n * n - s.allowedCount();
      int[] idx = new int[count];
      int c = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          if (!s.allowed(i, j)) {
            idx[c++] = w.index(i, j);
          }
        }
      }
      ws.masked = idx;
      ws.maskedFor = s;
    }
    return ws.masked;
  }
}
