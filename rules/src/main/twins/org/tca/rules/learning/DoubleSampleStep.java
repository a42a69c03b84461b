package org.tca.rules.learning;

import java.util.Arrays;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.rules.model.Block;
import org.tca.rules.model.BlockView;
import org.tca.rules.model.Cell;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleNetwork;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.ModelConfig;

/**
 * One time step of one sample (vector form, for the forward-in-time rules):
 *
 * <pre>
 *   u_t = W_in x_t + W_rec z_{t-1} + b_rec
 *   voltage-leak: v_t = a v_{t-1} + (1 - a) u_t, z_t = f(v_t)      (pre_t = v_t)
 *   rate-leak:    h_t = (1 - a) h_{t-1} + a f(u_t), z_t = h_t       (pre_t = u_t)
 *   readout: y_t = W_out z_t + b_out, dy_t = w dl_t/dy_t, dW_out += dy_t z_t', db_out += dy_t
 * </pre>
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
public final class DoubleSampleStep {

  private final ModelConfig config;
  private final DoubleKernels k;
  private final DoubleNetwork network;
  private final Activation f;
  private final double decay;
  private final double gain;

  /** The step for a config. */
  public DoubleSampleStep(ModelConfig config, DoubleKernels kernels) {
    this.config = config;
    this.k = kernels;
    this.network = new DoubleNetwork(config, kernels);
    this.f = config.activation();
    this.decay = (double) config.cell().stateDecay(config.leak());
    this.gain = (double) config.cell().inputGain(config.leak());
  }

  /**
   * Advances the state: reads pre/z at {@code prev}, writes them at {@code cur} (offsets into
   * {@code pre} and {@code z}, N entries each); {@code u} (N) is scratch and ends holding u_t.
   */
  public void forward(DoubleParameters p, double[] x, int xOff, double[] pre, double[] z, int prev,
      int cur, double[] u) {
    int n = config.hidden();
    int nIn = config.inputs();
    double[] w = p.data();
    BlockView bRec = p.view(Block.B_REC);
    if (bRec.size() > 0) {
      System.arraycopy(w, bRec.offset(), u, 0, n);
    } else {
      Arrays.fill(u, 0, n, 0d);
    }
    k.gemv(n, nIn, 1d, w, p.view(Block.W_IN).offset(), nIn, x, xOff, u, 0);
    k.gemv(n, n, 1d, w, p.view(Block.W_REC).offset(), n, z, prev, u, 0);
    System.arraycopy(u, 0, pre, cur, n);
    if (config.cell() == Cell.VOLTAGE_LEAK) {
      k.axpby(n, decay, pre, prev, gain, pre, cur);
      k.activation(f, n, pre, cur, z, cur);
    } else {
      k.activation(f, n, u, 0, z, cur);
      k.axpby(n, decay, z, prev, gain, z, cur);
    }
  }

  /**
   * Readout and loss of sample b at step t with weight w: writes y (N_out) and dy = w dl_t/dy,
   * adds dy z' to the W_out block and dy to the b_out block of {@code grad}; returns l_t.
   */
  public double readout(DoubleParameters p, DoubleBatch batch, int t, int b, double w, double[] z,
      int zOff, double[] y, double[] dy, double[] grad) {
    int n = config.hidden();
    int nOut = config.outputs();
    double[] par = p.data();
    BlockView wOut = p.view(Block.W_OUT);
    BlockView bOut = p.view(Block.B_OUT);
    System.arraycopy(par, bOut.offset(), y, 0, nOut);
    k.gemv(nOut, n, 1d, par, wOut.offset(), n, z, zOff, y, 0);
    double l = network.stepLoss(batch, t, b, 1, y, 0, dy, 0, w);
    k.decayedRank1(nOut, n, 1d, 1d, dy, 0, z, zOff, grad, wOut.offset(), n);
    k.axpy(nOut, 1d, dy, 0, grad, bOut.offset());
    return l;
  }
}
