package org.tca.rules.curvature;

import java.util.Arrays;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.rules.model.Block;
import org.tca.rules.model.BlockView;
import org.tca.rules.model.Cell;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.DoubleTrajectory;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;

/**
 * The direction-dependent half of {@link DoubleHessianVectorProduct}: the R-operator pushed
 * through the forward pass (RU or RV, RZ), the readout and the loss (RY, RDY) and the backward
 * pass (RDU), and the weight products assembled from them (H v), for the direction {@code dir}
 * (flat layout, 0 outside the selection), at the point stored in a {@link DoubleHessianPoint}.
 * The equations are in {@link DoubleHessianVectorProduct}.
 * Buffers are sized once; state slot 0 of RZ and RU/RV is kept at 0. Not thread-safe.
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
final class DoubleTangentPass {

  private static final Block[] BLOCKS = Block.values();

  private final ModelConfig config;
  private final BlockSelection sel;
  private final DoubleKernels k;
  private final DoubleHessianPoint point;
  private final double[] dir;
  private final double[] rpre;
  private final double[] rz;
  private final double[] rdu;
  private final double[] ry;
  private final double[] rdy;
  private final double[] rg;
  private final double[] tmp;
  private final double[] dirRecT;
  private final double[] scratch;
  private final double decay;
  private final double gain;
  private final boolean voltage;

  DoubleTangentPass(ModelConfig config, BlockSelection selection, DoubleHessianPoint point,
      DoubleKernels kernels) {
    this.config = config;
    this.sel = selection;
    this.k = kernels;
    this.point = point;
    int n = config.hidden();
    int bCap = point.batchCapacity();
    int tCap = point.stepCapacity();
    int states = (tCap + 1) * bCap * n;
    boolean rec = selection.touchesRecurrence();
    this.dir = new double[selection.parameterCount()];
    this.rpre = new double[rec ? states : 0];
    this.rz = new double[rec ? states : 0];
    this.rdu = new double[rec ? tCap * bCap * n : 0];
    this.ry = new double[tCap * bCap * config.outputs()];
    this.rdy = new double[ry.length];
    this.rg = new double[bCap * n];
    this.tmp = new double[bCap * n];
    this.dirRecT = new double[rec ? n * n : 0];
    this.scratch = new double[sel.contains(Block.W_IN) ? config.inputs() * n : 0];
    this.decay = (double) config.cell().stateDecay(config.leak());
    this.gain = (double) config.cell().inputGain(config.leak());
    this.voltage = config.cell() == Cell.VOLTAGE_LEAK;
  }

  /** The direction v (flat layout): write the selection's coordinates before {@link #product}. */
  double[] direction() {
    return dir;
  }

  /** out = H_SS v at the selection's coordinates (other entries are not written). */
  void product(double[] out) {
    boolean rec = sel.touchesRecurrence();
    if (rec) {
      forward();
    }
    readout();
    if (rec) {
      backward();
    }
    assemble(out);
  }

  /** Zeroes state slot 0 of RZ and RU/RV for batches of B samples (after each prepare). */
  void reset(int batchSize) {
    if (rz.length > 0) {
      int nb = batchSize * config.hidden();
      Arrays.fill(rz, 0, nb, 0d);
      Arrays.fill(rpre, 0, nb, 0d);
    }
  }

  /** RU/RV and RZ for steps 0..t_last (slots 1..t_last+1; slot 0 stays 0). */
  private void forward() {
    DoubleParameters p = point.parameters();
    DoubleBatch batch = point.batch();
    int n = config.hidden();
    int nIn = config.inputs();
    int bs = batch.size();
    int nb = bs * n;
    int last = point.lastLossStep();
    int rows = (last + 1) * bs;
    double inScale = voltage ? gain : 1d;
    BlockView bRec = p.view(Block.B_REC);
    if (sel.contains(Block.B_REC) && bRec.size() > 0) {
      for (int r = 0; r < rows; r++) {
        System.arraycopy(dir, bRec.offset(), rpre, nb + r * n, n);
      }
      if (inScale != 1d) {
        k.scale(rows * n, inScale, rpre, nb);
      }
    } else {
      Arrays.fill(rpre, nb, nb + rows * n, 0d);
    }
    if (sel.contains(Block.W_IN)) {
      k.gemm(false, true, rows, n, nIn, inScale, batch.x(), 0, nIn,
          dir, p.view(Block.W_IN).offset(), nIn, rpre, nb, n);
    }
    if (sel.contains(Block.W_REC)) {
      int off = p.view(Block.W_REC).offset();
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          dirRecT[j * n + i] = dir[off + i * n + j];
        }
      }
      k.gemm(false, false, rows, n, n, inScale, point.trajectory().z(), 0, n, dirRecT, 0, n,
          rpre, nb, n);
    }
    double[] fp = point.fp();
    for (int t = 0; t <= last; t++) {
      int prev = t * nb;
      int cur = prev + nb;
      if (t > 0) {
        k.gemm(false, false, bs, n, n, inScale, rz, prev, n, point.recurrentTransposed(), 0, n,
            rpre, cur, n);
      }
      if (voltage) {
        if (decay != 0d && t > 0) {
          k.axpy(nb, decay, rpre, prev, rpre, cur);
        }
        k.mul(nb, fp, prev, rpre, cur, rz, cur);
      } else {
        k.mul(nb, fp, prev, rpre, cur, rz, cur);
        if (gain != 1d) {
          k.scale(nb, gain, rz, cur);
        }
        if (decay != 0d && t > 0) {
          k.axpy(nb, decay, rz, prev, rz, cur);
        }
      }
    }
  }

  /** RY and RDY at the loss steps. */
  private void readout() {
    DoubleParameters p = point.parameters();
    DoubleBatch batch = point.batch();
    DoubleTrajectory tr = point.trajectory();
    int n = config.hidden();
    int nOut = config.outputs();
    int bs = batch.size();
    int wOut = p.view(Block.W_OUT).offset();
    int bOut = p.view(Block.B_OUT).offset();
    boolean rec = sel.touchesRecurrence();
    for (int t = 0; t < batch.steps(); t++) {
      int end = batch.lossRunEnd(t);
      if (end == t) {
        continue;
      }
      int rows = (end - t) * bs;
      int yOff = tr.yOffset(t);
      if (sel.contains(Block.B_OUT)) {
        for (int r = 0; r < rows; r++) {
          System.arraycopy(dir, bOut, ry, yOff + r * nOut, nOut);
        }
      } else {
        Arrays.fill(ry, yOff, yOff + rows * nOut, 0d);
      }
      if (rec) {
        k.gemm(false, true, rows, nOut, n, 1d, rz, tr.slot(t + 1), n, p.data(), wOut, n,
            ry, yOff, nOut);
      }
      if (sel.contains(Block.W_OUT)) {
        k.gemm(false, true, rows, nOut, n, 1d, tr.z(), tr.slot(t + 1), n, dir, wOut, n,
            ry, yOff, nOut);
      }
      for (int s = t; s < end; s++) {
        lossHessian(s, bs, nOut, tr.yOffset(s));
      }
      t = end;
    }
  }

  /** RDY_t = w_t Hess(l)(y_t) RY_t for the B rows of step t. */
  private void lossHessian(int t, int bs, int nOut, int off) {
    double w = point.stepWeight()[t];
    if (config.loss() == LossKind.MSE) {
      double c = w * 2d / nOut;
      for (int i = off; i < off + bs * nOut; i++) {
        rdy[i] = c * ry[i];
      }
      return;
    }
    double[] pr = point.prob();
    for (int r = 0; r < bs; r++) {
      int o = off + r * nOut;
      double dot = 0d;
      for (int j = 0; j < nOut; j++) {
        dot += pr[o + j] * ry[o + j];
      }
      for (int j = 0; j < nOut; j++) {
        rdy[o + j] = w * pr[o + j] * (ry[o + j] - dot);
      }
    }
  }

  /** RDU_t for t = t_last .. 0 (RGZ_t is accumulated in place, then turned into RDU_t). */
  private void backward() {
    DoubleParameters p = point.parameters();
    DoubleBatch batch = point.batch();
    DoubleTrajectory tr = point.trajectory();
    int n = config.hidden();
    int nOut = config.outputs();
    int bs = batch.size();
    int nb = bs * n;
    int last = point.lastLossStep();
    double[] w = p.data();
    int wOut = p.view(Block.W_OUT).offset();
    int wRec = p.view(Block.W_REC).offset();
    Arrays.fill(rdu, 0, (last + 1) * nb, 0d);
    if (sel.contains(Block.W_REC) && last > 0) {
      k.gemm(false, false, last * bs, n, n, 1d, point.du(), nb, n, dir, wRec, n, rdu, 0, n);
    }
    double[] fp = point.fp();
    double[] s = point.s();
    for (int t = last; t >= 0; t--) {
      int off = t * nb;
      if (batch.lossMask()[t] != 0d) {
        int yOff = tr.yOffset(t);
        k.gemm(false, false, bs, n, nOut, 1d, rdy, yOff, nOut, w, wOut, n, rdu, off, n);
        if (sel.contains(Block.W_OUT)) {
          k.gemm(false, false, bs, n, nOut, 1d, point.dy(), yOff, nOut, dir, wOut, n, rdu, off, n);
        }
      }
      if (t < last) {
        k.gemm(false, false, bs, n, n, 1d, rdu, off + nb, n, w, wRec, n, rdu, off, n);
      }
      boolean first = t == last;
      if (voltage) {
        k.mul(nb, fp, off, rdu, off, rdu, off);
        if (point.curved()) {
          k.mul(nb, s, off, rpre, off + nb, tmp, 0);
          k.axpy(nb, 1d, tmp, 0, rdu, off);
        }
        if (decay != 0d) {
          carry(nb, off, first);
          System.arraycopy(rg, 0, rdu, off, nb);
          k.scale(nb, gain, rdu, off);
        }
      } else {
        if (decay != 0d) {
          carry(nb, off, first);
          k.mul(nb, fp, off, rg, 0, rdu, off);
        } else {
          k.mul(nb, fp, off, rdu, off, rdu, off);
        }
        if (gain != 1d) {
          k.scale(nb, gain, rdu, off);
        }
        if (point.curved()) {
          k.mul(nb, s, off, rpre, off + nb, tmp, 0);
          k.axpy(nb, 1d, tmp, 0, rdu, off);
        }
      }
    }
  }

  /** rg = rdu_t + decay rg (rg = rdu_t at the start of the recursion). */
  private void carry(int nb, int off, boolean first) {
    if (first) {
      System.arraycopy(rdu, off, rg, 0, nb);
    } else {
      k.axpby(nb, 1d, rdu, off, decay, rg, 0);
    }
  }

  /** The R-gradient blocks of S into rgrad (other entries are not read). */
  private void assemble(double[] rgrad) {
    DoubleParameters p = point.parameters();
    DoubleBatch batch = point.batch();
    DoubleTrajectory tr = point.trajectory();
    int n = config.hidden();
    int nIn = config.inputs();
    int nOut = config.outputs();
    int bs = batch.size();
    int rows = (point.lastLossStep() + 1) * bs;
    if (sel.contains(Block.W_IN)) {
      int off = p.view(Block.W_IN).offset();
      Arrays.fill(scratch, 0, nIn * n, 0d);
      k.gemm(true, false, nIn, n, rows, 1d, batch.x(), 0, nIn, rdu, 0, n, scratch, 0, n);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < nIn; j++) {
          rgrad[off + i * nIn + j] = scratch[j * n + i];
        }
      }
    }
    if (sel.contains(Block.W_REC)) {
      int off = p.view(Block.W_REC).offset();
      Arrays.fill(rgrad, off, off + n * n, 0d);
      k.gemm(true, false, n, n, rows, 1d, rdu, 0, n, tr.z(), 0, n, rgrad, off, n);
      k.gemm(true, false, n, n, rows, 1d, point.du(), 0, n, rz, 0, n, rgrad, off, n);
    }
    BlockView bRec = p.view(Block.B_REC);
    if (sel.contains(Block.B_REC) && bRec.size() > 0) {
      Arrays.fill(rgrad, bRec.offset(), bRec.end(), 0d);
      k.gemvT(rows, n, 1d, rdu, 0, n, point.ones(), 0, rgrad, bRec.offset());
    }
    readoutGradient(p, batch, tr, n, nOut, bs, rgrad);
    double l2 = (double) config.l2();
    for (Block b : BLOCKS) {
      if (l2 != 0d && b.penalised() && sel.contains(b)) {
        BlockView v = p.view(b);
        k.axpy(v.size(), l2, dir, v.offset(), rgrad, v.offset());
      }
    }
  }

  private void readoutGradient(DoubleParameters p, DoubleBatch batch, DoubleTrajectory tr, int n,
      int nOut, int bs, double[] rgrad) {
    boolean wOutSel = sel.contains(Block.W_OUT);
    boolean bOutSel = sel.contains(Block.B_OUT);
    if (!wOutSel && !bOutSel) {
      return;
    }
    BlockView wOut = p.view(Block.W_OUT);
    BlockView bOut = p.view(Block.B_OUT);
    Arrays.fill(rgrad, wOut.offset(), wOut.end(), 0d);
    Arrays.fill(rgrad, bOut.offset(), bOut.end(), 0d);
    boolean rec = sel.touchesRecurrence();
    for (int t = 0; t < batch.steps(); t++) {
      int end = batch.lossRunEnd(t);
      if (end == t) {
        continue;
      }
      int runRows = (end - t) * bs;
      int yOff = tr.yOffset(t);
      if (wOutSel) {
        k.gemm(true, false, nOut, n, runRows, 1d, rdy, yOff, nOut, tr.z(), tr.slot(t + 1),
            n, rgrad, wOut.offset(), n);
        if (rec) {
          k.gemm(true, false, nOut, n, runRows, 1d, point.dy(), yOff, nOut, rz,
              tr.slot(t + 1), n, rgrad, wOut.offset(), n);
        }
      }
      if (bOutSel) {
        k.gemvT(runRows, nOut, 1d, rdy, yOff, nOut, point.ones(), 0, rgrad, bOut.offset());
      }
      t = end;
    }
  }
}
