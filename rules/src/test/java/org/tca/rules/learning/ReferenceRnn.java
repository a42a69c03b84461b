package org.tca.rules.learning;

import org.tca.numerics.kernels.Activation;
import org.tca.rules.model.Cell;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;

/**
 * Test oracle: the objective J(theta) of the leaky rate RNN written as plainly as possible (one
 * sample, one neuron, one step at a time, in double, with its own parameter offsets), independent
 * of the kernels and of the production forward pass. Also the truncated objective whose gradient
 * tBPTT(k) is: sum_s w_s l_s(theta) with the state entering step max(0, s-k+1) computed at the
 * fixed theta0 (treated as a constant), plus the L2 term at theta.
 */
final class ReferenceRnn {

  private final ModelConfig c;
  private final DoubleBatch batch;
  private final int n;
  private final int nIn;
  private final int nOut;
  private final int offRec;
  private final int offBias;
  private final int offOut;
  private final int offOutBias;

  ReferenceRnn(ModelConfig c, DoubleBatch batch) {
    this.c = c;
    this.batch = batch;
    this.n = c.hidden();
    this.nIn = c.inputs();
    this.nOut = c.outputs();
    this.offRec = n * nIn;
    this.offBias = offRec + n * n;
    this.offOut = offBias + (c.recurrentBias() ? n : 0);
    this.offOutBias = offOut + nOut * n;
  }

  /** J(theta): data loss plus L2 penalty. */
  double objective(double[] theta) {
    return truncatedObjective(theta, theta, batch.steps());
  }

  /** sum_s w_s l_s with the first max(0, s-k+1) steps run at theta0, plus L2 at theta. */
  double truncatedObjective(double[] theta, double[] theta0, int k) {
    double maskSum = 0;
    for (double m : batch.lossMask()) {
      maskSum += m;
    }
    double total = 0;
    for (int s = 0; s < batch.steps(); s++) {
      double m = batch.lossMask()[s];
      if (m == 0) {
        continue;
      }
      int start = Math.max(0, s - k + 1);
      for (int b = 0; b < batch.size(); b++) {
        double[] z = run(theta0, theta, start, s, b);
        total += m / maskSum / batch.size() * stepLoss(theta, z, s, b);
      }
    }
    return total + l2(theta);
  }

  /** z after step s of sample b, using theta0 for steps before {@code start}, theta after. */
  private double[] run(double[] theta0, double[] theta, int start, int s, int b) {
    double a = c.leak();
    Activation f = c.activation();
    double[] state = new double[n];
    double[] z = new double[n];
    for (int t = 0; t <= s; t++) {
      double[] w = t < start ? theta0 : theta;
      double[] u = new double[n];
      for (int i = 0; i < n; i++) {
        double sum = c.recurrentBias() ? w[offBias + i] : 0;
        for (int j = 0; j < nIn; j++) {
          sum += w[i * nIn + j] * batch.x()[batch.xOffset(t, b) + j];
        }
        for (int j = 0; j < n; j++) {
          sum += w[offRec + i * n + j] * z[j];
        }
        u[i] = sum;
      }
      for (int i = 0; i < n; i++) {
        if (c.cell() == Cell.VOLTAGE_LEAK) {
          state[i] = a * state[i] + (1 - a) * u[i];
          z[i] = f.apply(state[i]);
        } else {
          state[i] = (1 - a) * state[i] + a * f.apply(u[i]);
          z[i] = state[i];
        }
      }
    }
    return z;
  }

  private double stepLoss(double[] w, double[] z, int s, int b) {
    double[] y = new double[nOut];
    for (int o = 0; o < nOut; o++) {
      double sum = w[offOutBias + o];
      for (int i = 0; i < n; i++) {
        sum += w[offOut + o * n + i] * z[i];
      }
      y[o] = sum;
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
      return max + Math.log(se) - y[batch.label(s, b)];
    }
    double l = 0;
    for (int o = 0; o < nOut; o++) {
      double d = y[o] - batch.targets()[batch.targetOffset(s, b) + o];
      l += d * d;
    }
    return l / nOut;
  }

  private double l2(double[] w) {
    double s = 0;
    for (int i = 0; i < offBias; i++) {
      s += w[i] * w[i];
    }
    for (int i = offOut; i < offOutBias; i++) {
      s += w[i] * w[i];
    }
    return 0.5 * c.l2() * s;
  }
}
