package org.tca.rules.learning;

import org.tca.numerics.kernels.Activation;
import org.tca.rules.model.Block;
import org.tca.rules.model.BlockView;
import org.tca.rules.model.Cell;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;

/**
 * Test oracle for the eligibility-trace rules, written as plainly as possible (one sample, one
 * neuron pair, one step at a time, in double) and independent of the kernels, the production
 * forward pass and the rules' factorisations: explicit N x (N_in + N + 1) traces per sample,
 * run forward with their textbook recursions (voltage: e_pq = f'(v_p) eps_pq with
 * eps_pq = a eps_pq + (1-a) q_q; rate: Murray's P_pq = (1-a) P_pq + a f'(u_p) q_q), learning
 * signals from their published definitions with explicit N x N matrices (MDGL's one step, ModProp's
 * backward recursion), and the readout gradient. Also the blocked objective whose gradient e-prop
 * symmetric is.
 */
final class LocalReference {

  /**
   * Which learning signal; MODPROP_SENDER is not a signal times a trace but the authors'
   * backward recursion, G_t = f'(v_t) D_t + mu (1-a) Wt' G_{t+1} + a G_{t+1}, dW = sum_t (1-a)
   * G_t q_t' (voltage-leak). SNAP1 is e-prop's signal with SnAp-1's trace, whose decay is the
   * exact diagonal of the step Jacobian (the autapse term W_pp included): voltage
   * eps_pq = (a + (1-a) W_pp f'(v_{p,t-1})) eps_pq + (1-a) q_q; rate
   * P_pq = ((1-a) + a f'(u_p) W_pp) P_pq + a f'(u_p) q_q.
   */
  enum Kind { EPROP, MDGL, MODPROP, MODPROP_SENDER, SNAP1 }

  private final ModelConfig c;
  private final DoubleBatch batch;
  private final int n;
  private final int nIn;
  private final int nOut;
  private final int width;

  LocalReference(ModelConfig c, DoubleBatch batch) {
    this.c = c;
    this.batch = batch;
    this.n = c.hidden();
    this.nIn = c.inputs();
    this.nOut = c.outputs();
    this.width = nIn + n + 1;
  }

