package org.tca.rules.learning;

import java.util.Arrays;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.rules.model.Block;
import org.tca.rules.model.BlockView;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.DoubleTrajectory;

/**
 * Turns per-step gradients at the drive (du_t = dJ/du_t) and at the readout (dy_t = dJ/dy_t) into
 * the weight gradients, each as one GEMM over the time axis (T*B as the inner dimension):
 *
 * <pre>
 *   dW_in  = DU' X         dW_rec = DU' Z_prev       db_rec = sum_{t,b} du_t[b]
 *   dW_out = DY' Z         db_out = sum_{t,b} dy_t[b]       (over the loss steps)
 *   + l2 W for W_in, W_rec, W_out; then frozen blocks and disallowed W_rec entries set to 0
 * </pre>
 *
 * When N_in &lt; N, dW_in is computed as its transpose X' DU (N_in x N, a wide product the packed
 * GEMM runs ~2.5x faster than the thin N x N_in one) into scratch and transposed.
 * DU is the (steps*B) x N matrix of du rows and Z_prev the matching rows of z_{t-1} (state slot
 * t, slot 0 = zeros), so both start at offset 0 of their arrays; dW_rec skips the B rows of step
 * 0, whose z_{-1} = 0.
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
public final class DoubleGradientAssembly {

  private static final Block[] BLOCKS = Block.values();

  private DoubleGradientAssembly() {}

  /**
   * Writes the full gradient into {@code grad}. {@code du} holds rows for steps 0..steps-1
   * (later steps contribute nothing); {@code dy} holds dJ/dy_t at every loss step;
   * {@code scratch} has at least N_in * N entries.
   */
  public static void assemble(DoubleKernels k, DoubleParameters p, DoubleBatch batch,
      DoubleTrajectory tr, double[] du, int steps, double[] dy, double[] grad, double[] scratch) {
    Arrays.fill(grad, 0d);
    int n = p.config().hidden();
    int nIn = p.config().inputs();
    int nOut = p.config().outputs();
    int bs = batch.size();
    int rows = steps * bs;
    if (p.trainable(Block.W_IN)) {
      int off = p.view(Block.W_IN).offset();
      if (nIn < n) {
        Arrays.fill(scratch, 0, nIn * n, 0d);
        k.gemm(true, false, nIn, n, rows, 1d, batch.x(), 0, nIn, du, 0, n, scratch, 0, n);
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < nIn; j++) {
            grad[off + i * nIn + j] = scratch[j * n + i];
          }
        }
      } else {
        k.gemm(true, false, n, nIn, rows, 1d, du, 0, n, batch.x(), 0, nIn, grad, off, nIn);
      }
    }
    if (p.trainable(Block.W_REC)) { // the rows of step 0 meet z_0 = 0: skipped
      k.gemm(true, false, n, n, rows - bs, 1d, du, bs * n, n, tr.z(), bs * n, n,
          grad, p.view(Block.W_REC).offset(), n);
    }
    if (p.trainable(Block.B_REC)) {
      int off = p.view(Block.B_REC).offset();
      for (int r = 0; r < rows; r++) {
        k.axpy(n, 1d, du, r * n, grad, off);
      }
    }
    boolean wOut = p.trainable(Block.W_OUT);
    boolean bOut = p.trainable(Block.B_OUT);
    for (int t = 0; t < batch.steps() && (wOut || bOut); t++) {
      int end = batch.lossRunEnd(t);
      if (end == t) {
        continue;
      }
      int runRows = (end - t) * bs;
      int dyOff = tr.yOffset(t);
      if (wOut) {
        k.gemm(true, false, nOut, n, runRows, 1d, dy, dyOff, nOut, tr.z(), tr.slot(t + 1), n,
            grad, p.view(Block.W_OUT).offset(), n);
      }
      if (bOut) {
        int off = p.view(Block.B_OUT).offset();
        for (int r = 0; r < runRows; r++) {
          k.axpy(nOut, 1d, dy, dyOff + r * nOut, grad, off);
        }
      }
      t = end;
    }
    addL2(k, p, 1d, grad);
    p.maskGradient(grad);
  }

  /** grad += scale * l2 * W for the penalised, trainable blocks. */
  public static void addL2(DoubleKernels k, DoubleParameters p, double scale, double[] grad) {
    double l2 = (double) p.config().l2();
    if (l2 == 0d || scale == 0d) {
      return;
    }
    for (Block b : BLOCKS) {
      if (b.penalised() && p.trainable(b)) {
        BlockView v = p.view(b);
        k.axpy(v.size(), scale * l2, p.data(), v.offset(), grad, v.offset());
      }
    }
  }
}
