package org.tca.rules.learning;

import java.util.Arrays;
import java.util.Map;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.model.Block;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;

/**
 * SnAp-n, the sparse n-step approximation of RTRL (Menick, Elsen, Evci, Osindero, Simonyan and
 * Graves, ICLR 2021): RTRL's recursion (J_t, d_t, q_t, c_t of both cells in
 * {@link FloatApproximateRtrl}) with the influence matrix held on a fixed pattern, the entries
 * that can be nonzero n steps after a parameter acts ({@link InfluencePattern}: row k of the
 * column of W_{ij} is kept iff k is in R_i, the neurons within n - 1 recurrent edges of i):
 *
 * <pre>
 *   M~_t = P_n . (J_t M~_{t-1} + diag(d_t) I_t),     P_n[k, W_{ij}] = [k in R_i]
 *   M~_t[R_i, W_{i.}] = J_t[R_i, R_i] M~_{t-1}[R_i, W_{i.}] + d_{i,t} e_i q_t'    (one block per i)
 *   g_t[W_{i.}] = c_t[R_i]' M~_t[R_i, W_{i.}]                                       (M~_{-1} = 0)
 * </pre>
 *
 * (the second line is the first written per neuron: the column of W_{ij} is supported on R_i, so
 * only J_t's rows and columns in R_i meet it). SnAp-1 keeps the diagonal, R_i = {i}:
 * M~_t[i, W_{ij}] = J_{ii,t} M~_{t-1}[i, W_{ij}] + d_{i,t} q_{j,t}, an eligibility trace with the
 * exact diagonal of the Jacobian (voltage: a + (1-a) W_ii f'(v_{i,t-1}); rate:
 * (1-a) + a f'(u_{i,t}) W_ii). SnAp-2 adds the neurons i projects to: for a dense W_rec that is
 * every neuron, and SnAp-2 is RTRL. Deterministic (no random signs); biased unless R_i holds every
 * neuron i can reach.
 *
 * <p>Cost per step sum_i |R_i|^2 m (m = N_in + N + 1), memory sum_i |R_i| m: SnAp-1 O(N m) like
 * e-prop; SnAp-n at most RTRL's O(N^2 m) and O(N m) per neuron. The pattern comes from the
 * parameters' W_rec structure at the first sequence a workspace sees (and again when the
 * structure changes).
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
public final class FloatSnap extends FloatApproximateRtrl {

  private final int order;

  /** SnAp-{@code order} with the kernels this JVM picked. */
  public FloatSnap(ModelConfig config, int order) {
    this(config, order, Kernels.f32());
  }

  /** SnAp-{@code order} (n &gt;= 1) with the given kernels. */
  public FloatSnap(ModelConfig config, int order, FloatKernels kernels) {
    super(config, kernels);
    if (order < 1) {
      throw new IllegalArgumentException("SnAp-n needs n >= 1, got " + order);
    }
    this.order = order;
  }

  @Override
  public String id() {
    return "snap-" + order;
  }

  /** n: how many steps of the dynamics the pattern follows. */
  public int order() {
    return order;
  }

  /**
   * The kept influence entries (kept rows x (N_in + N + 1)), for the recurrent mask the
   * parameters of this config get from seed 0 (a dense or no-autapse mask does not depend on the
   * seed; a sparse one does, slightly). The presynaptic vector is rebuilt every step, so it is not
   * counted.
   */
  @Override
  public long stateBytesPerSample(int steps) {
    InfluencePattern pattern = InfluencePattern.of(
        FloatParameters.initialize(config, 0).structure(), order);
    return (long) Float.BYTES * pattern.keptRows() * fanIn;
  }

  @Override
  int leftSize() {
    return n * fanIn; // SnAp-1's size; a larger pattern grows it at the first sequence
  }

  @Override
  int rightSize() {
    return fanIn;
  }

  @Override
  void addSettings(Map<String, Object> s) {
    s.put("snap_order", order);
    s.put("estimate", "M kept on the rows within n-1 recurrent edges of each weight's neuron");
  }

  @Override
  void startSequence(FloatParameters p, FloatBatch batch, int b,
      FloatApproximateRtrlWorkspace ws) {
    if (ws.pattern == null || ws.pattern.structure != p.structure()
        || ws.pattern.order != order) {
      InfluencePattern pattern = InfluencePattern.of(p.structure(), order);
      ws.ensureCapacity(pattern.keptRows() * fanIn,
          pattern.maxRows * pattern.maxRows + pattern.maxRows + fanIn);
      ws.pattern = pattern;
    }
  }

  @Override
  void advance(FloatParameters p, float[] x, int xOff, int prev,
      FloatApproximateRtrlWorkspace ws) {
    InfluencePattern pat = ws.pattern;
    float[] q = ws.right;
    System.arraycopy(x, xOff, q, 0, nIn);
    System.arraycopy(ws.z, prev, q, nIn, n);
    if (biasOff >= 0) {
      q[nIn + n] = 1f;
    }
    float[] m = ws.left;
    float[] next = ws.leftNext;
    float[] jac = ws.scratch;
    float[] w = p.data();
    int wRec = p.view(Block.W_REC).offset();
    Arrays.fill(next, 0, pat.keptRows() * fanIn, 0f);
    for (int i = 0; i < n; i++) {
      int r0 = pat.start[i];
      int r = pat.start[i + 1] - r0;
      int off = r0 * fanIn;
      if (r == 1) {
        k.axpy(fanIn, jacobian(w, wRec, ws, i, i), m, off, next, off);
      } else {
        for (int a = 0; a < r; a++) {
          for (int c = 0; c < r; c++) {
            jac[a * r + c] = jacobian(w, wRec, ws, pat.rows[r0 + a], pat.rows[r0 + c]);
          }
        }
        k.gemm(false, false, r, fanIn, r, 1f, jac, 0, r, m, off, fanIn, next, off, fanIn);
      }
      float d = voltage ? gain : gain * ws.psi[i];
      k.axpy(fanIn, d, q, 0, next, off + pat.self[i] * fanIn);
    }
    ws.swapLeft();
  }

  /**
   * J_t[k][l]: voltage a [k = l] + (1-a) W_rec[k][l] f'(v_{l,t-1}); rate
   * (1-a) [k = l] + a f'(u_{k,t}) W_rec[k][l].
   */
  private float jacobian(float[] w, int wRec, FloatApproximateRtrlWorkspace ws, int kk, int l) {
    float j = gain * w[wRec + kk * n + l] * (voltage ? ws.psiPrev[l] : ws.psi[kk]);
    return kk == l ? j + decay : j;
  }

  @Override
  void emit(FloatApproximateRtrlWorkspace ws, float[] grad) {
    InfluencePattern pat = ws.pattern;
    int cOff = pat.maxRows * pat.maxRows;
    int vOff = cOff + pat.maxRows;
    float[] s = ws.scratch; // [restricted Jacobian | c_t[R_i] | v = M~_t[R_i, W_{i.}]' c_t[R_i]]
    for (int i = 0; i < n; i++) {
      int r0 = pat.start[i];
      int r = pat.start[i + 1] - r0;
      for (int a = 0; a < r; a++) {
        s[cOff + a] = ws.c[pat.rows[r0 + a]];
      }
      Arrays.fill(s, vOff, vOff + fanIn, 0f);
      k.gemvT(r, fanIn, 1f, ws.left, r0 * fanIn, fanIn, s, cOff, s, vOff);
      k.axpy(nIn, 1f, s, vOff, grad, i * nIn);
      k.axpy(n, 1f, s, vOff + nIn, grad, recOff + i * n);
      if (biasOff >= 0) {
        grad[biasOff + i] += s[vOff + nIn + n];
      }
    }
  }
}
