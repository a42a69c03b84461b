package org.tca.rules.learning;

import java.util.Arrays;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;

/**
 * Reverse Kronecker-factored RTRL (R-KF-RTRL; Marschall, Cho and Savin, JMLR 2020): the influence
 * of the recurrent weights W = [W_in | W_rec | b_rec] (N x m, m = N_in + N (+ 1), row i the
 * weights into neuron i) kept as M~_t = A_t (x) B_t, that is d s_{k,t} / d W_{ij} ~ A_{i,t}
 * B_{kj,t}, with A_t in R^N (over the neuron a weight feeds) and B_t in R^{N x m} (over the state
 * and the presynaptic input): KF-RTRL's factorisation with the neuron axis moved to the other
 * factor (J_t, d_t, q_t, c_t of both cells in {@link FloatApproximateRtrl}). The immediate term
 * sum_i e_i (x) (d_{i,t} e_i q_t') is projected onto one random direction with a fresh
 * nu_t ~ Rademacher^N each step:
 *
 * <pre>
 *   A_t = p0 A_{t-1} + p1 nu_t
 *   B_t = J_t B_{t-1} / p0 + (nu_t . d_t) q_t' / p1
 *   p0 = sqrt(||J_t B_{t-1}||_F / ||A_{t-1}||),   p1 = sqrt(||nu_t . d_t|| ||q_t|| / ||nu_t||)
 *   g_t[W_{ij}] = A_{i,t} (B_t' c_t)_j                     (A_{-1} = 0, B_{-1} = 0)
 * </pre>
 *
 * E[A_t (x) B_t] = A_{t-1} (x) J_t B_{t-1} + E[nu_i nu_k] d_k q_j = J_t M_{t-1} + diag(d_t) I_t:
 * the cross terms are odd in nu (p0 does not depend on it and p1 only on |nu| = 1), and
 * E[nu nu'] = I; so by induction E[M~_t] = M_t and E[g_t] is RTRL's c_t' M_t. p0 and p1 balance
 * the norms of each term's factors (the variance-minimising choice); a term with a zero factor is
 * dropped from both (it is exactly 0). vanilla-rtrl starts A and B at Gaussian noise to avoid a
 * division by zero; here they start at the exact M_{-1} = 0 and the empty term is dropped.
 *
 * <p>Cost per step O(N^2 m) (one N x N x m product), memory O(N m), independent of T; online
 * (B = 1) is the algorithm's own mode.
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
public final class FloatReverseKfRtrl extends FloatStochasticRtrl {

  /** R-KF-RTRL with signs from {@code seed} and the kernels this JVM picked. */
  public FloatReverseKfRtrl(ModelConfig config, long seed) {
    this(config, seed, Kernels.f32());
  }

  /** R-KF-RTRL with signs from {@code seed} and the given kernels. */
  public FloatReverseKfRtrl(ModelConfig config, long seed, FloatKernels kernels) {
    this(config, seed, false, kernels);
  }

  /** Test hook: {@code decorrelated} draws B's immediate signs apart from A's (a biased variant). */
  FloatReverseKfRtrl(ModelConfig config, long seed, boolean decorrelated, FloatKernels kernels) {
    super(config, seed, decorrelated, kernels);
  }

  @Override
  public String id() {
    return "r-kf-rtrl";
  }

  @Override
  int leftSize() {
    return n * fanIn;
  }

  @Override
  int rightSize() {
    return n;
  }

  @Override
  String estimate() {
    return "reverse Kronecker: A (N) x B (N x (N_in+N+1)), Rademacher nu, norm-balanced p0, p1";
  }

  @Override
  void advance(FloatParameters p, float[] x, int xOff, int prev,
      FloatApproximateRtrlWorkspace ws) {
    float[] b = ws.left;
    float[] jb = ws.leftNext;
    float[] a = ws.right;
    applyJacobian(p, ws, b, jb, fanIn);
    ws.signs.fillRademacher(ws.nu, 0, n);
    float[] nuB = ws.nu;
    if (decorrelated) {
      ws.signs.fillRademacher(ws.nuRight, 0, n);
      nuB = ws.nuRight;
    }
    float[] nd = ws.d; // nu . d_t
    if (voltage) {
      k.axpby(n, gain, nuB, 0, 0f, nd, 0);
    } else {
      k.mul(n, nuB, 0, ws.psi, 0, nd, 0);
      k.scale(n, gain, nd, 0);
    }
    double immediate = Math.sqrt((double) k.sumSquares(n, nd, 0)
        * inputNormSquared(x, xOff, ws, prev));
    double p0 = balance(Math.sqrt((double) k.sumSquares(n * fanIn, jb, 0)),
        Math.sqrt((double) k.sumSquares(n, a, 0)));
    double p1 = balance(immediate, Math.sqrt(n));
    k.axpby(n, (float) p1, ws.nu, 0, (float) p0, a, 0);
    float keep = (float) inverse(p0);
    float add = (float) inverse(p1);
    k.decayedRank1(n, nIn, keep, add, nd, 0, x, xOff, jb, 0, fanIn);
    k.decayedRank1(n, n, keep, add, nd, 0, ws.z, prev, jb, nIn, fanIn);
    if (biasOff >= 0) {
      for (int i = 0; i < n; i++) {
        int e = i * fanIn + nIn + n;
        jb[e] = keep * jb[e] + add * nd[i];
      }
    }
    ws.swapLeft();
  }

  @Override
  void emit(FloatApproximateRtrlWorkspace ws, float[] grad) {
    float[] v = ws.scratch; // B_t' c_t
    Arrays.fill(v, 0, fanIn, 0f);
    k.gemvT(n, fanIn, 1f, ws.left, 0, fanIn, ws.c, 0, v, 0);
    float[] a = ws.right;
    k.decayedRank1(n, nIn, 1f, 1f, a, 0, v, 0, grad, 0, nIn);
    k.decayedRank1(n, n, 1f, 1f, a, 0, v, nIn, grad, recOff, n);
    if (biasOff >= 0) {
      k.axpy(n, v[nIn + n], a, 0, grad, biasOff);
    }
  }
}
