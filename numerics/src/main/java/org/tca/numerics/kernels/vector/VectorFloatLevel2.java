package org.tca.numerics.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API level-2 kernels on row-major matrices (see {@code FloatKernels}):
 * <ul>
 *   <li>gemv: y += alpha * A x, eight rows at a time for rows of 2 vectors or more (the B = 1
 *       online step's W_in and W_rec), else four, each a vector dot product over the contiguous row
 *       (y_i += alpha * sum_j a_ij x_j), rounded the same whatever the grouping;
 *   <li>gemvT: y += alpha * A' x as four axpys per pass over y (y_j += (alpha x_i) a_ij for four
 *       rows i at a time), A streamed row by row;
 *   <li>decayedRank1: E = decay * E + alpha * x y', e_ij = fma(e_ij, decay, (alpha x_i) y_j), four
 *       rows per pass over y; rank1From the same from another matrix B (E = beta B + alpha x y')
 *       or from zero, so that a copy followed by an update is one pass;
 *   <li>subtractRank1, subtractDecayedRank1: W = W - a (x y' + 0) and W = W - a (beta W + x y'),
 *       a plain gradient step on a rank-1 gradient, four rows per pass over y.
 * </ul>
 * (gatherRows is {@link VectorFloatGather}'s.)
 * Rounding: gemv sums the products of a length-n dot product in some order, then scales and
 * adds once; gemvT rounds alpha x_i and then adds the m terms one fused multiply-add at a time;
 * either way |error| <= gamma_(K+2) * (|alpha| |A| |x| + |y|) elementwise (K the inner length).
 * The rank-1 update rounds alpha x_i, its product with y_j and the fused decay * e + t, so
 * |error| <= gamma_3 * (|decay| |e| + |alpha| |x_i| |y_j|).
 */
final class VectorFloatLevel2 {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private VectorFloatLevel2() {}

  static void gemv(int m, int n, float alpha, float[] a, int aOff, int lda,
      float[] x, int xOff, float[] y, int yOff) {
    int bound = S.loopBound(n);
    float[] t = VectorFloatLanes.scratch();
    int i = 0;
    if (n >= 2 * L) { // eight rows per pass over x (eight FMA chains in flight)
      for (; i + 8 <= m; i += 8) {
        gemv8(n, bound, alpha, a, aOff + i * lda, lda, x, xOff, y, yOff + i, t);
      }
    }
    for (; i + 4 <= m; i += 4) {
      int r0 = aOff + i * lda;
      int r1 = r0 + lda;
      int r2 = r1 + lda;
      int r3 = r2 + lda;
      FloatVector s0 = FloatVector.zero(S);
      FloatVector s1 = s0;
      FloatVector s2 = s0;
      FloatVector s3 = s0;
      int j = 0;
      for (; j < bound; j += L) {
        FloatVector xv = FloatVector.fromArray(S, x, xOff + j);
        s0 = FloatVector.fromArray(S, a, r0 + j).fma(xv, s0);
        s1 = FloatVector.fromArray(S, a, r1 + j).fma(xv, s1);
        s2 = FloatVector.fromArray(S, a, r2 + j).fma(xv, s2);
        s3 = FloatVector.fromArray(S, a, r3 + j).fma(xv, s3);
      }
      s0.intoArray(t, 0);
      s1.intoArray(t, L);
      s2.intoArray(t, 2 * L);
      s3.intoArray(t, 3 * L);
      float t0 = VectorFloatLanes.sum(t, 0);
      float t1 = VectorFloatLanes.sum(t, L);
      float t2 = VectorFloatLanes.sum(t, 2 * L);
      float t3 = VectorFloatLanes.sum(t, 3 * L);
      for (; j < n; j++) {
        float xj = x[xOff + j];
        t0 = Math.fma(a[r0 + j], xj, t0);
        t1 = Math.fma(a[r1 + j], xj, t1);
        t2 = Math.fma(a[r2 + j], xj, t2);
        t3 = Math.fma(a[r3 + j], xj, t3);
      }
      y[yOff + i] = Math.fma(alpha, t0, y[yOff + i]);
      y[yOff + i + 1] = Math.fma(alpha, t1, y[yOff + i + 1]);
      y[yOff + i + 2] = Math.fma(alpha, t2, y[yOff + i + 2]);
      y[yOff + i + 3] = Math.fma(alpha, t3, y[yOff + i + 3]);
    }
    for (; i < m; i++) {
      int r0 = aOff + i * lda;
      FloatVector s0 = FloatVector.zero(S);
      int j = 0;
      for (; j < bound; j += L) {
        s0 = FloatVector.fromArray(S, a, r0 + j).fma(FloatVector.fromArray(S, x, xOff + j), s0);
      }
      s0.intoArray(t, 0);
      float t0 = VectorFloatLanes.sum(t, 0);
      for (; j < n; j++) {
        t0 = Math.fma(a[r0 + j], x[xOff + j], t0);
      }
      y[yOff + i] = Math.fma(alpha, t0, y[yOff + i]);
    }
  }

  /**
   * Rows r0 .. r0 + 7 of {@link #gemv} (y[yOff ..] their eight results), each row rounded as in
   * the four-row pass: the same lane-wise fma chain over j, the same tree sum, the same tail.
   */
  private static void gemv8(int n, int bound, float alpha, float[] a, int r0, int lda,
      float[] x, int xOff, float[] y, int yOff, float[] t) {
    FloatVector s0 = FloatVector.zero(S);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector s3 = s0;
    FloatVector s4 = s0;
    FloatVector s5 = s0;
    FloatVector s6 = s0;
    FloatVector s7 = s0;
    int j = 0;
    for (; j < bound; j += L) {
      FloatVector xv = FloatVector.fromArray(S, x, xOff + j);
      int c = r0 + j;
      s0 = FloatVector.fromArray(S, a, c).fma(xv, s0);
      s1 = FloatVector.fromArray(S, a, c + lda).fma(xv, s1);
      s2 = FloatVector.fromArray(S, a, c + 2 * lda).fma(xv, s2);
      s3 = FloatVector.fromArray(S, a, c + 3 * lda).fma(xv, s3);
      s4 = FloatVector.fromArray(S, a, c + 4 * lda).fma(xv, s4);
      s5 = FloatVector.fromArray(S, a, c + 5 * lda).fma(xv, s5);
      s6 = FloatVector.fromArray(S, a, c + 6 * lda).fma(xv, s6);
      s7 = FloatVector.fromArray(S, a, c + 7 * lda).fma(xv, s7);
    }
    s0.intoArray(t, 0);
    s1.intoArray(t, L);
    s2.intoArray(t, 2 * L);
    s3.intoArray(t, 3 * L);
    float t0 = VectorFloatLanes.sum(t, 0);
    float t1 = VectorFloatLanes.sum(t, L);
    float t2 = VectorFloatLanes.sum(t, 2 * L);
    float t3 = VectorFloatLanes.sum(t, 3 * L);
    s4.intoArray(t, 0);
    s5.intoArray(t, L);
    s6.intoArray(t, 2 * L);
    s7.intoArray(t, 3 * L);
    float t4 = VectorFloatLanes.sum(t, 0);
    float t5 = VectorFloatLanes.sum(t, L);
    float t6 = VectorFloatLanes.sum(t, 2 * L);
    float t7 = VectorFloatLanes.sum(t, 3 * L);
    for (; j < n; j++) {
      float xj = x[xOff + j];
      int c = r0 + j;
      t0 = Math.fma(a[c], xj, t0);
      t1 = Math.fma(a[c + lda], xj, t1);
      t2 = Math.fma(a[c + 2 * lda], xj, t2);
      t3 = Math.fma(a[c + 3 * lda], xj, t3);
      t4 = Math.fma(a[c + 4 * lda], xj, t4);
      t5 = Math.fma(a[c + 5 * lda], xj, t5);
      t6 = Math.fma(a[c + 6 * lda], xj, t6);
      t7 = Math.fma(a[c + 7 * lda], xj, t7);
    }
    y[yOff] = Math.fma(alpha, t0, y[yOff]);
    y[yOff + 1] = Math.fma(alpha, t1, y[yOff + 1]);
    y[yOff + 2] = Math.fma(alpha, t2, y[yOff + 2]);
    y[yOff + 3] = Math.fma(alpha, t3, y[yOff + 3]);
    y[yOff + 4] = Math.fma(alpha, t4, y[yOff + 4]);
    y[yOff + 5] = Math.fma(alpha, t5, y[yOff + 5]);
    y[yOff + 6] = Math.fma(alpha, t6, y[yOff + 6]);
    y[yOff + 7] = Math.fma(alpha, t7, y[yOff + 7]);
  }

  static void gemvT(int m, int n, float alpha, float[] a, int aOff, int lda,
      float[] x, int xOff, float[] y, int yOff) {
    int bound = S.loopBound(n);
    int i = 0;
    for (; i + 4 <= m; i += 4) { // y += (alpha x_i) A[i,:] for four rows per pass over y
      float s0 = alpha * x[xOff + i];
      float s1 = alpha * x[xOff + i + 1];
      float s2 = alpha * x[xOff + i + 2];
      float s3 = alpha * x[xOff + i + 3];
      FloatVector x0 = FloatVector.broadcast(S, s0);
      FloatVector x1 = FloatVector.broadcast(S, s1);
      FloatVector x2 = FloatVector.broadcast(S, s2);
      FloatVector x3 = FloatVector.broadcast(S, s3);
      int r0 = aOff + i * lda;
      int r1 = r0 + lda;
      int r2 = r1 + lda;
      int r3 = r2 + lda;
      int j = 0;
      for (; j < bound; j += L) {
        FloatVector yv = FloatVector.fromArray(S, y, yOff + j);
        yv = FloatVector.fromArray(S, a, r0 + j).fma(x0, yv);
        yv = FloatVector.fromArray(S, a, r1 + j).fma(x1, yv);
        yv = FloatVector.fromArray(S, a, r2 + j).fma(x2, yv);
        yv = FloatVector.fromArray(S, a, r3 + j).fma(x3, yv);
        yv.intoArray(y, yOff + j);
      }
      for (; j < n; j++) {
        float yj = y[yOff + j];
        yj = Math.fma(a[r0 + j], s0, yj);
        yj = Math.fma(a[r1 + j], s1, yj);
        yj = Math.fma(a[r2 + j], s2, yj);
        y[yOff + j] = Math.fma(a[r3 + j], s3, yj);
      }
    }
    for (; i < m; i++) {
      float s0 = alpha * x[xOff + i];
      FloatVector x0 = FloatVector.broadcast(S, s0);
      int r0 = aOff + i * lda;
      int j = 0;
      for (; j < bound; j += L) {
        FloatVector.fromArray(S, a, r0 + j).fma(x0, FloatVector.fromArray(S, y, yOff + j))
            .intoArray(y, yOff + j);
      }
      for (; j < n; j++) {
        y[yOff + j] = Math.fma(a[r0 + j], s0, y[yOff + j]);
      }
    }
  }

  static void decayedRank1(int m, int n, float decay, float alpha, float[] x, int xOff,
      float[] y, int yOff, float[] e, int eOff, int lde) {
    rank1From(m, n, decay, e, eOff, lde, alpha, x, xOff, y, yOff, e, eOff, lde);
  }

  /**
   * E = beta * B + alpha * x y' (B may be E itself), e_ij = fma(b_ij, beta, (alpha x_i) y_j);
   * with B null, E = alpha * x y' + 0 (E is not read; the + 0 turns -0 into +0, as the fma on a
   * zeroed E would).
   */
  static void rank1From(int m, int n, float beta, float[] b, int bOff, int ldb, float alpha,
      float[] x, int xOff, float[] y, int yOff, float[] e, int eOff, int lde) {
    int bound = S.loopBound(n);
    FloatVector vd = FloatVector.broadcast(S, beta);
    FloatVector zero = FloatVector.zero(S);
    int i = 0;
    for (; i + 4 <= m; i += 4) { // four rows per pass over y
      FloatVector x0 = FloatVector.broadcast(S, alpha * x[xOff + i]);
      FloatVector x1 = FloatVector.broadcast(S, alpha * x[xOff + i + 1]);
      FloatVector x2 = FloatVector.broadcast(S, alpha * x[xOff + i + 2]);
      FloatVector x3 = FloatVector.broadcast(S, alpha * x[xOff + i + 3]);
      int e0 = eOff + i * lde;
      int e1 = e0 + lde;
      int e2 = e1 + lde;
      int e3 = e2 + lde;
      if (b == null) {
        for (int j = 0; j < bound; j += L) {
          FloatVector yv = FloatVector.fromArray(S, y, yOff + j);
          yv.mul(x0).add(zero).intoArray(e, e0 + j);
          yv.mul(x1).add(zero).intoArray(e, e1 + j);
          yv.mul(x2).add(zero).intoArray(e, e2 + j);
          yv.mul(x3).add(zero).intoArray(e, e3 + j);
        }
      } else {
        int b0 = bOff + i * ldb;
        int b1 = b0 + ldb;
        int b2 = b1 + ldb;
        int b3 = b2 + ldb;
        for (int j = 0; j < bound; j += L) {
          FloatVector yv = FloatVector.fromArray(S, y, yOff + j);
          FloatVector.fromArray(S, b, b0 + j).fma(vd, yv.mul(x0)).intoArray(e, e0 + j);
          FloatVector.fromArray(S, b, b1 + j).fma(vd, yv.mul(x1)).intoArray(e, e1 + j);
          FloatVector.fromArray(S, b, b2 + j).fma(vd, yv.mul(x2)).intoArray(e, e2 + j);
          FloatVector.fromArray(S, b, b3 + j).fma(vd, yv.mul(x3)).intoArray(e, e3 + j);
        }
      }
      if (bound < n) { // the last columns as one masked vector per row, rounded as above
        VectorMask<Float> tail = S.indexInRange(bound, n);
        FloatVector yv = FloatVector.fromArray(S, y, yOff + bound, tail);
        for (int r = 0; r < 4; r++) {
          FloatVector t = yv.mul(alpha * x[xOff + i + r]);
          int bj = bOff + (i + r) * ldb + bound;
          (b == null ? t.add(zero) : FloatVector.fromArray(S, b, bj, tail).fma(vd, t))
              .intoArray(e, eOff + (i + r) * lde + bound, tail);
        }
      }
    }
    for (; i < m; i++) {
      float xi = alpha * x[xOff + i];
      FloatVector vx = FloatVector.broadcast(S, xi);
      int ei = eOff + i * lde;
      int bi = bOff + i * ldb;
      for (int j = 0; j < bound; j += L) {
        FloatVector t = FloatVector.fromArray(S, y, yOff + j).mul(vx);
        (b == null ? t.add(zero) : FloatVector.fromArray(S, b, bi + j).fma(vd, t))
            .intoArray(e, ei + j);
      }
      rank1Tail(bound, n, beta, b, bi, xi, y, yOff, e, ei);
    }
  }

  /** W = W - a (x y' + 0): {@link #subtract} without the decay. */
  static void subtractRank1(int m, int n, float a, float[] x, int xOff, float[] y, int yOff,
      float[] w, int wOff, int ldw) {
    subtract(m, n, a, false, 0f, x, xOff, y, yOff, w, wOff, ldw);
  }

  /** W = W - a (beta W + x y'): {@link #subtract} with the decay. */
  static void subtractDecayedRank1(int m, int n, float a, float beta, float[] x, int xOff,
      float[] y, int yOff, float[] w, int wOff, int ldw) {
    subtract(m, n, a, true, beta, x, xOff, y, yOff, w, wOff, ldw);
  }

  /**
   * W = W - a e with e_ij = fma(w_ij, beta, x_i y_j) ({@code decayed}) or x_i y_j + 0, each
   * lane rounded as {@link #rank1From} (alpha 1) and then {@code subtractScaled} round it (the
   * product x_i y_j, the fma or the + 0, the product with a, the subtract), four rows per pass
   * over y.
   */
  private static void subtract(int m, int n, float a, boolean decayed, float beta, float[] x,
      int xOff, float[] y, int yOff, float[] w, int wOff, int ldw) {
    int bound = S.loopBound(n);
    FloatVector va = FloatVector.broadcast(S, a);
    FloatVector vb = FloatVector.broadcast(S, beta);
    FloatVector zero = FloatVector.zero(S);
    int i = 0;
    for (; i + 4 <= m; i += 4) {
      float x0 = x[xOff + i];
      float x1 = x[xOff + i + 1];
      float x2 = x[xOff + i + 2];
      float x3 = x[xOff + i + 3];
      int w0 = wOff + i * ldw;
      int w1 = w0 + ldw;
      int w2 = w1 + ldw;
      int w3 = w2 + ldw;
      for (int j = 0; j < bound; j += L) {
        FloatVector yv = FloatVector.fromArray(S, y, yOff + j);
        FloatVector v0 = FloatVector.fromArray(S, w, w0 + j);
        FloatVector v1 = FloatVector.fromArray(S, w, w1 + j);
        FloatVector v2 = FloatVector.fromArray(S, w, w2 + j);
        FloatVector v3 = FloatVector.fromArray(S, w, w3 + j);
        FloatVector e0 = decayed ? v0.fma(vb, yv.mul(x0)) : yv.mul(x0).add(zero);
        FloatVector e1 = decayed ? v1.fma(vb, yv.mul(x1)) : yv.mul(x1).add(zero);
        FloatVector e2 = decayed ? v2.fma(vb, yv.mul(x2)) : yv.mul(x2).add(zero);
        FloatVector e3 = decayed ? v3.fma(vb, yv.mul(x3)) : yv.mul(x3).add(zero);
        v0.sub(e0.mul(va)).intoArray(w, w0 + j);
        v1.sub(e1.mul(va)).intoArray(w, w1 + j);
        v2.sub(e2.mul(va)).intoArray(w, w2 + j);
        v3.sub(e3.mul(va)).intoArray(w, w3 + j);
      }
      for (int j = bound; j < n; j++) {
        float yj = y[yOff + j];
        subtractTail(a, decayed, beta, x0 * yj, w, w0 + j);
        subtractTail(a, decayed, beta, x1 * yj, w, w1 + j);
        subtractTail(a, decayed, beta, x2 * yj, w, w2 + j);
        subtractTail(a, decayed, beta, x3 * yj, w, w3 + j);
      }
    }
    for (; i < m; i++) {
      float xi = x[xOff + i];
      int wi = wOff + i * ldw;
      int j = 0;
      for (; j < bound; j += L) {
        FloatVector v = FloatVector.fromArray(S, w, wi + j);
        FloatVector t = FloatVector.fromArray(S, y, yOff + j).mul(xi);
        FloatVector e = decayed ? v.fma(vb, t) : t.add(zero);
        v.sub(e.mul(va)).intoArray(w, wi + j);
      }
      for (; j < n; j++) {
        subtractTail(a, decayed, beta, xi * y[yOff + j], w, wi + j);
      }
    }
  }

  /** One element of {@link #subtract}: w -= a e, e = fma(w, beta, t) or t + 0. */
  private static void subtractTail(float a, boolean decayed, float beta, float t, float[] w,
      int k) {
    w[k] -= a * (decayed ? Math.fma(w[k], beta, t) : 0f + t);
  }

  /** Columns [j0, n) of one row of the rank-1 update, e_j = beta b_j + xi y_j (b null: 0). */
  private static void rank1Tail(int j0, int n, float beta, float[] b, int bi, float xi,
      float[] y, int yOff, float[] e, int ei) {
    for (int j = j0; j < n; j++) {
      float t = xi * y[yOff + j];
      e[ei + j] = b == null ? t + 0f : Math.fma(b[bi + j], beta, t);
    }
  }
}
