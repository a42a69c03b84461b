package org.tca.numerics.kernels.vector;

import jdk.incubator.vector.FloatVector;
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
 * ({@link VectorFloatLanes}) and add the tail; the summation order differs from the scalar reference, but the forward-error
 * bound gamma_n sum_i |x_i y_i| holds for any order.
 */
final class VectorFloatLevel1 {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int L4 = 4 * L;

  private VectorFloatLevel1() {}

  static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    FloatVector va = FloatVector.broadcast(S, alpha);
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      FloatVector vx = FloatVector.fromArray(S, x, xOff + i);
      FloatVector vy = FloatVector.fromArray(S, y, yOff + i);
      vx.fma(va, vy).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }
  }

  static void axpby(int n, float alpha, float[] x, int xOff, float beta, float[] y, int yOff) {
    FloatVector va = FloatVector.broadcast(S, alpha);
    FloatVector vb = FloatVector.broadcast(S, beta);
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      FloatVector vx = FloatVector.fromArray(S, x, xOff + i);
      FloatVector vy = FloatVector.fromArray(S, y, yOff + i);
      vx.fma(va, vy.mul(vb)).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = Math.fma(alpha, x[xOff + i], beta * y[yOff + i]);
    }
  }

  static void subtractScaled(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    FloatVector va = FloatVector.broadcast(S, alpha);
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      FloatVector vy = FloatVector.fromArray(S, y, yOff + i);
      vy.sub(FloatVector.fromArray(S, x, xOff + i).mul(va)).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] -= alpha * x[xOff + i];
    }
  }

  /** The momentum step, lane by lane as the scalar loop rounds it (no fma). */
  static void momentum(int n, float s, float mu, float eta, boolean nesterov, float[] g,
      int gOff, float[] b, float[] p, int off) {
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      FloatVector h = FloatVector.fromArray(S, g, gOff + i).mul(s);
      FloatVector bi = FloatVector.fromArray(S, b, off + i).mul(mu).add(h);
      bi.intoArray(b, off + i);
      FloatVector d = nesterov ? h.add(bi.mul(mu)).mul(eta) : bi.mul(eta);
      FloatVector.fromArray(S, p, off + i).sub(d).intoArray(p, off + i);
    }
    for (; i < n; i++) {
      int j = off + i;
      float h = s * g[gOff + i];
      float bi = mu * b[j] + h;
      b[j] = bi;
      p[j] -= nesterov ? eta * (h + mu * bi) : eta * bi;
    }
  }

  /** Adam's element update, lane by lane as the scalar loop rounds it (no fma). */
  @SuppressWarnings("cast") // (float) Math.sqrt: redundant in the f64 twin
  static void adam(int n, float s, float b1, float c1, float b2, float c2, float step, float r,
      float e, float[] g, int gOff, float[] m, float[] v, float[] p, int off) {
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      FloatVector h = FloatVector.fromArray(S, g, gOff + i).mul(s);
      FloatVector mi = FloatVector.fromArray(S, m, off + i).mul(b1).add(h.mul(c1));
      FloatVector vi = FloatVector.fromArray(S, v, off + i).mul(b2).add(h.mul(h).mul(c2));
      mi.intoArray(m, off + i);
      vi.intoArray(v, off + i);
      FloatVector q = mi.div(vi.sqrt().mul(r).add(e));
      FloatVector.fromArray(S, p, off + i).sub(q.mul(step)).intoArray(p, off + i);
    }
    for (; i < n; i++) {
      int j = off + i;
      float h = s * g[gOff + i];
      float mi = b1 * m[j] + c1 * h;
      float vi = b2 * v[j] + c2 * (h * h);
      m[j] = mi;
      v[j] = vi;
      p[j] -= step * (mi / ((float) Math.sqrt(vi) * r + e));
    }
  }

  static void scale(int n, float alpha, float[] x, int xOff) {
    FloatVector va = FloatVector.broadcast(S, alpha);
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      FloatVector.fromArray(S, x, xOff + i).mul(va).intoArray(x, xOff + i);
    }
    for (; i < n; i++) {
      x[xOff + i] *= alpha;
    }
  }

  static void mul(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      FloatVector vx = FloatVector.fromArray(S, x, xOff + i);
      FloatVector vy = FloatVector.fromArray(S, y, yOff + i);
      vx.mul(vy).intoArray(z, zOff + i);
    }
    for (; i < n; i++) {
      z[zOff + i] = x[xOff + i] * y[yOff + i];
    }
  }

  static float dot(int n, float[] x, int xOff, float[] y, int yOff) {
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = FloatVector.zero(S);
    FloatVector a2 = FloatVector.zero(S);
    FloatVector a3 = FloatVector.zero(S);
    int bound4 = n - n % L4;
    int i = 0;
    for (; i < bound4; i += L4) {
      a0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), a0);
      a1 = FloatVector.fromArray(S, x, xOff + i + L)
          .fma(FloatVector.fromArray(S, y, yOff + i + L), a1);
      a2 = FloatVector.fromArray(S, x, xOff + i + 2 * L)
          .fma(FloatVector.fromArray(S, y, yOff + i + 2 * L), a2);
      a3 = FloatVector.fromArray(S, x, xOff + i + 3 * L)
          .fma(FloatVector.fromArray(S, y, yOff + i + 3 * L), a3);
    }
    int bound = S.loopBound(n);
    for (; i < bound; i += L) {
      a0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), a0);
    }
    float[] t = VectorFloatLanes.scratch();
    a0.add(a1).add(a2.add(a3)).intoArray(t, 0);
    float s = VectorFloatLanes.sum(t, 0);
    for (; i < n; i++) {
      s = Math.fma(x[xOff + i], y[yOff + i], s);
    }
    return s;
  }

  static float sum(int n, float[] x, int xOff) {
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = FloatVector.zero(S);
    FloatVector a2 = FloatVector.zero(S);
    FloatVector a3 = FloatVector.zero(S);
    int bound4 = n - n % L4;
    int i = 0;
    for (; i < bound4; i += L4) {
      a0 = a0.add(FloatVector.fromArray(S, x, xOff + i));
      a1 = a1.add(FloatVector.fromArray(S, x, xOff + i + L));
      a2 = a2.add(FloatVector.fromArray(S, x, xOff + i + 2 * L));
      a3 = a3.add(FloatVector.fromArray(S, x, xOff + i + 3 * L));
    }
    int bound = S.loopBound(n);
    for (; i < bound; i += L) {
      a0 = a0.add(FloatVector.fromArray(S, x, xOff + i));
    }
    float[] t = VectorFloatLanes.scratch();
    a0.add(a1).add(a2.add(a3)).intoArray(t, 0);
    float s = VectorFloatLanes.sum(t, 0);
    for (; i < n; i++) {
      s += x[xOff + i];
    }
    return s;
  }

  static float sumSquares(int n, float[] x, int xOff) {
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = FloatVector.zero(S);
    FloatVector a2 = FloatVector.zero(S);
    FloatVector a3 = FloatVector.zero(S);
    int bound4 = n - n % L4;
    int i = 0;
    for (; i < bound4; i += L4) {
      FloatVector v0 = FloatVector.fromArray(S, x, xOff + i);
      FloatVector v1 = FloatVector.fromArray(S, x, xOff + i + L);
      FloatVector v2 = FloatVector.fromArray(S, x, xOff + i + 2 * L);
      FloatVector v3 = FloatVector.fromArray(S, x, xOff + i + 3 * L);
      a0 = v0.fma(v0, a0);
      a1 = v1.fma(v1, a1);
      a2 = v2.fma(v2, a2);
      a3 = v3.fma(v3, a3);
    }
    int bound = S.loopBound(n);
    for (; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, xOff + i);
      a0 = v.fma(v, a0);
    }
    float[] t = VectorFloatLanes.scratch();
    a0.add(a1).add(a2.add(a3)).intoArray(t, 0);
    float s = VectorFloatLanes.sum(t, 0);
    for (; i < n; i++) {
      float v = x[xOff + i];
      s = Math.fma(v, v, s);
    }
    return s;
  }

  /**
   * max_i |x_i|, 0 for n = 0. The lanewise MAX follows Math.max, so a NaN anywhere (body or
   * tail) makes the result NaN, as in the scalar reference.
   */
  static float maxAbs(int n, float[] x, int xOff) {
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = FloatVector.zero(S);
    FloatVector a2 = FloatVector.zero(S);
    FloatVector a3 = FloatVector.zero(S);
    int bound4 = n - n % L4;
    int i = 0;
    for (; i < bound4; i += L4) {
      a0 = a0.max(FloatVector.fromArray(S, x, xOff + i).abs());
      a1 = a1.max(FloatVector.fromArray(S, x, xOff + i + L).abs());
      a2 = a2.max(FloatVector.fromArray(S, x, xOff + i + 2 * L).abs());
      a3 = a3.max(FloatVector.fromArray(S, x, xOff + i + 3 * L).abs());
    }
    int bound = S.loopBound(n);
    for (; i < bound; i += L) {
      a0 = a0.max(FloatVector.fromArray(S, x, xOff + i).abs());
    }
    float m = a0.max(a1).max(a2.max(a3)).reduceLanes(VectorOperators.MAX);
    for (; i < n; i++) {
      m = Math.max(m, Math.abs(x[xOff + i]));
    }
    return m;
  }
}
