package org.tca.rules.learning;

import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.ModelConfig;

/**
 * Kronecker-factored RTRL (Mujika, Meier and Steger, NeurIPS 2018): the influence of the
 * recurrent weights W = [W_in | W_rec | b_rec] (N x m, m = N_in + N (+ 1), row j the weights into
 * neuron j) kept as M~_t = u_t' (x) A_t, that is d s_{i,t} / d W_{jk} ~ A_{ij,t} u_{k,t}, with
 * u_t in R^m and A_t in R^{N x N} (J_t, d_t, q_t, c_t of both cells in {@link DoubleStochasticRtrl}).
 * The exact step maps it to a sum of two Kronecker products, u_{t-1}' (x) J_t A_{t-1} +
 * q_t' (x) diag(d_t), which is mixed back into one with independent signs c1, c2 = +-1:
 *
 * <pre>
 *   u_t = c1 p0 u_{t-1} + c2 p1 q_t
 *   A_t = c1 J_t A_{t-1} / p0 + c2 diag(d_t) / p1
 *   p0 = sqrt(||J_t A_{t-1}||_F / ||u_{t-1}||),   p1 = sqrt(||d_t|| / ||q_t||)
 *   g_t[W_{jk}] = (A_t' c_t)_j u_{k,t}                   (u_{-1} = 0, A_{-1} = 0)
 * </pre>
 *
 * E[u_t' (x) A_t] = u_{t-1}' (x) J_t A_{t-1} + q_t' (x) diag(d_t) (the cross terms carry c1 c2,
 * of mean 0), so by induction E[M~_t] = M_t and E[g_t] is RTRL's c_t' M_t; p0 and p1 balance the
 * norms of each term's factors, which minimises the variance of the cross terms. A term with a
 * zero factor is dropped from both factors (it is exactly 0).
 *
 * <p>Cost per step O(N^3) (one N x N x N product), memory O(N^2), independent of T; online
 * (B = 1) is the algorithm's own mode.
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
public final class DoubleKfRtrl extends DoubleStochasticRtrl {

  /** KF-RTRL with signs from {@code seed} and the kernels this JVM picked. */
  public DoubleKfRtrl(ModelConfig config, long seed) {
    this(config, seed, Kernels.f64());
  }

  /** KF-RTRL with signs from {@code seed} and the given kernels. */
  public DoubleKfRtrl(ModelConfig config, long seed, DoubleKernels kernels) {
    this(config, seed, false, kernels);
  }

  /** Test hook: {@code decorrelated} draws u's signs apart from A's (a biased variant). */
  DoubleKfRtrl(ModelConfig config, long seed, boolean decorrelated, DoubleKernels kernels) {
    super(config, seed, decorrelated, kernels);
  }

  @Override
  public String id() {
    return "kf-rtrl";
  }

  @Override
  int leftSize() {
    return n * n;
  }

  @Override
  int rightSize() {
    return nIn + n + (biasOff >= 0 ? 1 : 0);
  }

  @Override
  String estimate() {
    return "Kronecker: u (N_in+N+1) x A (N x N), signs c1 c2, norm-balanced p0, p1";
  }

  @Override
  void advance(DoubleParameters p, double[] x, int xOff, int prev,
      DoubleApproximateRtrlWorkspace ws) {
    double[] a = ws.left;
    double[] ja = ws.leftNext;
    double[] u = ws.right;
    applyJacobian(p, ws, a, ja, n);
    double c1 = ws.signs.nextRademacher();
    double c2 = ws.signs.nextRademacher();
    double c1u = c1;
    double c2u = c2;
    if (decorrelated) {
      c1u = ws.signs.nextRademacher();
      c2u = ws.signs.nextRademacher();
    }
    double dNorm = gain * Math.sqrt(voltage ? n : (double) k.sumSquares(n, ws.psi, 0));
    double p0 = balance(Math.sqrt((double) k.sumSquares(n * n, ja, 0)),
        Math.sqrt((double) k.sumSquares(u.length, u, 0)));
    double p1 = balance(dNorm, Math.sqrt(inputNormSquared(x, xOff, ws, prev)));
    double keep = (double) (c1u * p0);
    double add = (double) (c2u * p1);
    k.axpby(nIn, add, x, xOff, keep, u, 0);
    k.axpby(n, add, ws.z, prev, keep, u, nIn);
    if (biasOff >= 0) {
      u[nIn + n] = keep * u[nIn + n] + add;
    }
    k.scale(n * n, (double) (c1 * inverse(p0)), ja, 0);
    double diag = (double) (c2 * inverse(p1));
    for (int i = 0; i < n; i++) {
      ja[i * n + i] += diag * (voltage ? gain : gain * ws.psi[i]);
    }
    ws.swapLeft();
  }

  @Override
  void emit(DoubleApproximateRtrlWorkspace ws, double[] grad) {
    double[] v = ws.d; // A_t' c_t
    java.util.Arrays.fill(v, 0d);
    k.gemvT(n, n, 1d, ws.left, 0, n, ws.c, 0, v, 0);
    double[] u = ws.right;
    k.decayedRank1(n, nIn, 1d, 1d, v, 0, u, 0, grad, 0, nIn);
    k.decayedRank1(n, n, 1d, 1d, v, 0, u, nIn, grad, recOff, n);
    if (biasOff >= 0) {
      k.axpy(n, u[nIn + n], v, 0, grad, biasOff);
    }
  }
}