  /**
   * The rule's update: {@code fb} the feedback B [N][N_out] (null: W_out'), {@code wt} the
   * modulatory matrix Wt[j][p] (MDGL, ModProp), {@code mu} ModProp's constant.
   */
  double[] gradient(DoubleParameters p, Kind kind, double[][] fb, double[][] wt, double mu) {
    double a = c.leak();
    boolean voltage = c.cell() == Cell.VOLTAGE_LEAK;
    double gain = voltage ? 1 - a : a;
    Activation f = c.activation();
    int steps = batch.steps();
    double maskSum = 0;
    for (double m : batch.lossMask()) {
      maskSum += m;
    }
    BlockView win = p.view(Block.W_IN);
    BlockView wrec = p.view(Block.W_REC);
    BlockView brec = p.view(Block.B_REC);
    BlockView wout = p.view(Block.W_OUT);
    BlockView bout = p.view(Block.B_OUT);
    double[] th = p.data();
    double[] grad = new double[th.length];
    for (int b = 0; b < batch.size(); b++) {
      double[][] q = new double[steps][width];
      double[][] pre = new double[steps][n];
      double[][] z = new double[steps][n];
      double[] state = new double[n];
      double[] zPrev = new double[n];
      for (int t = 0; t < steps; t++) {
        for (int i = 0; i < nIn; i++) {
          q[t][i] = batch.x()[batch.xOffset(t, b) + i];
        }
        for (int j = 0; j < n; j++) {
          q[t][nIn + j] = zPrev[j];
        }
        q[t][nIn + n] = 1;
        for (int i = 0; i < n; i++) {
          double u = brec.size() > 0 ? th[brec.index(i, 0)] : 0;
          for (int j = 0; j < nIn; j++) {
            u += th[win.index(i, j)] * q[t][j];
          }
          for (int j = 0; j < n; j++) {
            u += th[wrec.index(i, j)] * zPrev[j];
          }
          if (voltage) {
            state[i] = a * state[i] + (1 - a) * u;
            pre[t][i] = state[i];
            z[t][i] = f.apply(state[i]);
          } else {
            state[i] = (1 - a) * state[i] + a * f.apply(u);
            pre[t][i] = u;
            z[t][i] = state[i];
          }
        }
        zPrev = z[t].clone();
      }
      double[][] delta = new double[steps][nOut];
      double[][] direct = new double[steps][n];
      for (int t = 0; t < steps; t++) {
        double w = batch.lossMask()[t] / maskSum / batch.size();
        if (w == 0) {
          continue;
        }
        double[] y = new double[nOut];
        for (int o = 0; o < nOut; o++) {
          y[o] = th[bout.index(o, 0)];
          for (int i = 0; i < n; i++) {
            y[o] += th[wout.index(o, i)] * z[t][i];
          }
        }
        if (c.loss() == LossKind.CROSS_ENTROPY) {
          double max = Double.NEGATIVE_INFINITY;
          for (double v : y) {
            max = Math.max(max, v);
          }
          double se = 0;
          for (double v : y) {
            se += Math.exp(v - max);
          }
          for (int o = 0; o < nOut; o++) {
            delta[t][o] = w * (Math.exp(y[o] - max) / se - (o == batch.label(t, b) ? 1 : 0));
          }
        } else {
          for (int o = 0; o < nOut; o++) {
            delta[t][o] = w * 2.0 / nOut * (y[o] - batch.targets()[batch.targetOffset(t, b) + o]);
          }
        }
        for (int i = 0; i < n; i++) {
          for (int o = 0; o < nOut; o++) {
            direct[t][i] += (fb == null ? th[wout.index(o, i)] : fb[i][o]) * delta[t][o];
            grad[wout.index(o, i)] += delta[t][o] * z[t][i];
          }
        }
        for (int o = 0; o < nOut; o++) {
          grad[bout.index(o, 0)] += delta[t][o];
        }
      }
      if (kind == Kind.MODPROP_SENDER) {
        double[] next = new double[n]; // G_{t+1}
        for (int t = steps - 1; t >= 0; t--) {
          double[] g = new double[n];
          for (int p2 = 0; p2 < n; p2++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
              s += wt[j][p2] * next[j];
            }
            g[p2] = f.derivative(pre[t][p2]) * direct[t][p2] + mu * (1 - a) * s + a * next[p2];
            for (int col = 0; col < width; col++) {
              addRecurrent(grad, p, p2, col, (1 - a) * g[p2] * q[t][col]);
            }
          }
          next = g;
        }
        continue;
      }
      double[][] signal = new double[steps][n];
      double[] m = new double[n]; // ModProp's m_{t+1}
      for (int t = steps - 1; t >= 0; t--) {
        for (int p2 = 0; p2 < n; p2++) {
          double l = direct[t][p2];
          if (kind == Kind.MDGL && t + 1 < steps) {
            for (int j = 0; j < n; j++) {
              l += wt[j][p2] * gain * f.derivative(pre[t + 1][j]) * direct[t + 1][j];
            }
          } else if (kind == Kind.MODPROP) {
            double s = 0;
            for (int j = 0; j < n; j++) {
              s += wt[j][p2] * m[j];
            }
            l += (voltage ? 1 - a : a * mu) * s;
          }
          signal[t][p2] = l;
        }
        for (int j = 0; j < n; j++) {
          m[j] = voltage ? mu * signal[t][j] + a * m[j] : signal[t][j] + (1 - a) * m[j];
        }
      }
      double[][] trace = new double[n][width];
      for (int t = 0; t < steps; t++) {
        for (int p2 = 0; p2 < n; p2++) {
          double psi = f.derivative(pre[t][p2]);
          double self = 0; // SnAp-1's autapse term of the trace decay
          if (kind == Kind.SNAP1 && t > 0) {
            double wpp = th[wrec.index(p2, p2)];
            self = voltage ? (1 - a) * wpp * f.derivative(pre[t - 1][p2]) : a * psi * wpp;
          }
          for (int col = 0; col < width; col++) {
            double e;
            if (voltage) {
              trace[p2][col] = (a + self) * trace[p2][col] + (1 - a) * q[t][col];
              e = psi * trace[p2][col];
            } else {
              trace[p2][col] = (1 - a + self) * trace[p2][col] + a * psi * q[t][col];
              e = trace[p2][col];
            }
            addRecurrent(grad, p, p2, col, signal[t][p2] * e);
          }
        }
      }
    }
    for (Block blk : Block.values()) {
      BlockView v = p.view(blk);
      for (int i = v.offset(); i < v.end(); i++) {
        if (blk.penalised()) {
          grad[i] += c.l2() * th[i];
        }
        if (p.isFrozen(blk)) {
          grad[i] = 0;
        }
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (!p.structure().allowed(i, j)) {
          grad[wrec.index(i, j)] = 0;
        }
      }
    }
    return grad;
  }

  /** grad[theta_{p2, col}] += g for the column col of q = [x | z | 1]. */
  private void addRecurrent(double[] grad, DoubleParameters p, int p2, int col, double g) {
    if (col < nIn) {
      grad[p.view(Block.W_IN).index(p2, col)] += g;
    } else if (col < nIn + n) {
      grad[p.view(Block.W_REC).index(p2, col - nIn)] += g;
    } else if (p.view(Block.B_REC).size() > 0) {
      grad[p.view(Block.B_REC).index(p2, 0)] += g;
    }
  }

  /** The e-prop update of a rule with symmetric feedback. */
  double[] eprop(DoubleParameters p) {
    return gradient(p, Kind.EPROP, null, null, 0);
  }

  /** W_rec as Wt[j][p]. */
  static double[][] recurrent(DoubleParameters p) {
    int n = p.config().hidden();
    double[][] w = new double[n][n];
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < n; i++) {
        w[j][i] = p.get(Block.W_REC, j, i);
      }
    }
    return w;
  }

  /**
   * The cell-type block means of W_rec over all pairs, Wt[j][p] = mean of the block
   * (type(j), type(p)), with type E = the first N_E neurons: N_E from Dale's law, else
   * round(0.8 N) (the config's fraction).
   */
  static double[][] cellTypeMeans(DoubleParameters p) {
    ModelConfig c = p.config();
    int n = c.hidden();
    int ne = c.dale() ? c.excitatoryCount() : (int) Math.round(c.excitatoryFraction() * n);
    int[] type = new int[n];
    for (int j = 0; j < n; j++) {
      type[j] = ne > 0 && ne < n && j >= ne ? 1 : 0;
    }
    double[][] sum = new double[2][2];
    double[][] count = new double[2][2];
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < n; i++) {
        sum[type[j]][type[i]] += p.get(Block.W_REC, j, i);
        count[type[j]][type[i]] += 1;
      }
    }
    double[][] w = new double[n][n];
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < n; i++) {
        w[j][i] = sum[type[j]][type[i]] / count[type[j]][type[i]];
      }
    }
    return w;
  }

  /**
   * The blocked objective: J(theta) with the z_{t-1} entering the recurrent input taken from a
   * run at theta0 (a constant), the leak path and the readout live; its gradient at theta0 is
   * e-prop symmetric's update.
   */
  double blockedObjective(double[] theta, double[] theta0, DoubleParameters layout) {
    double a = c.leak();
    boolean voltage = c.cell() == Cell.VOLTAGE_LEAK;
    Activation f = c.activation();
    BlockView win = layout.view(Block.W_IN);
    BlockView wrec = layout.view(Block.W_REC);
    BlockView brec = layout.view(Block.B_REC);
    int steps = batch.steps();
    double maskSum = 0;
    for (double m : batch.lossMask()) {
      maskSum += m;
    }
    double total = 0;
    for (int b = 0; b < batch.size(); b++) {
      double[][] zConst = new double[steps + 1][];
      double[][] zLive = new double[steps + 1][];
      for (int pass = 0; pass < 2; pass++) {
        double[] w = pass == 0 ? theta0 : theta;
        double[][] zs = pass == 0 ? zConst : zLive;
        double[] state = new double[n];
        zs[0] = new double[n];
        for (int t = 0; t < steps; t++) {
          double[] zIn = pass == 0 ? zs[t] : zConst[t];
          zs[t + 1] = new double[n];
          for (int i = 0; i < n; i++) {
            double u = brec.size() > 0 ? w[brec.index(i, 0)] : 0;
            for (int j = 0; j < nIn; j++) {
              u += w[win.index(i, j)] * batch.x()[batch.xOffset(t, b) + j];
            }
            for (int j = 0; j < n; j++) {
              u += w[wrec.index(i, j)] * zIn[j];
            }
            if (voltage) {
              state[i] = a * state[i] + (1 - a) * u;
              zs[t + 1][i] = f.apply(state[i]);
            } else {
              state[i] = (1 - a) * state[i] + a * f.apply(u);
              zs[t + 1][i] = state[i];
            }
          }
        }
      }
      for (int t = 0; t < steps; t++) {
        double m = batch.lossMask()[t];
        if (m != 0) {
          total += m / maskSum / batch.size() * stepLoss(theta, layout, zLive[t + 1], t, b);
        }
      }
    }
    double l2 = 0;
    for (Block blk : Block.values()) {
      BlockView v = layout.view(blk);
      for (int i = v.offset(); blk.penalised() && i < v.end(); i++) {
        l2 += theta[i] * theta[i];
      }
    }
    return total + 0.5 * c.l2() * l2;
  }

  private double stepLoss(double[] w, DoubleParameters layout, double[] z, int t, int b) {
    BlockView wout = layout.view(Block.W_OUT);
    BlockView bout = layout.view(Block.B_OUT);
    double[] y = new double[nOut];
    for (int o = 0; o < nOut; o++) {
      y[o] = w[bout.index(o, 0)];
      for (int i = 0; i < n; i++) {
        y[o] += w[wout.index(o, i)] * z[i];
      }
    }
    if (c.loss() == LossKind.CROSS_ENTROPY) {
      double max = Double.NEGATIVE_INFINITY;
      for (double v : y) {
        max = Math.max(max, v);
      }
      double se = 0;
      for (double v : y) {
        se += Math.exp(v - max);
      }
      return max + Math.log(se) - y[batch.label(t, b)];
    }
    double l = 0;
    for (int o = 0; o < nOut; o++) {
      double d = y[o] - batch.targets()[batch.targetOffset(t, b) + o];
      l += d * d;
    }
    return l / nOut;
  }
}
