package org.tca.rules.learning;

import org.tca.rules.model.FloatTrajectory;
import org.tca.rules.model.ModelConfig;

/**
 * Scratch of the eligibility-trace rules ({@link FloatLocalRule}: e-prop, RFLO, MDGL, ModProp);
 * any of them made for the same config may use it (one thread at a time). Each mode allocates
 * its buffers on its first use, once:
 *
 * <ul>
 *   <li>offline: the stored forward pass, dJ/dy at the loss steps [T][B][N_out], the learning
 *       signal [T][B][N] (overwritten in place by du_t, the drive gradient the weight GEMMs take),
 *       the carried state gradient [B][N], and rule extras (MDGL's credit rows [T][B][N],
 *       ModProp's type sums 3 x [types][B]);</li>
 *   <li>online (B = 1): two state slots, f', the direct and non-local signals, and the trace:
 *       factored (W = N_in + N + 1 filtered presynaptic values) or full (the N x W matrix P laid
 *       out like the W_in | W_rec | b_rec prefix of the parameters), plus ModProp's per-type
 *       traces. Its size depends on N, N_in, N_out and the number of cell types, never on T.</li>
 * </ul>
 */
public final class FloatLocalWorkspace implements FloatWorkspace {

  private final ModelConfig config;
  private final int batchCapacity;
  private final int stepCapacity;

  // offline
  FloatTrajectory trajectory;
  float[] dy;
  float[] signal;
  float[] g;
  float[] scratch;
  float[] ones;
  boolean[] active;
  float[] credit;   // MDGL: credit rows g f'(pre) D [T][B][N]
  float[] sums;     // ModProp: sigma, S(D_t), non-local values, each [types][B]

  // online
  float[] pre;
  float[] z;
  float[] u;
  float[] psi;
  float[] psiPrev;
  float[] direct;
  float[] nonlocal;
  float[] tmp;
  float[] post;
  float[] y;
  float[] dyStep;
  float[] pbar;     // factored trace [x-bar | z-bar | b-bar], length W
  float[] trace;    // full trace P, recurrent-prefix layout
  float[] rows;     // a chunk of W_in | W_rec rows of the update (FloatOnlineRows)
  float[] typeTrace;     // ModProp online: types x prefix (receiver), types^2 x W (sender)
  float[] typeTraceNext;
  float[] typeMeans;     // cell-type block means M [types][types]
  float[] typeScratch;   // sums, signals, sigma, A
  float[] typeRows;      // per-type row sums of W_rec, then N ones
  int[] masked;          // flat indices of the disallowed W_rec entries of maskedFor
  Object maskedFor;
  int parity;
  int nextStep = -1;
  /** The step predictOnline advanced the state to, awaiting its stepOnline (-1: none). */
  int advanced = -1;
  double maskSum;
  float beta = 1f;
  /** True while the W_in | W_rec | b_rec blocks of this step's update are not yet written. */
  boolean basePending;
  /** What those blocks start from: the parameters (scaled by beta, the L2 term) or null (0). */
  float[] base;
  /** True when the last online step applied the update to W_in | W_rec itself (fused). */
  boolean fused;

  FloatLocalWorkspace(ModelConfig config, int batchSize, int steps) {
    if (batchSize < 1 || steps < 1) {
      throw new IllegalArgumentException("capacities must be >= 1, got B=" + batchSize
          + " T=" + steps);
    }
    this.config = config;
    this.batchCapacity = batchSize;
    this.stepCapacity = steps;
  }

  void ensureOffline(int batch, int steps, boolean needCredit, int sumsPerSample) {
    if (batch > batchCapacity || steps > stepCapacity) {
      throw new IllegalArgumentException("batch " + batch + " x " + steps
          + " steps exceeds the workspace capacity " + batchCapacity + " x " + stepCapacity);
    }
    int n = config.hidden();
    int rows = stepCapacity * batchCapacity;
    if (trajectory == null) {
      trajectory = new FloatTrajectory(config, batchCapacity, stepCapacity);
      dy = new float[rows * config.outputs()];
      signal = new float[rows * n];
      g = new float[batchCapacity * n];
      scratch = new float[config.inputs() * n];
      ones = new float[Math.max(rows, n)];
      java.util.Arrays.fill(ones, 1f);
      active = new boolean[stepCapacity];
    }
    if (needCredit && credit == null) {
      credit = new float[rows * n];
    }
    if (sumsPerSample > 0 && (sums == null || sums.length < 3 * batchCapacity * sumsPerSample)) {
      sums = new float[3 * batchCapacity * sumsPerSample];
    }
  }

  void ensureOnline(boolean fullTrace, int typeTraceLength) {
    int n = config.hidden();
    int width = config.inputs() + n + 1;
    int prefix = n * config.inputs() + n * n + (config.recurrentBias() ? n : 0);
    if (pre == null) {
      pre = new float[2 * n];
      z = new float[2 * n];
      u = new float[n];
      psi = new float[n];
      psiPrev = new float[n];
      direct = new float[n];
      nonlocal = new float[n];
      tmp = new float[n];
      post = new float[n];
      y = new float[config.outputs()];
      dyStep = new float[config.outputs()];
      rows = new float[FloatOnlineRows.bufferLength(config.inputs(), n)];
      if (fullTrace) {
        trace = new float[prefix];
      } else {
        pbar = new float[width];
      }
    }
    if (typeTraceLength > 0 && (typeTrace == null || typeTrace.length < typeTraceLength)) {
      typeTrace = new float[typeTraceLength];
      typeTraceNext = new float[typeTraceLength];
    }
  }

  void ensureTypes(int typeCount) {
    if (typeCount > 0 && typeMeans == null) {
      typeMeans = new float[typeCount * typeCount];
      typeScratch = new float[4 * typeCount + typeCount * typeCount];
      typeRows = new float[(typeCount + 1) * config.hidden()];
    }
  }

  /** The forward pass of the last offline call (null before the first). */
  public FloatTrajectory trajectory() {
    return trajectory;
  }

  @Override
  public int batchCapacity() {
    return batchCapacity;
  }

  @Override
  public int stepCapacity() {
    return stepCapacity;
  }

  @Override
  public long sizeInBytes() {
    long floats = 0;
    for (float[] a : new float[][] {dy, signal, g, scratch, ones, credit, sums, pre, z, u, psi,
        psiPrev, direct, nonlocal, tmp, post, y, dyStep, pbar, trace, rows, typeTrace,
        typeTraceNext, typeMeans, typeScratch, typeRows}) {
      floats += a == null ? 0 : a.length;
    }
    long bytes = (long) Float.BYTES * floats;
    bytes += masked == null ? 0 : (long) Integer.BYTES * masked.length;
    bytes += active == null ? 0 : active.length;
    return bytes + (trajectory == null ? 0 : trajectory.sizeInBytes());
  }

  static FloatLocalWorkspace cast(FloatWorkspace ws, ModelConfig config) {
    if (ws instanceof FloatLocalWorkspace w
        && (w.config == config || w.config.equals(config))) {
      return w;
    }
    throw new IllegalArgumentException("expected a workspace made by an eligibility-trace rule "
        + "for this config, got " + (ws == null ? "null" : ws.getClass().getSimpleName()));
  }
}
