package org.tca.rules.model;

import java.util.Arrays;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.kernels.Kernels;

/**
 * The forward pass and loss of the leaky rate RNN on a time-major batch, with the recurrent step
 * batched as a GEMM. With g = {@link Cell#inputGain}, d = {@link Cell#stateDecay}:
 *
 * <pre>
 *   U   = X W_in' + b_rec                    all T*B rows at once (one GEMM)
 *   u_t = U_t + Z_{t-1} W_rec'               B x N per step (one GEMM)
 *   voltage-leak: v_t = d v_{t-1} + g u_t,   z_t = f(v_t)          (d = a, g = 1 - a)
 *   rate-leak:    h_t = d h_{t-1} + g f(u_t), z_t = h_t             (d = 1 - a, g = a)
 *   Y_t = Z_t W_out' + b_out                 at the loss steps (one GEMM per run of steps)
 * </pre>
 *
 * At B &gt;= {@value #TRANSPOSE_MIN_BATCH} the recurrent GEMM multiplies by a transposed copy of
 * W_rec (an NN product, ~10% faster than NT with the packed GEMM); below, the N^2 copy costs more
 * than it saves; where the kernels keep a packed form ({@link DoubleKernels#packB}) it fits in
 * the copy's buffer, W_rec' is packed there once for all T steps instead (same bits). At
 * B &gt;= {@value #STEPWISE_INPUT_MIN_BATCH} U_t is computed per step just before the recurrent
 * product (the B x N block stays in cache); below, U is one GEMM over all
 * T*B rows. Loss: J = (1/B) sum_b sum_t (m_t / sum_s m_s) l_t(y_t[b])
 * + (l2/2) sum_{W in W_in,W_rec,W_out} |W|^2 (see {@link LossKind}). Stateless apart from its
 * config and kernels; thread-safe.
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
public final class DoubleNetwork {

  private static final Block[] BLOCKS = Block.values();

  /** Smallest B at which the forward pass transposes W_rec once per call. */
  public static final int TRANSPOSE_MIN_BATCH = 16;

  /**
   * Smallest B at which the input drive U_t is computed step by step (below, all T*B rows of U
   * fit in cache anyway and one product saves the per-call overhead).
   */
  public static final int STEPWISE_INPUT_MIN_BATCH = 64;

  private final ModelConfig config;
  private final DoubleKernels k;

  /** A network using the kernels this JVM picked. */
  public DoubleNetwork(ModelConfig config) {
    this(config, Kernels.f64());
  }

  /** A network using the given kernels. */
  public DoubleNetwork(ModelConfig config, DoubleKernels kernels) {
    this.config = config;
    this.k = kernels;
  }

  /** The config. */
  public ModelConfig config() {
    return config;
  }

  /** The kernels. */
  public DoubleKernels kernels() {
    return k;
  }

  /** Runs the batch forward into the trajectory (states for every step, readout at loss steps). */
  public void forward(DoubleParameters p, DoubleBatch batch, DoubleTrajectory tr) {
    check(p, batch);
    int n = config.hidden();
    int bs = batch.size();
    int steps = batch.steps();
    int nb = bs * n;
    tr.bind(bs, steps);
    Cell cell = config.cell();
    double decay = (double) cell.stateDecay(config.leak());
    double gain = (double) cell.inputGain(config.leak());
    double inScale = cell == Cell.VOLTAGE_LEAK ? gain : 1d;
    double[] w = p.data();
    double[] pre = tr.pre();
    double[] z = tr.z();
    // at large B the input drive of step t is computed just before its recurrent product, so the
    // B x N block stays in cache; at small B one product over all T*B rows costs fewer calls
    boolean stepwise = bs >= STEPWISE_INPUT_MIN_BATCH;
    if (!stepwise) {
      inputDrive(p, batch, pre, tr.slot(1), 0, steps * bs, inScale);
    }
    BlockView wRec = p.view(Block.W_REC);
    boolean transpose = bs >= TRANSPOSE_MIN_BATCH;
    double[] rhs = w;
    int rhsOff = wRec.offset();
    // packed once for all T steps, into the transposed copy's buffer when it fits (the same
    // slivers as an NN product with the copy would pack at every step: same bits)
    double[] packed = transpose ? packedRecurrent(tr.recurrentTransposed(), n) : null;
    if (packed != null) {
      k.packB(true, n, n, inScale, w, rhsOff, n, packed, 0);
    } else if (transpose) {
      rhs = tr.recurrentTransposed();
      rhsOff = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          rhs[j * n + i] = w[wRec.offset() + i * n + j];
        }
      }
    }
    Activation f = config.activation();
    for (int t = 0; t < steps; t++) {
      int prev = tr.slot(t);
      int cur = tr.slot(t + 1);
      if (stepwise) {
        inputDrive(p, batch, pre, cur, t * bs, bs, inScale);
      }
      if (t > 0 && packed != null) { // z_0 = v_0 = 0
        k.gemmPacked(false, true, bs, n, n, inScale, z, prev, n, rhs, rhsOff, n, packed, 0,
            pre, cur, n);
      } else if (t > 0) {
        k.gemm(false, !transpose, bs, n, n, inScale, z, prev, n, rhs, rhsOff, n, pre, cur, n);
      }
      if (cell == Cell.VOLTAGE_LEAK) {
        if (decay != 0d && t > 0) {
          k.axpy(nb, decay, pre, prev, pre, cur);
        }
        k.activation(f, nb, pre, cur, z, cur);
      } else {
        k.activation(f, nb, pre, cur, z, cur);
        if (decay != 0d) {
          k.axpby(nb, decay, z, prev, gain, z, cur);
        }
      }
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
   * {@code buffer} when the kernels keep a packed form of an n x n operand and it fits there,
   * else null (then the recurrent products pack W_rec themselves).
   */
  public double[] packedRecurrent(double[] buffer, int n) {
    int size = k.packedSize(n, n);
    return size > 0 && size <= buffer.length ? buffer : null;
  }

  /**
   * Writes s (b_rec + W_in x) for {@code rows} consecutive rows of X from row {@code r0} into
   * {@code pre} at {@code off} (s = the input scale).
   */
  private void inputDrive(DoubleParameters p, DoubleBatch batch, double[] pre, int off, int r0,
      int rows, double s) {
    int n = config.hidden();
    int nIn = config.inputs();
    double[] w = p.data();
    BlockView bRec = p.view(Block.B_REC);
    if (bRec.size() > 0) {
      for (int r = 0; r < rows; r++) {
        System.arraycopy(w, bRec.offset(), pre, off + r * n, n);
      }
      if (s != 1d) {
        k.scale(rows * n, s, pre, off);
      }
    } else {
      Arrays.fill(pre, off, off + rows * n, 0d);
    }
    k.gemm(false, true, rows, n, nIn, s, batch.x(), r0 * nIn, nIn, w, p.view(Block.W_IN).offset(),
        nIn, pre, off, n);
  }

  /** Computes y_t = W_out z_t + b_out for steps t0..t1-1 of the bound trajectory. */
  public void readout(DoubleParameters p, DoubleTrajectory tr, int t0, int t1) {
    int n = config.hidden();
    int nOut = config.outputs();
    int rows = (t1 - t0) * tr.batch();
    double[] y = tr.y();
    int yOff = tr.yOffset(t0);
    BlockView bOut = p.view(Block.B_OUT);
    for (int r = 0; r < rows; r++) {
      System.arraycopy(p.data(), bOut.offset(), y, yOff + r * nOut, nOut);
    }
    k.gemm(false, true, rows, nOut, n, 1d, tr.z(), tr.slot(t0 + 1), n,
        p.data(), p.view(Block.W_OUT).offset(), n, y, yOff, nOut);
  }

  /**
   * The data loss (1/B) sum_b sum_t (m_t / sum m) l_t of a forward pass; when {@code dy} is not
   * null it receives dJ/dy_t at every loss step, at {@link DoubleTrajectory#yOffset(int)} (other
   * steps untouched).
   */
  public double loss(DoubleBatch batch, DoubleTrajectory tr, double[] dy) {
    double maskSum = batch.lossMaskSum();
    int bs = batch.size();
    double total = 0;
    for (int t = 0; t < batch.steps(); t++) {
      double m = batch.lossMask()[t];
      if (m == 0d) {
        continue;
      }
      double w = m / maskSum / bs;
      total += w * stepLoss(batch, t, 0, bs, tr.y(), tr.yOffset(t), dy, tr.yOffset(t), (double) w);
    }
    return total;
  }

  /**
   * The summed (unweighted) loss sum_r l_t over {@code rows} consecutive samples b0.. at step t,
   * whose readouts are rows of {@code y} from {@code yOff}; when {@code dy} is not null it
   * receives {@code scale} * dl/dy for each row.
   */
  public double stepLoss(DoubleBatch batch, int t, int b0, int rows, double[] y, int yOff,
      double[] dy, int dyOff, double scale) {
    int nOut = config.outputs();
    if (config.loss() == LossKind.CROSS_ENTROPY) {
      double l = k.softmaxCrossEntropy(rows, nOut, y, yOff, nOut, batch.labels(),
          batch.labelIndex(t, b0), dy, dyOff, nOut);
      if (dy != null) {
        k.scale(rows * nOut, scale, dy, dyOff);
      }
      return l;
    }
    double[] target = batch.targets();
    int tOff = batch.targetOffset(t, b0);
    double l = 0;
    double g = 2d * scale / nOut;
    for (int i = 0; i < rows * nOut; i++) {
      double d = y[yOff + i] - target[tOff + i];
      l += (double) d * d;
      if (dy != null) {
        dy[dyOff + i] = g * d;
      }
    }
    return l / nOut;
  }

  /**
   * Classification accuracy counts of a forward pass: the number of (sample, loss step) pairs
   * with m_t != 0 whose argmax_k y_t[b][k] equals the label (ties: the lowest k). The total is
   * B times the number of loss steps.
   */
  public int correct(DoubleBatch batch, DoubleTrajectory tr) {
    int nOut = config.outputs();
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

  /** The L2 penalty (l2/2)(|W_in|^2 + |W_rec|^2 + |W_out|^2). */
  public double l2Penalty(DoubleParameters p) {
    if (config.l2() == 0) {
      return 0;
    }
    double s = 0;
    for (Block b : BLOCKS) {
      if (b.penalised()) {
        BlockView v = p.view(b);
        s += k.sumSquares(v.size(), p.data(), v.offset());
      }
    }
    return 0.5 * config.l2() * s;
  }

  /** Forward pass, data loss and L2 penalty: the full objective J. */
  public double objective(DoubleParameters p, DoubleBatch batch, DoubleTrajectory tr) {
    forward(p, batch, tr);
    return loss(batch, tr, null) + l2Penalty(p);
  }

  private void check(DoubleParameters p, DoubleBatch batch) {
    if (p.config() != config && !p.config().equals(config)) {
      throw new IllegalArgumentException("parameters were made for another config");
    }
    if (batch.inputs() != config.inputs() || batch.outputs() != config.outputs()) {
      throw new IllegalArgumentException("batch has N_in=" + batch.inputs() + ", N_out="
          + batch.outputs() + " but the model has " + config.inputs() + ", " + config.outputs());
    }
    if (batch.classification() != (config.loss() == LossKind.CROSS_ENTROPY)) {
      throw new IllegalArgumentException("a " + config.loss().id() + " loss needs a "
          + (batch.classification() ? "regression" : "classification") + " batch");
    }
  }
}
