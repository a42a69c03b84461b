package org.tca.rules.learning;

import java.util.Arrays;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.model.Block;
import org.tca.rules.model.BlockView;
import org.tca.rules.model.Cell;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatNetwork;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;

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
 * One N x N x P GEMM per step (O(N^2 P) = O(N^4)); memory O(N P), independent of T. Offline, the
 * samples of a batch run one after another through the same influence matrix; online (B = 1) each
 * step yields its own contribution.
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
public final class FloatRtrl implements FloatLearningRule {

  private final ModelConfig config;
  private final FloatKernels k;
  private final FloatNetwork network;
  private final FloatSampleStep sample;
  private final Activation f;
  private final float decay;
  private final float gain;

  /** RTRL with the kernels this JVM picked. */
  public FloatRtrl(ModelConfig config) {
    this(config, Kernels.f32());
  }

  /** RTRL with the given kernels. */
  public FloatRtrl(ModelConfig config, FloatKernels kernels) {
    this.config = config;
    this.k = kernels;
    this.network = new FloatNetwork(config, kernels);
    this.sample = new FloatSampleStep(config, kernels);
    this.f = config.activation();
    this.decay = (float) config.cell().stateDecay(config.leak());
    this.gain = (float) config.cell().inputGain(config.leak());
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
  public FloatRtrlWorkspace newWorkspace(int batchSize, int steps) {
    return new FloatRtrlWorkspace(config, batchSize, steps);
  }

  @Override
  public double gradient(FloatParameters p, FloatBatch batch, FloatWorkspace workspace,
      float[] grad) {
    FloatRtrlWorkspace ws = FloatRtrlWorkspace.cast(workspace);
    Arrays.fill(grad, 0f);
    double maskSum = batch.lossMaskSum();
    int last = batch.lastLossStep();
    double loss = 0;
    for (int b = 0; b < batch.size(); b++) {
      ws.reset();
      for (int t = 0; t <= last; t++) {
        double w = batch.lossMask()[t] / maskSum / batch.size();
        loss += w * step(p, batch, b, t, (float) w, ws, grad);
      }
    }
    FloatGradientAssembly.addL2(k, p, 1f, grad);
    p.maskGradient(grad);
    return loss + network.l2Penalty(p);
  }

  @Override
  public boolean supportsOnline() {
    return true;
  }

  @Override
  public void beginOnline(FloatParameters p, FloatWorkspace ws) {
    FloatRtrlWorkspace.cast(ws).reset();
  }

  @Override
  public double stepOnline(FloatParameters p, FloatBatch batch, int t, FloatWorkspace workspace,
      float[] grad) {
    FloatRtrlWorkspace ws = FloatRtrlWorkspace.cast(workspace);
    if (batch.size() != 1) {
      throw new IllegalArgumentException("online mode needs B = 1, got B = " + batch.size());
    }
    if (t != ws.nextStep) {
      throw new IllegalStateException("online steps must come in order: expected t = "
          + ws.nextStep + ", got " + t + " (call beginOnline for a new sequence)");
    }
    Arrays.fill(grad, 0f);
    double w = batch.lossMask()[t] / batch.lossMaskSum();
    double l = step(p, batch, 0, t, (float) w, ws, grad);
    FloatGradientAssembly.addL2(k, p, (float) w, grad);
    p.maskGradient(grad);
    return w * l;
  }

  /** Advances sample b by step t and adds its gradient contribution; returns l_t (0 if w = 0). */
  private double step(FloatParameters p, FloatBatch batch, int b, int t, float w,
      FloatRtrlWorkspace ws, float[] grad) {
    int n = config.hidden();
    int nIn = config.inputs();
    int width = ws.width;
    float[] par = p.data();
    BlockView wRec = p.view(Block.W_REC);
    BlockView bRec = p.view(Block.B_REC);
    int prev = ws.parity * n;
    int cur = n - prev;
    float[] x = batch.x();
    int xOff = batch.xOffset(t, b);
    boolean voltage = config.cell() == Cell.VOLTAGE_LEAK;
    if (voltage) {
      k.activationDerivative(f, n, ws.pre, prev, ws.psi, 0); // f'(v_{t-1}) for the Jacobian
    }
    sample.forward(p, x, xOff, ws.pre, ws.z, prev, cur, ws.u);
    if (!voltage) {
      k.activationDerivative(f, n, ws.u, 0, ws.psi, 0);     // f'(u_t)
    }
    // influence: M_t = J_t M_{t-1} + D_t I_t
    if (t > 0) {
      for (int i = 0; i < n; i++) {
        int ji = i * n;
        int wi = wRec.offset() + i * n;
        for (int j = 0; j < n; j++) {
          ws.jac[ji + j] = gain * par[wi + j] * (voltage ? ws.psi[j] : ws.psi[i]);
        }
        ws.jac[ji + i] += decay;
      }
      Arrays.fill(ws.mNext, 0f);
      k.gemm(false, false, n, width, n, 1f, ws.jac, 0, n, ws.m, 0, width, ws.mNext, 0, width);
      ws.swapInfluence();
    } else {
      Arrays.fill(ws.m, 0f);
    }
    for (int i = 0; i < n; i++) {
      float d = voltage ? gain : gain * ws.psi[i];
      int row = i * width;
      k.axpy(nIn, d, x, xOff, ws.m, row + p.view(Block.W_IN).offset() + i * nIn);
      k.axpy(n, d, ws.z, prev, ws.m, row + wRec.offset() + i * n);
      if (bRec.size() > 0) {
        ws.m[row + bRec.offset() + i] += d;
      }
    }
    ws.parity ^= 1;
    ws.nextStep = t + 1;
    if (w == 0f) {
      return 0;
    }
    return readout(p, batch, b, t, w, ws, cur, grad);
  }

  private double readout(FloatParameters p, FloatBatch batch, int b, int t, float w,
      FloatRtrlWorkspace ws, int cur, float[] grad) {
    int n = config.hidden();
    int nOut = config.outputs();
    double l = sample.readout(p, batch, t, b, w, ws.z, cur, ws.y, ws.dy, grad);
    Arrays.fill(ws.c, 0f);
    k.gemvT(nOut, n, 1f, p.data(), p.view(Block.W_OUT).offset(), n, ws.dy, 0, ws.c, 0);
    if (config.cell() == Cell.VOLTAGE_LEAK) {
      k.mulActivationDerivative(f, n, ws.pre, cur, ws.c, 0, ws.c, 0);
    }
    k.gemvT(n, ws.width, 1f, ws.m, 0, ws.width, ws.c, 0, grad, 0);
    return l;
  }
}
