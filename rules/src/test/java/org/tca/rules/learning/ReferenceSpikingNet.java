package org.tca.rules.learning;

import org.tca.rules.model.Block;
import org.tca.rules.model.BlockView;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ParameterLayout;
import org.tca.rules.spiking.SpikingConfig;

/**
 * An independent f64 spiking objective, written straight from the equations of
 * {@link SpikingConfig} with dense loops, sample by sample, and the leaky readout as the recursion
 * y_t = kappa y_{t-1} + W_out z_t + b_out (not the implementation's zf / c_t form). Three modes:
 *
 * <ul>
 *   <li>{@link #spiking}: the true network (z = H(s), s = v - A, refractory counters); it records
 *       s0_t, z0_t and psi0_t of every unit, sample and step;</li>
 *   <li>{@link #straightThrough}: the recorded spikes replaced by the straight-through function
 *       z_t(theta) = z0_t + psi0_t (s_t(theta) - s0_t). At the recorded theta it reproduces the
 *       spiking trajectory exactly (s = s0, z = z0), it is smooth in theta, and its derivative
 *       dz/ds is psi0: its exact gradient at theta0 is, by construction, what BPTT through the
 *       pseudo-derivative computes, so central finite differences of it are an exact oracle;</li>
 *   <li>{@link #stopped}: as straight-through, but z_{t-1} enters v_t (recurrent input and reset)
 *       as the recorded constant z0_{t-1}: "autodiff with stopped gradients", Bellec et al.'s
 *       definition of e-prop (the neuron's own path z_{t-1} -&gt; a_t keeps its gradient).</li>
 * </ul>
 */
final class ReferenceSpikingNet {

  private final SpikingConfig c;
  private final DoubleBatch batch;
  private final ParameterLayout layout;
  private final double[][][] s0;
  private final double[][][] z0;
  private final double[][][] psi0;
  private int spikes;

  ReferenceSpikingNet(SpikingConfig c, DoubleBatch batch) {
    this.c = c;
    this.batch = batch;
    this.layout = new ParameterLayout(c.base());
    int n = c.hidden();
    this.s0 = new double[batch.steps()][batch.size()][n];
    this.z0 = new double[batch.steps()][batch.size()][n];
    this.psi0 = new double[batch.steps()][batch.size()][n];
  }

  /** The true spiking objective; records the trajectory the other modes linearise around. */
  double spiking(double[] theta) {
    spikes = 0;
    return run(theta, 0);
  }

  /** The straight-through objective around the last {@link #spiking} call. */
  double straightThrough(double[] theta) {
    return run(theta, 1);
  }

  /** The stopped-gradient objective around the last {@link #spiking} call. */
  double stopped(double[] theta) {
    return run(theta, 2);
  }

  /** Spikes in the last {@link #spiking} call. */
  int spikes() {
    return spikes;
  }

  /** Number of (step, sample, unit) with psi0 != 0 in the last {@link #spiking} call. */
  int activeDerivatives() {
    int count = 0;
    for (double[][] a : psi0) {
      for (double[] r : a) {
        for (double v : r) {
          count += v != 0 ? 1 : 0;
        }
      }
    }
    return count;
  }

  private double w(double[] theta, Block b, int i, int j) {
    BlockView v = layout.view(b);
    return theta[v.index(i, j)];
  }

  private double run(double[] theta, int mode) {
    int n = c.hidden();
    int nIn = c.base().inputs();
    int nOut = c.base().outputs();
    int steps = batch.steps();
    int bs = batch.size();
    double alpha = Math.exp(-1.0 / c.tauMembrane());
    double rho = Math.exp(-1.0 / c.tauAdaptation());
    double kappa = Math.exp(-1.0 / c.tauReadout());
    double vth = c.threshold();
    double maskSum = 0;
    for (int t = 0; t < steps; t++) {
      maskSum += batch.lossMask()[t];
    }
    double data = 0;
    double rate = 0;
    for (int b = 0; b < bs; b++) {
      double[] v = new double[n];
      double[] a = new double[n];
      double[] z = new double[n];
      double[] zFrozen = new double[n];
      int[] refractory = new int[n];
      double[] y = new double[nOut];
      double[] count = new double[n];
      for (int t = 0; t < steps; t++) {
        double[] zIn = mode == 2 ? zFrozen : z;
        double[] vn = new double[n];
        double[] an = new double[n];
        double[] zn = new double[n];
        for (int j = 0; j < n; j++) {
          double s = alpha * v[j];
          for (int i = 0; i < nIn; i++) {
            s += w(theta, Block.W_IN, j, i) * batch.x()[batch.xOffset(t, b) + i];
          }
          for (int i = 0; i < n; i++) {
            s += w(theta, Block.W_REC, j, i) * zIn[i];
          }
          vn[j] = s - vth * zIn[j];
          boolean adaptive = j >= n - c.adaptiveCount();
          an[j] = adaptive ? rho * a[j] + z[j] : 0;
          double margin = vn[j] - vth - (adaptive ? c.beta() * an[j] : 0);
          if (mode == 0) {
            s0[t][b][j] = margin;
            if (refractory[j] > 0) {
              refractory[j]--;
              z0[t][b][j] = 0;
              psi0[t][b][j] = 0;
            } else {
              z0[t][b][j] = margin > 0 ? 1 : 0;
              psi0[t][b][j] = c.dampening() * Math.max(0, 1 - Math.abs(margin) / vth) / vth;
              if (margin > 0) {
                refractory[j] = c.refractory();
                spikes++;
              }
            }
            zn[j] = z0[t][b][j];
          } else {
            zn[j] = z0[t][b][j] + psi0[t][b][j] * (margin - s0[t][b][j]);
          }
        }
        v = vn;
        a = an;
        z = zn;
        zFrozen = z0[t][b].clone();
        for (int j = 0; j < n; j++) {
          count[j] += z[j];
        }
        for (int o = 0; o < nOut; o++) {
          double s = kappa * y[o] + w(theta, Block.B_OUT, o, 0);
          for (int j = 0; j < n; j++) {
            s += w(theta, Block.W_OUT, o, j) * z[j];
          }
          y[o] = s;
        }
        double m = batch.lossMask()[t];
        if (m != 0) {
          data += m / maskSum / bs * stepLoss(y, t, b);
        }
      }
      for (int j = 0; j < n; j++) {
        double d = count[j] / steps - c.targetRate();
        rate += d * d;
      }
    }
    double l2 = 0;
    for (Block blk : Block.values()) {
      if (blk.penalised()) {
        BlockView v = layout.view(blk);
        for (int i = v.offset(); i < v.end(); i++) {
          l2 += theta[i] * theta[i];
        }
      }
    }
    return data + 0.5 * c.rateCost() * rate / bs + 0.5 * c.base().l2() * l2;
  }

  private double stepLoss(double[] y, int t, int b) {
    int nOut = y.length;
    if (c.base().loss() == LossKind.CROSS_ENTROPY) {
      double max = Double.NEGATIVE_INFINITY;
      for (double v : y) {
        max = Math.max(max, v);
      }
      double sum = 0;
      for (double v : y) {
        sum += Math.exp(v - max);
      }
      return Math.log(sum) + max - y[batch.label(t, b)];
    }
    double l = 0;
    for (int o = 0; o < nOut; o++) {
      double d = y[o] - batch.targets()[batch.targetOffset(t, b) + o];
      l += d * d;
    }
    return l / nOut;
  }
}
