package org.tca.numerics.kernels.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API level-1 kernels: y += alpha x, y = alpha x + beta y, x = alpha x, z = x .* y, and
 * the reductions sum_i x_i y_i, sum_i x_i, sum_i x_i^2, max_i |x_i|.
 *
 * <p>Shape of every loop: full vectors of {@code SPECIES_PREFERRED} up to {@code loopBound(n)}
 * (no masks), then a scalar tail. The elementwise updates use one fused multiply-add per element
 * in both parts, so element i gets the same bits whatever n is. The reductions keep four
 * independent vector accumulators (hiding the add latency), fold them, then reduce across lanes
 * ({@link VectorDoubleLanes}) and add the tail; the summation order differs from the scalar reference, but the forward-error
 * bound gamma_n sum_i |x_i y_i| holds for any order.
 */
final class VectorDoubleLevel1 {

  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int L4 = 4 * L;

  private VectorDoubleLevel1() {}

  static void axpy(int n, double alpha, double[] x, int xOff, double[] y, int yOff) {
    DoubleVector va = DoubleVector.broadcast(S, alpha);
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      DoubleVector vx = DoubleVector.fromArray(S, x, xOff + i);
      DoubleVector vy = DoubleVector.fromArray(S, y, yOff + i);
      vx.fma(va, vy).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }
  }

  static void axpby(int n, double alpha, double[] x, int xOff, double beta, double[] y, int yOff) {
    DoubleVector va = DoubleVector.broadcast(S, alpha);
    DoubleVector vb = DoubleVector.broadcast(S, beta);
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      DoubleVector vx = DoubleVector.fromArray(S, x, xOff + i);
      DoubleVector vy = DoubleVector.fromArray(S, y, yOff + i);
      vx.fma(va, vy.mul(vb)).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = Math.fma(alpha, x[xOff + i], beta * y[yOff + i]);
    }
  }

  static void subtractScaled(int n, double alpha, double[] x, int xOff, double[] y, int yOff) {
    DoubleVector va = DoubleVector.broadcast(S, alpha);
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      DoubleVector vy = DoubleVector.fromArray(S, y, yOff + i);
      vy.sub(DoubleVector.fromArray(S, x, xOff + i).mul(va)).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] -= alpha * x[xOff + i];
    }
  }

  /** The momentum step, lane by lane as the scalar loop rounds it (no fma). */
  static void momentum(int n, double s, double mu, double eta, boolean nesterov, double[] g,
      int gOff, double[] b, double[] p, int off) {
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      DoubleVector h = DoubleVector.fromArray(S, g, gOff + i).mul(s);
      DoubleVector bi = DoubleVector.fromArray(S, b, off + i).mul(mu).add(h);
      bi.intoArray(b, off + i);
      DoubleVector d = nesterov ? h.add(bi.mul(mu)).mul(eta) : bi.mul(eta);
      DoubleVector.fromArray(S, p, off + i).sub(d).intoArray(p, off + i);
    }
    for (; i < n; i++) {
      int j = off + i;
      double h = s * g[gOff + i];
      double bi = mu * b[j] + h;
      b[j] = bi;
      p[j] -= nesterov ? eta * (h + mu * bi) : eta * bi;
    }
  }

  /** Adam's element update, lane by lane as the scalar loop rounds it (no fma). */
  @SuppressWarnings("cast") // (double) Math.sqrt: redundant in the f64 twin
  static void adam(int n, double s, double b1, double c1, double b2, double c2, double step, double r,
      double e, double[] g, int gOff, double[] m, double[] v, double[] p, int off) {
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      DoubleVector h = DoubleVector.fromArray(S, g, gOff + i).mul(s);
      DoubleVector mi = DoubleVector.fromArray(S, m, off + i).mul(b1).add(h.mul(c1));
      DoubleVector vi = DoubleVector.fromArray(S, v, off + i).mul(b2).add(h.mul(h).mul(c2));
      mi.intoArray(m, off + i);
      vi.intoArray(v, off + i);
      DoubleVector q = mi.div(vi.sqrt().mul(r).add(e));
      DoubleVector.fromArray(S, p, off + i).sub(q.mul(step)).intoArray(p, off + i);
    }
    for (; i < n; i++) {
      int j = off + i;
      double h = s * g[gOff + i];
      double mi = b1 * m[j] + c1 * h;
      double vi = b2 * v[j] + c2 * (h * h);
      m[j] = mi;
      v[j] = vi;
      p[j] -= step * (mi / ((double) Math.sqrt(vi) * r + e));
    }
  }

  static void scale(int n, double alpha, double[] x, int xOff) {
    DoubleVector va = DoubleVector.broadcast(S, alpha);
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      DoubleVector.fromArray(S, x, xOff + i).mul(va).intoArray(x, xOff + i);
    }
    for (; i < n; i++) {
      x[xOff + i] *= alpha;
    }
  }

  static void mul(int n, double[] x, int xOff, double[] y, int yOff, double[] z, int zOff) {
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      DoubleVector vx = DoubleVector.fromArray(S, x, xOff + i);
      DoubleVector vy = DoubleVector.fromArray(S, y, yOff + i);
      vx.mul(vy).intoArray(z, zOff + i);
    }
    for (; i < n; i++) {
      z[zOff + i] = x[xOff + i] * y[yOff + i];
    }
  }

  static double dot(int n, double[] x, int xOff, double[] y, int yOff) {
    DoubleVector a0 = DoubleVector.zero(S);
    DoubleVector a1 = DoubleVector.zero(S);
    DoubleVector a2 = DoubleVector.zero(S);
    DoubleVector a3 = DoubleVector.zero(S);
    int bound4 = n - n % L4;
    int i = 0;
    for (; i < bound4; i += L4) {
      a0 = DoubleVector.fromArray(S, x, xOff + i).fma(DoubleVector.fromArray(S, y, yOff + i), a0);
      a1 = DoubleVector.fromArray(S, x, xOff + i + L)
          .fma(DoubleVector.fromArray(S, y, yOff + i + L), a1);
      a2 = DoubleVector.fromArray(S, x, xOff + i + 2 * L)
          .fma(DoubleVector.fromArray(S, y, yOff + i + 2 * L), a2);
      a3 = DoubleVector.fromArray(S, x, xOff + i + 3 * L)
          .fma(DoubleVector.fromArray(S, y, yOff + i + 3 * L), a3);
    }
    int bound = S.loopBound(n);
    for (; i < bound; i += L) {
      a0 = DoubleVector.fromArray(S, x, xOff + i).fma(DoubleVector.fromArray(S, y, yOff + i), a0);
    }
    double[] t = VectorDoubleLanes.scratch();
    a0.add(a1).add(a2.add(a3)).intoArray(t, 0);
    double s = VectorDoubleLanes.sum(t, 0);
    for (; i < n; i++) {
      s = Math.fma(x[xOff + i], y[yOff + i], s);
    }
    return s;
  }

  static double sum(int n, double[] x, int xOff) {
    DoubleVector a0 = DoubleVector.zero(S);
    DoubleVector a1 = DoubleVector.zero(S);
    DoubleVector a2 = DoubleVector.zero(S);
    DoubleVector a3 = DoubleVector.zero(S);
    int bound4 = n - n % L4;
    int i = 0;
    for (; i < bound4; i += L4) {
      a0 = a0.add(DoubleVector.fromArray(S, x, xOff + i));
      a1 = a1.add(DoubleVector.fromArray(S, x, xOff + i + L));
      a2 = a2.add(DoubleVector.fromArray(S, x, xOff + i + 2 * L));
      a3 = a3.add(DoubleVector.fromArray(S, x, xOff + i + 3 * L));
    }
    int bound = S.loopBound(n);
    for (; i < bound; i += L) {
      a0 = a0.add(DoubleVector.fromArray(S, x, xOff + i));
    }
    double[] t = VectorDoubleLanes.scratch();
    a0.add(a1).add(a2.add(a3)).intoArray(t, 0);
    double s = VectorDoubleLanes.sum(t, 0);
    for (; i < n; i++) {
      s += x[xOff + i];
    }
    return s;
  }

  static double sumSquares(int n, double[] x, int xOff) {
    DoubleVector a0 = DoubleVector.zero(S);
    DoubleVector a1 = DoubleVector.zero(S);
    DoubleVector a2 = DoubleVector.zero(S);
    DoubleVector a3 = DoubleVector.zero(S);
    int bound4 = n - n % L4;
    int i = 0;
    for (; i < bound4; i += L4) {
      DoubleVector v0 = DoubleVector.fromArray(S, x, xOff + i);
      DoubleVector v1 = DoubleVector.fromArray(S, x, xOff + i + L);
      DoubleVector v2 = DoubleVector.fromArray(S, x, xOff + i + 2 * L);
      DoubleVector v3 = DoubleVector.fromArray(S, x, xOff + i + 3 * L);
      a0 = v0.fma(v0, a0);
      a1 = v1.fma(v1, a1);
      a2 = v2.fma(v2, a2);
      a3 = v3.fma(v3, a3);
    }
    int bound = S.loopBound(n);
    for (; i < bound; i += L) {
      DoubleVector v = DoubleVector.fromArray(S, x, xOff + i);
      a0 = v.fma(v, a0);
    }
    double[] t = VectorDoubleLanes.scratch();
    a0.add(a1).add(a2.add(a3)).intoArray(t, 0);
    double s = VectorDoubleLanes.sum(t, 0);
    for (; i < n; i++) {
      double v = x[xOff + i];
      s = Math.fma(v, v, s);
    }
    return s;
  }

  /**
   * max_i |x_i|, 0 for n = 0. The lanewise MAX follows Math.max, so a NaN anywhere (body or
   * tail) makes the result NaN, as in the scalar reference.
   */
  static double maxAbs(int n, double[] x, int xOff) {
    DoubleVector a0 = DoubleVector.zero(S);
    DoubleVector a1 = DoubleVector.zero(S);
    DoubleVector a2 = DoubleVector.zero(S);
    DoubleVector a3 = DoubleVector.zero(S);
    int bound4 = n - n % L4;
    int i = 0;
    for (; i < bound4; i += L4) {
      a0 = a0.max(DoubleVector.fromArray(S, x, xOff + i).abs());
      a1 = a1.max(DoubleVector.fromArray(S, x, xOff + i + L).abs());
      a2 = a2.max(DoubleVector.fromArray(S, x, xOff + i + 2 * L).abs());
      a3 = a3.max(DoubleVector.fromArray(S, x, xOff + i + 3 * L).abs());
    }
    int bound = S.loopBound(n);
    for (; i < bound; i += L) {
      a0 = a0.max(DoubleVector.fromArray(S, x, xOff + i).abs());
    }
    double m = a0.max(a1).max(a2.max(a3)).reduceLanes(VectorOperators.MAX);
    for (; i < n; i++) {
      m = Math.max(m, Math.abs(x[xOff + i]));
    }
    return m;
  }
}
