package org.tca.rules.learning;

import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.ModelConfig;

/**
 * Unbiased Online Recurrent Optimization (Tallec and Ollivier, ICLR 2018): RTRL's influence matrix
 * (see {@link DoubleStochasticRtrl} for J_t, d_t, q_t and c_t of both cells) kept as a rank-one
 * estimate M~_t = s~_t theta~_t' (s~ in R^N, theta~ in R^P). With a fresh nu_t ~ Rademacher^N
 * each step,
 *
 * <pre>
 *   s~_t     = rho0 J_t s~_{t-1} + rho1 nu_t
 *   theta~_t = theta~_{t-1} / rho0 + (nu_t' diag(d_t) I_t) / rho1,   nu' diag(d) I = (nu . d) (x) q_t
 *   rho0 = sqrt(||theta~_{t-1}|| / ||J_t s~_{t-1}||),   rho1 = sqrt(||(nu . d) (x) q_t|| / ||nu||)
 *   g_t  = (c_t' s~_t) theta~_t                            (s~_{-1} = 0, theta~_{-1} = 0)
 * </pre>
 *
 * E[s~_t theta~_t'] = J_t s~_{t-1} theta~_{t-1}' + E[nu nu'] diag(d_t) I_t, since the cross
 * terms are odd in nu (rho1 is even in it) and E[nu nu'] = I: by induction E[M~_t] = M_t, so
 * E[g_t] is RTRL's c_t' M_t. The rho's minimise the variance of the cross terms (they balance
 * the norms of each term's two factors). A term with a zero factor is dropped (its rho set to 0
 * and its 1/rho to 0), which changes neither the mean nor, since it is exactly 0, the estimate.
 *
 * <p>Cost per step O(N^2 + P) (one N x N matrix-vector product, a rank-one update of theta~ and its
 * emission), memory O(P), independent of T; online (B = 1) is the algorithm's own mode.
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
public final class DoubleUoro extends DoubleStochasticRtrl {

  /** UORO with signs from {@code seed} and the kernels this JVM picked. */
  public DoubleUoro(ModelConfig config, long seed) {
    this(config, seed, Kernels.f64());
  }

  /** UORO with signs from {@code seed} and the given kernels. */
  public DoubleUoro(ModelConfig config, long seed, DoubleKernels kernels) {
    this(config, seed, false, kernels);
  }

  /** Test hook: {@code decorrelated} draws theta~'s signs apart from s~'s (a biased variant). */
  DoubleUoro(ModelConfig config, long seed, boolean decorrelated, DoubleKernels kernels) {
    super(config, seed, decorrelated, kernels);
  }

  @Override
  public String id() {
    return "uoro";
  }

  @Override
  int leftSize() {
    return n;
  }

  @Override
  int rightSize() {
    return width;
  }

  @Override
  String estimate() {
    return "rank one: s~ (N) x theta~ (P), Rademacher signs, norm-balanced rho0, rho1";
  }

  @Override
  void advance(DoubleParameters p, double[] x, int xOff, int prev,
      DoubleApproximateRtrlWorkspace ws) {
    double[] s = ws.left;
    double[] js = ws.leftNext;
    double[] theta = ws.right;
    applyJacobian(p, ws, s, js, 1);
    ws.signs.fillRademacher(ws.nu, 0, n);
    double[] nuRight = ws.nu;
    if (decorrelated) {
      ws.signs.fillRademacher(ws.nuRight, 0, n);
      nuRight = ws.nuRight;
    }
    double[] nd = ws.d; // nu . d_t
    if (voltage) {
      k.axpby(n, gain, nuRight, 0, 0d, nd, 0);
    } else {
      k.mul(n, nuRight, 0, ws.psi, 0, nd, 0);
      k.scale(n, gain, nd, 0);
    }
    double immediate = Math.sqrt((double) k.sumSquares(n, nd, 0)
        * inputNormSquared(x, xOff, ws, prev));
    double rho0 = balance(Math.sqrt((double) k.sumSquares(width, theta, 0)),
        Math.sqrt((double) k.sumSquares(n, js, 0)));
    double rho1 = balance(immediate, Math.sqrt(n));
    k.axpby(n, (double) rho1, ws.nu, 0, (double) rho0, js, 0);
    ws.swapLeft();
    double keep = (double) inverse(rho0);
    double add = (double) inverse(rho1);
    k.decayedRank1(n, nIn, keep, add, nd, 0, x, xOff, theta, 0, nIn);
    k.decayedRank1(n, n, keep, add, nd, 0, ws.z, prev, theta, recOff, n);
    if (biasOff >= 0) {
      k.axpby(n, add, nd, 0, keep, theta, biasOff);
    }
  }

  @Override
  void emit(DoubleApproximateRtrlWorkspace ws, double[] grad) {
    double gamma = k.dot(n, ws.c, 0, ws.left, 0);
    k.axpy(width, gamma, ws.right, 0, grad, 0);
  }
}
