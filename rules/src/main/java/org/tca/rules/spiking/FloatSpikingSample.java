package org.tca.rules.spiking;

import java.util.Arrays;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.rules.model.Block;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatNetwork;
import org.tca.rules.model.FloatParameters;

/**
 * One sample of the spiking network ({@link SpikingConfig}) stepped forward one step at a time,
 * for the forward-mode rules (online e-prop, RTRL): the network state of the current and the
 * previous step (v, a, z, psi, double-buffered, with {@link #cur()} and {@link #prev()} the
 * offsets of the two N-blocks), the refractory counters, the spike counts sum_t z_t, the
 * readout-filtered spikes zf_t = kappa zf_{t-1} + z_t and c_t = kappa c_{t-1} + 1, so that
 *
 * <pre>
 *   y_t = W_out zf_t + c_t b_out,   dy_t = w_t dl_t/dy_t,
 *   dW_out += dy_t zf_t',  db_out += c_t dy_t,   (+ w_t l2 W on W_in, W_rec, W_out)
 * </pre>
 *
 * The step itself is {@link FloatSpikingNetwork}'s (B = 1), on transposed copies of W_in and
 * W_rec refreshed by {@link #prepare} (online, the weights may change between steps).
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
final class FloatSpikingSample {

  private static final Block[] BLOCKS = Block.values();

  private final SpikingConfig config;
  private final FloatSpikingNetwork network;
  private final FloatNetwork loss;
  private final FloatKernels k;
  private final int n;
  private final int nOut;
  private final float kappa;
  final float[] inT;
  final float[] recT;
  final float[] v;
  final float[] a;
  final float[] z;
  final float[] psi;
  final int[] refractory;
  final float[] counts;
  final float[] zf;
  final float[] y;
  final float[] dy;
  private float c;
  private int cur;
  /** The step an online sequence expects next. */
  int nextStep;
  /** sum_t m_t of the batch being stepped through. */
  double maskSum;
  /** The step {@link #predict} advanced to, awaiting the rule's own step (-1: none). */
  private int predicted = -1;

  FloatSpikingSample(FloatSpikingNetwork network) {
    this.network = network;
    this.config = network.config();
    this.k = network.kernels();
    this.loss = new FloatNetwork(config.base(), k);
    FloatSpikingConstants cell = network.constants();
    this.n = cell.n;
    this.nOut = cell.nOut;
    this.kappa = cell.kappa;
    this.inT = new float[config.base().inputs() * n];
    this.recT = new float[n * n];
    this.v = new float[2 * n];
    this.a = new float[2 * n];
    this.z = new float[2 * n];
    this.psi = new float[2 * n];
    this.refractory = new int[n];
    this.counts = new float[n];
    this.zf = new float[n];
    this.y = new float[nOut];
    this.dy = new float[nOut];
  }

  /**
   * The values a sample of {@code c} holds ({@link #sizeInBytes}): W_in', W_rec', v, a, z and psi
   * for two steps, the refractory counters, the spike counts, zf, y and dy.
   */
  static long values(SpikingConfig c) {
    long n = c.hidden();
    return (c.base().inputs() + n) * n + 11 * n + 2L * c.base().outputs();
  }

  /** Zero state, before step 0. */
  void reset() {
    Arrays.fill(v, 0f);
    Arrays.fill(a, 0f);
    Arrays.fill(z, 0f);
    Arrays.fill(psi, 0f);
    Arrays.fill(refractory, 0);
    Arrays.fill(counts, 0f);
    Arrays.fill(zf, 0f);
    c = 0f;
    cur = 0;
    nextStep = 0;
    predicted = -1;
  }

  /**
   * Starts online step t: checks B = 1, the model's sizes and the order of the steps, takes
   * sum_t m_t at t = 0 and copies the current weights ({@link #prepare}).
   *
   * @throws IllegalArgumentException for a wrong batch
   * @throws IllegalStateException for a step out of order
   */
  void beginStep(FloatParameters p, FloatBatch batch, int t) {
    if (predicted >= 0) { // checked and prepared by predict; advance takes its state
      if (t != predicted) {
        throw new IllegalStateException("online step " + predicted + " was predicted and comes"
            + " next, got t = " + t + " (call beginOnline for a new sequence)");
      }
      return;
    }
    int expected = nextStep;
    if (batch.size() != 1) {
      throw new IllegalArgumentException("online mode needs B = 1, got B = " + batch.size());
    }
    checkSizes(batch);
    if (t != expected || t >= batch.steps()) {
      throw new IllegalStateException("online steps must come in order: expected t = "
          + expected + ", got " + t + " (call beginOnline for a new sequence)");
    }
    if (t == 0) {
      maskSum = batch.lossMaskSum();
    }
    nextStep = t + 1;
    prepare(p);
  }

  /** w_t = m_t / sum_s m_s. */
  float weight(FloatBatch batch, int t) {
    return (float) (batch.lossMask()[t] / maskSum);
  }

  /** Checks that the batch has the model's N_in and N_out. */
  void checkSizes(FloatBatch batch) {
    if (batch.inputs() != config.base().inputs() || batch.outputs() != nOut) {
      throw new IllegalArgumentException("batch has N_in=" + batch.inputs() + ", N_out="
          + batch.outputs() + " but the model has " + config.base().inputs() + ", " + nOut);
    }
  }

  /** Bytes of array storage held. */
  long sizeInBytes() {
    return (long) Float.BYTES * (inT.length + recT.length + v.length + a.length + z.length
        + psi.length + counts.length + zf.length + y.length + dy.length)
        + (long) Integer.BYTES * refractory.length;
  }

  /** Copies the current W_in and W_rec into the transposed buffers the step reads. */
  void prepare(FloatParameters p) {
    network.transpose(p, inT, recT);
  }

  /**
   * Advances sample {@code b} of the batch by step t (the previous state becomes prev); after
   * {@link #predict} of step t, keeps the state it advanced to.
   */
  void advance(FloatBatch batch, int t, int b) {
    if (predicted >= 0) {
      predicted = -1;
      return;
    }
    int prev = cur;
    cur = n - cur;
    network.step(inT, recT, batch.x(), batch.xOffset(t, b), 1, v, prev, v, cur, a, prev, a, cur,
        z, prev, z, cur, psi, cur, refractory);
    k.axpy(n, 1f, z, cur, counts, 0);
    k.axpby(n, 1f, z, cur, kappa, zf, 0);
    c = kappa * c + 1f;
  }

  /**
   * Online, ahead of the rule's step t (the embedding service answers y_t before it has the
   * target): begins and advances step t ({@link #beginStep}, {@link #advance}) and writes
   * y_t = W_out zf_t + c_t b_out into {@code out} (N_out); the rule's step t that follows, with
   * the parameters and x_t unchanged, takes this state instead of advancing again.
   *
   * @throws IllegalStateException for a step out of order or one predicted twice
   */
  void predict(FloatParameters p, FloatBatch batch, int t, float[] out) {
    if (predicted >= 0) {
      throw new IllegalStateException("online step " + predicted + " was predicted already;"
          + " its step comes next (call beginOnline for a new sequence)");
    }
    beginStep(p, batch, t);
    advance(batch, t, 0);
    predicted = t;
    output(p, out);
  }

  /** sum_j z_j,t: the units that spiked at the step advanced to last (0 before step 0). */
  int spikes() {
    int count = 0;
    for (int j = cur; j < cur + n; j++) {
      count += z[j] != 0f ? 1 : 0;
    }
    return count;
  }

  /** y_t = W_out zf_t + c_t b_out into {@code out[0..N_out)}. */
  private void output(FloatParameters p, float[] out) {
    float[] par = p.data();
    int bOut = p.view(Block.B_OUT).offset();
    for (int o = 0; o < nOut; o++) {
      out[o] = c * par[bOut + o];
    }
    k.gemv(nOut, n, 1f, par, p.view(Block.W_OUT).offset(), n, zf, 0, out, 0);
  }

  /** Offset of the current step's block in v, a, z and psi. */
  int cur() {
    return cur;
  }

  /** Offset of the previous step's block. */
  int prev() {
    return n - cur;
  }

  /**
   * At a loss step t with weight w: y_t, dy_t = w dl/dy (into {@link #dy}); adds scale times
   * the readout gradients dW_out, db_out to {@code grad}; returns l_t (unweighted).
   */
  double readout(FloatParameters p, FloatBatch batch, int t, int b, float w, float scale,
      float[] grad) {
    int wOut = p.view(Block.W_OUT).offset();
    int bOut = p.view(Block.B_OUT).offset();
    output(p, y);
    double l = loss.stepLoss(batch, t, b, 1, y, 0, dy, 0, w);
    k.decayedRank1(nOut, n, 1f, scale, dy, 0, zf, 0, grad, wOut, n);
    k.axpy(nOut, scale * c, dy, 0, grad, bOut);
    return l;
  }

  /**
   * The firing-rate term of this sample, (c_r/2) sum_j (r_j - r_0)^2 with r_j = counts_j / T,
   * and its per-step gradient dR/dz_t[j] = c_r (r_j - r_0) / T into {@code dz} (N values).
   */
  double rate(int steps, float[] dz) {
    double total = 0;
    for (int j = 0; j < n; j++) {
      double d = (double) counts[j] / steps - config.targetRate();
      total += d * d;
      dz[j] = (float) (config.rateCost() * d / steps);
    }
    return 0.5 * config.rateCost() * total;
  }

  /** Adds coeff l2 W to the penalised blocks (W_in, W_rec, W_out) of {@code grad}. */
  void addL2(FloatParameters p, float coeff, float[] grad) {
    float c2 = coeff * (float) config.base().l2();
    if (c2 == 0f) {
      return;
    }
    for (Block blk : BLOCKS) {
      if (blk.penalised() && p.layout().has(blk)) {
        var view = p.view(blk);
        k.axpy(view.size(), c2, p.data(), view.offset(), grad, view.offset());
      }
    }
  }
}
