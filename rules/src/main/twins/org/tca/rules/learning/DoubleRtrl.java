package org.tca.rules.learning;

import java.util.Arrays;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.model.Block;
import org.tca.rules.model.BlockView;
import org.tca.rules.model.Cell;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleNetwork;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.model.ParameterLayout;

/**
 * Real-time recurrent learning: the exact gradient in forward mode. The influence matrix
 * M_t = d s_t / d theta (s the cell state, theta = W_in | W_rec | b_rec, P columns) obeys, with
 * I_t the immediate derivative of the drive u_t (row i: x_t in the W_in[i,:] columns, z_{t-1} in the
 * W_rec[i,:] columns, 1 in the b_rec[i] column):
 *
 * <pre>
 *   voltage-leak: M_t = (a I + (1-a) W_rec diag(f'(v_{t-1}))) M_{t-1} + (1-a) I_t
 *                 dJ/dtheta += (f'(v_t) . W_out' dy_t)' M_t
 *   rate-leak:    M_t = ((1-a) I + a diag(f'(u_t)) W_rec) M_{t-1} + a diag(f'(u_t)) I_t
 *                 dJ/dtheta += (W_out' dy_t)' M_t
 *   dW_out += dy_t z_t',  db_out += dy_t                    (dy_t = w_t dl_t/dy_t, M_{-1} = 0)
 * </pre>
 *
 * One N x N x P GEMM per step (O(N^2 P) = O(N^4)); memory O(N P), independent of T.
 *
 * <p>Sparsity of the derivative (ReLU): the rows of M_t are kept in an order with the set S_t of
 * neurons with nonzero f'(v_t) (rate-leak: f'(u_t)) first. In the voltage cell the readout vector
 * f'(v_t) . W_out' dy_t is 0 outside S_t, and when a = 0 so are the columns of J_{t+1} outside
 * S_t: the rows of M_t outside S_t are never read, so they are not computed. In the rate cell with
 * a = 1 those rows are exactly 0. So at zero state decay the product is |S_t| x |S_{t-1}| x P
 * (about N/2 x N/2 x P for ReLU, a quarter of the dense work), and the rows of M_t outside S_t in
 * {@link DoubleRtrlWorkspace#influence()} are stale. The product, the immediate term and the
 * readout c_t' M_t run one block of columns at a time while the block is in cache. Offline, the
 * samples of a batch run one after another through the same influence matrix; online (B = 1) each
 * step yields its own contribution.
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
public final class DoubleRtrl implements DoubleLearningRule {

  /** Columns of M per block of the step: N x CHUNK of M_t stays in L2 from product to readout. */
  static final int CHUNK = 512;

  private final ModelConfig config;
  private final DoubleKernels k;
  private final DoubleNetwork network;
  private final DoubleSampleStep sample;
  private final Activation f;
  private final double decay;
  private final double gain;

  /** RTRL with the kernels this JVM picked. */
  public DoubleRtrl(ModelConfig config) {
    this(config, Kernels.f64());
  }

  /** RTRL with the given kernels. */
  public DoubleRtrl(ModelConfig config, DoubleKernels kernels) {
    this.config = config;
    this.k = kernels;
    this.network = new DoubleNetwork(config, kernels);
    this.sample = new DoubleSampleStep(config, kernels);
    this.f = config.activation();
    this.decay = (double) config.cell().stateDecay(config.leak());
    this.gain = (double) config.cell().inputGain(config.leak());
  }

  @Override
  public String id() {
    return "rtrl";
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  @Override
  public long stateBytesPerSample(int steps) {
    return (long) Double.BYTES * config.hidden() * new ParameterLayout(config).recurrentSize();
  }

  @Override
  public DoubleRtrlWorkspace newWorkspace(int batchSize, int steps) {
    return new DoubleRtrlWorkspace(config, batchSize, steps);
  }

  @Override
  public double gradient(DoubleParameters p, DoubleBatch batch, DoubleWorkspace workspace,
      double[] grad) {
    DoubleRtrlWorkspace ws = DoubleRtrlWorkspace.cast(workspace);
    Arrays.fill(grad, 0d);
    double maskSum = batch.lossMaskSum();
    int last = batch.lastLossStep();
    double loss = 0;
    for (int b = 0; b < batch.size(); b++) {
      ws.reset();
      for (int t = 0; t <= last; t++) {
        double w = batch.lossMask()[t] / maskSum / batch.size();
        loss += w * step(p, batch, b, t, (double) w, ws, grad);
      }
    }
    DoubleGradientAssembly.addL2(k, p, 1d, grad);
    p.maskGradient(grad);
    return loss + network.l2Penalty(p);
  }

  @Override
  public boolean supportsOnline() {
    return true;
  }

  @Override
  public void beginOnline(DoubleParameters p, DoubleWorkspace ws) {
    DoubleRtrlWorkspace.cast(ws).reset();
  }

  @Override
  public double stepOnline(DoubleParameters p, DoubleBatch batch, int t, DoubleWorkspace workspace,
      double[] grad) {
    DoubleRtrlWorkspace ws = DoubleRtrlWorkspace.cast(workspace);
    if (batch.size() != 1) {
      throw new IllegalArgumentException("online mode needs B = 1, got B = " + batch.size());
    }
    if (t != ws.nextStep) {
      throw new IllegalStateException("online steps must come in order: expected t = "
          + ws.nextStep + ", got " + t + " (call beginOnline for a new sequence)");
    }
    Arrays.fill(grad, 0d);
    double w = batch.lossMask()[t] / batch.lossMaskSum();
    double l = step(p, batch, 0, t, (double) w, ws, grad);
    DoubleGradientAssembly.addL2(k, p, (double) w, grad);
    p.maskGradient(grad);
    return w * l;
  }

  /** Advances sample b by step t and adds its gradient contribution; returns l_t (0 if w = 0). */
  private double step(DoubleParameters p, DoubleBatch batch, int b, int t, double w,
      DoubleRtrlWorkspace ws, double[] grad) {
    int n = config.hidden();
    int width = ws.width;
    int prev = ws.parity * n;
    int cur = n - prev;
    double[] x = batch.x();
    int xOff = batch.xOffset(t, b);
    boolean voltage = config.cell() == Cell.VOLTAGE_LEAK;
    if (voltage) {
      k.activationDerivative(f, n, ws.pre, prev, ws.psi, 0); // f'(v_{t-1}) for the Jacobian
    }
    sample.forward(p, x, xOff, ws.pre, ws.z, prev, cur, ws.u);
    // rows of M_t ordered with the neurons of nonzero S_t first (S_t = f'(v_t), rate: f'(u_t))
    if (voltage) {
      k.activationDerivative(f, n, ws.pre, cur, ws.psiNext, 0);
    } else {
      k.activationDerivative(f, n, ws.u, 0, ws.psi, 0);     // f'(u_t)
    }
    int active = order(voltage ? ws.psiNext : ws.psi, ws.orderNext, ws.posNext);
    // at zero state decay, rows of M_t outside S_t are never read (voltage) or exactly 0 (rate)
    int rows = decay == 0d ? active : n;
    int inner = t == 0 ? 0 : ws.rows;
    if (inner > 0) {
      jacobian(p, ws, rows, inner, voltage);
    }
    double l = 0;
    int readRows = 0;
    if (w != 0d) {
      l = readout(p, batch, b, t, w, ws, cur, grad);
      readRows = voltage ? active : rows; // voltage: c_t = 0 outside S_t
      for (int r = 0; r < readRows; r++) {
        ws.cOrdered[r] = ws.c[ws.orderNext[r]];
      }
    }
    // M_t = J_t M_{t-1} + D_t I_t and grad += c_t' M_t, one cache-sized block of columns at a time
    for (int c0 = 0; c0 < width; c0 += CHUNK) {
      int cw = Math.min(CHUNK, width - c0);
      for (int r = 0; r < rows; r++) {
        Arrays.fill(ws.mNext, r * width + c0, r * width + c0 + cw, 0d);
      }
      if (inner > 0) {
        k.gemm(false, false, rows, cw, inner, 1d, ws.jac, 0, inner, ws.m, c0, width, ws.mNext,
            c0, width);
      }
      immediate(p, ws, x, xOff, prev, c0, c0 + cw, rows, voltage);
      if (readRows > 0) {
        k.gemvT(readRows, cw, 1d, ws.mNext, c0, width, ws.cOrdered, 0, grad, c0);
      }
    }
    ws.swapInfluence();
    ws.rows = rows;
    ws.parity ^= 1;
    ws.nextStep = t + 1;
    return l;
  }

  /**
   * Row order of M_t: the neurons with a nonzero derivative first, each group ascending; fills
   * {@code order} (row to neuron) and {@code pos} (neuron to row) and returns the count.
   */
  private static int order(double[] psi, int[] order, int[] pos) {
    int n = order.length;
    int r = 0;
    for (int i = 0; i < n; i++) {
      if (psi[i] != 0d) {
        order[r] = i;
        pos[i] = r++;
      }
    }
    int active = r;
    for (int i = 0; i < n; i++) {
      if (psi[i] == 0d) {
        order[r] = i;
        pos[i] = r++;
      }
    }
    return active;
  }

  /**
   * The rows x inner step Jacobian J_t: rows the first {@code rows} of M_t, columns the first
   * {@code inner} rows of M_{t-1} (those kept; see {@link #step}).
   */
  private void jacobian(DoubleParameters p, DoubleRtrlWorkspace ws, int rows, int inner,
      boolean voltage) {
    int n = config.hidden();
    double[] par = p.data();
    int wRec = p.view(Block.W_REC).offset();
    int[] from = ws.order;
    for (int r = 0; r < rows; r++) {
      int i = ws.orderNext[r];
      int ji = r * inner;
      int wi = wRec + i * n;
      if (voltage) {
        for (int q = 0; q < inner; q++) {
          int j = from[q];
          ws.jac[ji + q] = gain * par[wi + j] * ws.psi[j];
        }
      } else {
        double s = ws.psi[i];
        for (int q = 0; q < inner; q++) {
          ws.jac[ji + q] = gain * par[wi + from[q]] * s;
        }
      }
      int q = ws.pos[i];
      if (q < inner) {
        ws.jac[ji + q] += decay;
      }
    }
  }

  /** Adds D_t I_t to columns [c0, c1) of the first {@code rows} rows of M_t (its order). */
  private void immediate(DoubleParameters p, DoubleRtrlWorkspace ws, double[] x, int xOff, int prev,
      int c0, int c1, int rows, boolean voltage) {
    int n = config.hidden();
    int nIn = config.inputs();
    immediateBlock(ws, p.view(Block.W_IN).offset(), nIn, x, xOff, c0, c1, rows, voltage);
    immediateBlock(ws, p.view(Block.W_REC).offset(), n, ws.z, prev, c0, c1, rows, voltage);
    BlockView bRec = p.view(Block.B_REC);
    if (bRec.size() > 0) {
      int lo = Math.max(c0, bRec.offset());
      int hi = Math.min(c1, bRec.offset() + n);
      for (int c = lo; c < hi; c++) {
        int i = c - bRec.offset();
        if (ws.posNext[i] < rows) {
          ws.mNext[ws.posNext[i] * ws.width + c] += voltage ? gain : gain * ws.psi[i];
        }
      }
    }
  }

  /** Block of rows of a weight matrix at column {@code off}: neuron i's row gets d_i src. */
  private void immediateBlock(DoubleRtrlWorkspace ws, int off, int per, double[] src, int srcOff,
      int c0, int c1, int rows, boolean voltage) {
    int n = config.hidden();
    int lo = Math.max(c0, off);
    int hi = Math.min(c1, off + n * per);
    if (lo >= hi) {
      return;
    }
    for (int i = (lo - off) / per; i <= (hi - 1 - off) / per; i++) {
      if (ws.posNext[i] >= rows) {
        continue;
      }
      int s = Math.max(lo, off + i * per);
      int e = Math.min(hi, off + (i + 1) * per);
      double d = voltage ? gain : gain * ws.psi[i];
      k.axpy(e - s, d, src, srcOff + s - off - i * per, ws.mNext, ws.posNext[i] * ws.width + s);
    }
  }

  /** Readout, loss, dW_out and db_out; leaves c_t (the gradient at the state) in ws.c. */
  private double readout(DoubleParameters p, DoubleBatch batch, int b, int t, double w,
      DoubleRtrlWorkspace ws, int cur, double[] grad) {
    int n = config.hidden();
    int nOut = config.outputs();
    double l = sample.readout(p, batch, t, b, w, ws.z, cur, ws.y, ws.dy, grad);
    Arrays.fill(ws.c, 0d);
    k.gemvT(nOut, n, 1d, p.data(), p.view(Block.W_OUT).offset(), n, ws.dy, 0, ws.c, 0);
    if (config.cell() == Cell.VOLTAGE_LEAK) {
      k.mulActivationDerivative(f, n, ws.pre, cur, ws.c, 0, ws.c, 0);
    }
    return l;
  }
}
