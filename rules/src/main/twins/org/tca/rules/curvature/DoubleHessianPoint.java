package org.tca.rules.curvature;

import java.util.Arrays;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.rules.learning.DoubleGradientAssembly;
import org.tca.rules.model.Block;
import org.tca.rules.model.Cell;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleNetwork;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.DoubleTrajectory;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;

/**
 * The point (theta, batch) a Hessian is taken at: everything of the forward and backward pass of
 * the TRUE loss J that does not depend on the direction v, computed once by {@link #prepare} and
 * reused by every product of {@link DoubleHessianVectorProduct}. With pre_t = v_t (voltage-leak) or
 * u_t (rate-leak), rows = samples, time-major, it stores
 *
 * <pre>
 *   the forward trajectory (pre_t, z_t, y_t), W_rec' (transposed copy)
 *   DY_t = w_t dl/dy_t,  w_t = m_t / (B sum_s m_s);  P_t = softmax(y_t) (cross-entropy)
 *   DU_t = dJ/du_t (the BPTT recursion, see {@link Cell})
 *   FP_t = f'(pre_t)
 *   S_t  = f''(pre_t) . GZ_t        (voltage-leak; GZ_t = dJ/dz_t)
 *   S_t  = a f''(pre_t) . G_t       (rate-leak; G_t = dJ/dh_t)
 * </pre>
 *
 * for t = 0 .. t_last (the last loss step; later steps do not affect J). S is kept only when f''
 * is not identically 0 (tanh, softplus, sigmoid; ReLU and identity have f'' = 0 almost
 * everywhere). f'' is formed from f and f': tanh f'' = -2 f f', softplus f'' = f'(1 - f'),
 * sigmoid f'' = f'(1 - 2 f). The parameters and the batch are referenced, not copied: they must
 * not change until the next {@link #prepare}. Sized once; not thread-safe.
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
public final class DoubleHessianPoint {

  private final ModelConfig config;
  private final DoubleKernels k;
  private final DoubleNetwork network;
  private final DoubleTrajectory trajectory;
  private final double[] dy;
  private final double[] prob;
  private final double[] du;
  private final double[] fp;
  private final double[] s;
  private final double[] stepWeight;
  private final double[] recurrentTransposed;
  private final double[] ones;
  private final boolean curved;
  private final double[] gz;
  private final double[] g;
  private final double decay;
  private final double gain;
  private final double[] scratch;
  private DoubleParameters params;
  private DoubleBatch batch;
  private int last = -1;
  private double objective = Double.NaN;

  /** Storage for batches of at most {@code batchCapacity} samples of {@code stepCapacity} steps. */
  public DoubleHessianPoint(ModelConfig config, int batchCapacity, int stepCapacity,
      DoubleKernels kernels) {
    this.config = config;
    this.k = kernels;
    this.network = new DoubleNetwork(config, kernels);
    this.trajectory = new DoubleTrajectory(config, batchCapacity, stepCapacity);
    int n = config.hidden();
    int states = stepCapacity * batchCapacity * n;
    this.dy = new double[stepCapacity * batchCapacity * config.outputs()];
    this.prob = config.loss() == LossKind.CROSS_ENTROPY ? new double[dy.length] : new double[0];
    this.du = new double[states];
    this.fp = new double[states];
    Activation f = config.activation();
    this.curved = f != Activation.RELU && f != Activation.IDENTITY;
    this.s = new double[curved ? states : 0];
    this.stepWeight = new double[stepCapacity];
    this.recurrentTransposed = new double[n * n];
    this.ones = new double[stepCapacity * batchCapacity];
    Arrays.fill(ones, 1d);
    this.gz = new double[batchCapacity * n];
    this.g = new double[batchCapacity * n];
    this.scratch = new double[config.inputs() * n];
    this.decay = (double) config.cell().stateDecay(config.leak());
    this.gain = (double) config.cell().inputGain(config.leak());
  }

  /**
   * Runs the forward and backward pass of J at (p, batch) and keeps what the products need.
   * Returns J(p) on the batch (data loss plus L2 penalty).
   */
  public double prepare(DoubleParameters p, DoubleBatch data) {
    if (!p.config().equals(config)) {
      throw new IllegalArgumentException("parameters were made for another config");
    }
    DoubleTrajectory tr = trajectory;
    network.forward(p, data, tr);
    objective = network.loss(data, tr, dy) + network.l2Penalty(p);
    this.params = p;
    this.batch = data;
    this.last = data.lastLossStep();
    int n = config.hidden();
    int nOut = config.outputs();
    int bs = data.size();
    int nb = bs * n;
    double maskSum = data.lossMaskSum();
    for (int t = 0; t < data.steps(); t++) {
      stepWeight[t] = (double) (data.lossMask()[t] / maskSum / bs);
      if (prob.length > 0 && data.lossMask()[t] != 0d) {
        k.softmaxRows(bs, nOut, tr.y(), tr.yOffset(t), nOut, prob, tr.yOffset(t), nOut);
      }
    }
    double[] w = p.data();
    int wRec = p.view(Block.W_REC).offset();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        recurrentTransposed[j * n + i] = w[wRec + i * n + j];
      }
    }
    int count = (last + 1) * nb;
    k.activationDerivative(config.activation(), count, tr.pre(), tr.slot(1), fp, 0);
    if (curved) {
      secondDerivative(count, tr.pre(), tr.slot(1));
    }
    backward(p, data);
    return objective;
  }

  /** s[i] = f''(pre[i]) for the first count entries, from f (into s) and f' (in fp). */
  private void secondDerivative(int count, double[] pre, int preOff) {
    Activation f = config.activation();
    switch (f) {
      case TANH -> {
        k.activation(f, count, pre, preOff, s, 0);
        for (int i = 0; i < count; i++) {
          s[i] = -2d * s[i] * fp[i];
        }
      }
      case SIGMOID -> {
        k.activation(f, count, pre, preOff, s, 0);
        for (int i = 0; i < count; i++) {
          s[i] = fp[i] * (1d - 2d * s[i]);
        }
      }
      case SOFTPLUS -> {
        for (int i = 0; i < count; i++) {
          s[i] = fp[i] * (1d - fp[i]);
        }
      }
      default -> throw new IllegalStateException("no second derivative kept for " + f);
    }
  }

  /** BPTT backward, storing DU_t and turning s_t = f''_t into S_t. */
  private void backward(DoubleParameters p, DoubleBatch data) {
    DoubleTrajectory tr = trajectory;
    int n = config.hidden();
    int nOut = config.outputs();
    int bs = data.size();
    int nb = bs * n;
    double[] w = p.data();
    int wOut = p.view(Block.W_OUT).offset();
    int wRec = p.view(Block.W_REC).offset();
    boolean voltage = config.cell() == Cell.VOLTAGE_LEAK;
    for (int t = last; t >= 0; t--) {
      int off = t * nb;
      Arrays.fill(gz, 0, nb, 0d);
      if (data.lossMask()[t] != 0d) {
        k.gemm(false, false, bs, n, nOut, 1d, dy, tr.yOffset(t), nOut, w, wOut, n, gz, 0, n);
      }
      if (t < last) {
        k.gemm(false, false, bs, n, n, 1d, du, off + nb, n, w, wRec, n, gz, 0, n);
      }
      boolean first = t == last;
      if (voltage) {
        if (curved) {
          k.mul(nb, s, off, gz, 0, s, off);
        }
        if (decay == 0d) {
          k.mul(nb, fp, off, gz, 0, du, off);
        } else {
          k.mul(nb, fp, off, gz, 0, gz, 0);
          carry(nb, first);
          System.arraycopy(g, 0, du, off, nb);
          k.scale(nb, gain, du, off);
        }
      } else {
        double[] gt = gz;
        if (decay != 0d) {
          carry(nb, first);
          gt = g;
        }
        k.mul(nb, fp, off, gt, 0, du, off);
        if (gain != 1d) {
          k.scale(nb, gain, du, off);
        }
        if (curved) {
          k.mul(nb, s, off, gt, 0, s, off);
          k.scale(nb, gain, s, off);
        }
      }
    }
  }

  /** g = gz + decay g (g = gz at the start of the recursion). */
  private void carry(int nb, boolean first) {
    if (first) {
      System.arraycopy(gz, 0, g, 0, nb);
    } else {
      k.axpby(nb, 1d, gz, 0, decay, g, 0);
    }
  }

  /**
   * The gradient of J at the prepared point in the flat layout, dJ/dtheta, from the stored
   * backward pass ({@link DoubleGradientAssembly}: one GEMM per weight block; frozen blocks give 0).
   */
  void gradient(double[] out) {
    DoubleGradientAssembly.assemble(k, params, batch, trajectory, du, last + 1, dy, out, scratch);
  }

  /** The forward trajectory (pre_t, z_t, y_t). */
  DoubleTrajectory trajectory() {
    return trajectory;
  }

  /** DY_t = w_t dl/dy_t at the loss steps. */
  double[] dy() {
    return dy;
  }

  /** P_t = softmax(y_t) (cross-entropy; empty for MSE). */
  double[] prob() {
    return prob;
  }

  /** DU_t = dJ/du_t, t = 0 .. t_last. */
  double[] du() {
    return du;
  }

  /** FP_t = f'(pre_t). */
  double[] fp() {
    return fp;
  }

  /** S_t, the f'' term (empty unless {@link #curved()}). */
  double[] s() {
    return s;
  }

  /** Whether f'' is kept (S_t), i.e. f is not ReLU or identity. */
  boolean curved() {
    return curved;
  }

  /** w_t = m_t / (B sum_s m_s). */
  double[] stepWeight() {
    return stepWeight;
  }

  /** W_rec' (a transposed copy). */
  double[] recurrentTransposed() {
    return recurrentTransposed;
  }

  /** T * B ones (for bias sums as GEMVs). */
  double[] ones() {
    return ones;
  }

  /** t_last, the last loss step of the prepared batch (-1 before {@link #prepare}). */
  int lastLossStep() {
    return last;
  }

  /** The config. */
  public ModelConfig config() {
    return config;
  }

  /** True once {@link #prepare} has run. */
  public boolean prepared() {
    return params != null;
  }

  /** J at the prepared point (data loss plus L2), NaN before {@link #prepare}. */
  public double objective() {
    return objective;
  }

  /** The prepared parameters (null before {@link #prepare}). */
  public DoubleParameters parameters() {
    return params;
  }

  /** The prepared batch (null before {@link #prepare}). */
  public DoubleBatch batch() {
    return batch;
  }

  /** Maximum batch size. */
  public int batchCapacity() {
    return trajectory.batchCapacity();
  }

  /** Maximum number of steps. */
  public int stepCapacity() {
    return trajectory.stepCapacity();
  }

  /** Bytes of array storage held. */
  public long sizeInBytes() {
    return trajectory.sizeInBytes() + (long) Double.BYTES * (dy.length + prob.length + du.length
        + fp.length + s.length + stepWeight.length + recurrentTransposed.length + ones.length
        + gz.length + g.length + scratch.length);
  }
}
