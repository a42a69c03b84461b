package org.tca.rules.learning;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.model.Block;
import org.tca.rules.model.Cell;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatNetwork;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;

/**
 * What UORO and KF-RTRL share: a random, unbiased, low-rank estimate of RTRL's influence matrix
 * M_t = d s_t / d theta (s the cell state, theta = W_in | W_rec | b_rec, P columns), carried
 * forward in time through the recursion of {@link FloatRtrl}
 *
 * <pre>
 *   M_t = J_t M_{t-1} + diag(d_t) I_t,     I_t row i: q_t = [x_t | z_{t-1} | 1] in theta's row-i entries
 *   voltage-leak: J_t = a I + (1-a) W_rec diag(f'(v_{t-1})),   d_t = (1-a) 1
 *   rate-leak:    J_t = (1-a) I + a diag(f'(u_t)) W_rec,        d_t = a f'(u_t)
 *   dJ/dtheta ~ sum_t c_t' M~_t,   c_t = f'(v_t) . W_out' dy_t (voltage), W_out' dy_t (rate)
 * </pre>
 *
 * where M~_t is the rule's estimate (E[M~_t] = M_t over the random signs). The readout blocks get
 * the exact gradient (dW_out = sum_t dy_t z_t', db_out = sum_t dy_t) and the L2 term is exact.
 *
 * <p>Random signs: each sequence draws its signs from its own stream, the child of the rule's
 * seed keyed by a hash of the parameters and of the sequence's inputs, so the estimate is a
 * function of (seed, parameters, sample) only: the same bits on any thread count, shard layout or
 * resume, and fresh signs after every update of the parameters. Online (B = 1) the stream is
 * keyed at t = 0 by the parameters of that moment.
 *
 * <p>Offline (minibatch): each sample runs the online recursion over its sequence and its
 * per-step estimates are summed; the batch estimate is their mean (so, with the weights held
 * fixed, the sum of the online steps equals the offline estimate of a B = 1 batch).
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
abstract class FloatStochasticRtrl implements FloatLearningRule {

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  final ModelConfig config;
  final FloatKernels k;
  final FloatNetwork network;
  final FloatSampleStep sample;
  final Activation f;
  final float decay;
  final float gain;
  final boolean voltage;
  final int n;
  final int nIn;
  final int recOff;
  /** Offset of b_rec in theta, or -1 without it. */
  final int biasOff;
  /** P = |W_in| + |W_rec| + |b_rec|. */
  final int width;
  final long seed;
  /** Test hook: the right factor gets signs of its own, independent of the left's (biased). */
  final boolean decorrelated;
  private final RandomStream root;

  FloatStochasticRtrl(ModelConfig config, long seed, boolean decorrelated, FloatKernels kernels) {
    this.config = config;
    this.k = kernels;
    this.network = new FloatNetwork(config, kernels);
    this.sample = new FloatSampleStep(config, kernels);
    this.f = config.activation();
    this.decay = (float) config.cell().stateDecay(config.leak());
    this.gain = (float) config.cell().inputGain(config.leak());
    this.voltage = config.cell() == Cell.VOLTAGE_LEAK;
    this.n = config.hidden();
    this.nIn = config.inputs();
    this.recOff = n * nIn;
    this.biasOff = config.recurrentBias() ? recOff + n * n : -1;
    this.width = recOff + n * n + (biasOff >= 0 ? n : 0);
    this.seed = seed;
    this.decorrelated = decorrelated;
    this.root = new RandomStream(seed);
  }

  /** Entries of the left factor of the estimate. */
  abstract int leftSize();

  /** Entries of the right factor of the estimate. */
  abstract int rightSize();

  /**
   * Moves the factors from M~_{t-1} to M~_t ({@code ws.psi}, {@code ws.psiPrev} and the state
   * are those of step t; x_t at {@code xOff}, z_{t-1} at {@code prev} of ws.z).
   */
  abstract void advance(FloatParameters p, float[] x, int xOff, int prev,
      FloatStochasticRtrlWorkspace ws);

  /** grad[0, P) += c_t' M~_t, with c_t in ws.c. */
  abstract void emit(FloatStochasticRtrlWorkspace ws, float[] grad);

  /** What the rule adds to {@link #settings()}. */
  abstract void addSettings(Map<String, Object> s);

  @Override
  public final ModelConfig config() {
    return config;
  }

  @Override
  public final long stateBytesPerSample(int steps) {
    return (long) Float.BYTES * ((long) leftSize() + rightSize());
  }

  /** The seed of the random signs. */
  public final long seed() {
    return seed;
  }

  @Override
  public final FloatStochasticRtrlWorkspace newWorkspace(int batchSize, int steps) {
    return new FloatStochasticRtrlWorkspace(config, batchSize, steps, leftSize(), rightSize());
  }

  @Override
  public final Map<String, Object> settings() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("rule", id());
    s.put("cell", config.cell().id());
    s.put("sign_seed", seed);
    s.put("sign_stream", "RandomStream(seed).child(hash(parameters, sample inputs))");
    addSettings(s);
    return java.util.Collections.unmodifiableMap(s);
  }

  @Override
  public final double gradient(FloatParameters p, FloatBatch batch, FloatWorkspace workspace,
      float[] grad) {
    FloatStochasticRtrlWorkspace ws = FloatStochasticRtrlWorkspace.cast(workspace);
    Arrays.fill(grad, 0f);
    double maskSum = batch.lossMaskSum();
    int last = batch.lastLossStep();
    long key = parameterKey(p);
    double loss = 0;
    for (int b = 0; b < batch.size(); b++) {
      ws.reset();
      ws.signs.setToChild(root, sampleKey(key, batch, b));
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
  public final boolean supportsOnline() {
    return true;
  }

  @Override
  public final void beginOnline(FloatParameters p, FloatWorkspace ws) {
    FloatStochasticRtrlWorkspace.cast(ws).reset();
  }

  @Override
  public final double stepOnline(FloatParameters p, FloatBatch batch, int t,
      FloatWorkspace workspace, float[] grad) {
    FloatStochasticRtrlWorkspace ws = FloatStochasticRtrlWorkspace.cast(workspace);
    if (batch.size() != 1) {
      throw new IllegalArgumentException("online mode needs B = 1, got B = " + batch.size());
    }
    if (t != ws.nextStep || t >= batch.steps()) {
      throw new IllegalStateException("online steps must come in order: expected t = "
          + ws.nextStep + ", got " + t + " (call beginOnline for a new sequence)");
    }
    if (t == 0) {
      ws.signs.setToChild(root, sampleKey(parameterKey(p), batch, 0));
    }
    Arrays.fill(grad, 0f);
    double w = batch.lossMask()[t] / batch.lossMaskSum();
    double l = step(p, batch, 0, t, (float) w, ws, grad);
    FloatGradientAssembly.addL2(k, p, (float) w, grad);
    p.maskGradient(grad);
    return w * l;
  }

  /** Advances sample b by step t and adds its estimate; returns l_t (0 if w = 0). */
  private double step(FloatParameters p, FloatBatch batch, int b, int t, float w,
      FloatStochasticRtrlWorkspace ws, float[] grad) {
    int prev = ws.parity * n;
    int cur = n - prev;
    float[] x = batch.x();
    int xOff = batch.xOffset(t, b);
    if (voltage) {
      k.activationDerivative(f, n, ws.pre, prev, ws.psiPrev, 0);  // f'(v_{t-1})
    }
    sample.forward(p, x, xOff, ws.pre, ws.z, prev, cur, ws.u);
    k.activationDerivative(f, n, voltage ? ws.pre : ws.u, voltage ? cur : 0, ws.psi, 0);
    advance(p, x, xOff, prev, ws);
    double l = 0;
    if (w != 0f) {
      l = sample.readout(p, batch, t, b, w, ws.z, cur, ws.y, ws.dy, grad);
      Arrays.fill(ws.c, 0f);
      k.gemvT(config.outputs(), n, 1f, p.data(), p.view(Block.W_OUT).offset(), n, ws.dy, 0,
          ws.c, 0);
      if (voltage) {
        k.mul(n, ws.psi, 0, ws.c, 0, ws.c, 0);
      }
      emit(ws, grad);
    }
    ws.parity ^= 1;
    ws.nextStep = t + 1;
    return l;
  }

  /**
   * dst = J_t src for an N x cols src (row-major): voltage a src + (1-a) W_rec (f'(v_{t-1}) . src),
   * rate (1-a) src + a f'(u_t) . (W_rec src), the products by rows; uses ws.scratch.
   */
  final void applyJacobian(FloatParameters p, FloatStochasticRtrlWorkspace ws, float[] src,
      float[] dst, int cols) {
    float[] w = p.data();
    int wRec = p.view(Block.W_REC).offset();
    float[] tmp = ws.scratch;
    Arrays.fill(dst, 0, n * cols, 0f);
    if (voltage) {
      scaleRows(ws.psiPrev, src, tmp, cols);
      product(w, wRec, tmp, dst, cols);
    } else {
      Arrays.fill(tmp, 0, n * cols, 0f);
      product(w, wRec, src, tmp, cols);
      scaleRows(ws.psi, tmp, dst, cols);
    }
    k.axpby(n * cols, decay, src, 0, gain, dst, 0);
  }

  /** dst += W_rec src (src N x cols). */
  private void product(float[] w, int wRec, float[] src, float[] dst, int cols) {
    if (cols == 1) {
      k.gemv(n, n, 1f, w, wRec, n, src, 0, dst, 0);
    } else {
      k.gemm(false, false, n, cols, n, 1f, w, wRec, n, src, 0, cols, dst, 0, cols);
    }
  }

  /** dst = diag(s) src (src N x cols); dst may alias src. */
  private void scaleRows(float[] s, float[] src, float[] dst, int cols) {
    if (cols == 1) {
      k.mul(n, s, 0, src, 0, dst, 0);
      return;
    }
    for (int i = 0; i < n; i++) {
      k.axpby(cols, s[i], src, i * cols, 0f, dst, i * cols);
    }
  }

  /** ||q_t||^2 = ||x_t||^2 + ||z_{t-1}||^2 (+ 1 with b_rec), in double. */
  final double inputNormSquared(float[] x, int xOff, FloatStochasticRtrlWorkspace ws, int prev) {
    return (double) k.sumSquares(nIn, x, xOff) + k.sumSquares(n, ws.z, prev)
        + (biasOff >= 0 ? 1.0 : 0.0);
  }

  /**
   * The balancing factor sqrt(a / b) of a sum term whose factors have norms a and b; 0 when either
   * is 0 (the term is then 0 and is dropped from both factors).
   */
  static double balance(double a, double b) {
    return a > 0 && b > 0 ? Math.sqrt(a / b) : 0.0;
  }

  /** 1 / r, or 0 for a dropped term (r = 0). */
  static double inverse(double r) {
    return r > 0 ? 1.0 / r : 0.0;
  }

  /** A hash of every parameter's value (as a double, so both precisions agree on equal values). */
  private static long parameterKey(FloatParameters p) {
    float[] w = p.data();
    long h = 0;
    for (int i = 0; i < w.length; i++) {
      h = (h ^ Double.doubleToLongBits(w[i])) * GOLDEN;
    }
    return h;
  }

  /** The key of sample b's sign stream: the parameter key mixed with its inputs over all steps. */
  private static long sampleKey(long key, FloatBatch batch, int b) {
    long h = key;
    float[] x = batch.x();
    for (int t = 0; t < batch.steps(); t++) {
      int off = batch.xOffset(t, b);
      for (int i = 0; i < batch.inputs(); i++) {
        h = (h ^ Double.doubleToLongBits(x[off + i])) * GOLDEN;
      }
    }
    return h;
  }
}
