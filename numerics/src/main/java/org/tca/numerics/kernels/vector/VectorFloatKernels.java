package org.tca.numerics.kernels.vector;

import jdk.incubator.vector.FloatVector;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.FloatKernels;

/**
 * The Vector API implementation of {@link FloatKernels} (SPECIES_PREFERRED: 512-bit on Zen 4).
 * A facade: each kernel family lives in its own class ({@link VectorFloatGemm},
 * {@link VectorFloatLevel2}, {@link VectorFloatLevel1}, {@link VectorFloatActivations},
 * {@link VectorFloatRows}).
 */
public final class VectorFloatKernels implements FloatKernels {

  @Override
  public String name() {
    return "vector";
  }

  @Override
  public int vectorBits() {
    return FloatVector.SPECIES_PREFERRED.vectorBitSize();
  }

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    VectorFloatGemm.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
  }

  @Override
  public int packedSize(int k, int n) {
    return VectorFloatGemm.packedSize(k, n);
  }

  @Override
  public void packB(boolean transB, int k, int n, float alpha, float[] b, int bOff, int ldb,
      float[] bp, int bpOff) {
    VectorFloatGemm.pack(transB, k, n, alpha, b, bOff, ldb, bp, bpOff);
  }

  @Override
  public void gemmPacked(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] bp, int bpOff,
      float[] c, int cOff, int ldc) {
    VectorFloatGemm.gemmPacked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb,
        bp, bpOff, c, cOff, ldc);
  }

  @Override
  public void gemv(int m, int n, float alpha, float[] a, int aOff, int lda,
      float[] x, int xOff, float[] y, int yOff) {
    VectorFloatLevel2.gemv(m, n, alpha, a, aOff, lda, x, xOff, y, yOff);
  }

  @Override
  public void gemvT(int m, int n, float alpha, float[] a, int aOff, int lda,
      float[] x, int xOff, float[] y, int yOff) {
    VectorFloatLevel2.gemvT(m, n, alpha, a, aOff, lda, x, xOff, y, yOff);
  }

  @Override
  public void decayedRank1(int m, int n, float decay, float alpha, float[] x, int xOff,
      float[] y, int yOff, float[] e, int eOff, int lde) {
    VectorFloatLevel2.decayedRank1(m, n, decay, alpha, x, xOff, y, yOff, e, eOff, lde);
  }

  @Override
  public void rank1From(int m, int n, float beta, float[] b, int bOff, int ldb, float alpha,
      float[] x, int xOff, float[] y, int yOff, float[] e, int eOff, int lde) {
    VectorFloatLevel2.rank1From(m, n, beta, b, bOff, ldb, alpha, x, xOff, y, yOff, e, eOff, lde);
  }

  @Override
  public void subtractRank1(int m, int n, float a, float[] x, int xOff, float[] y, int yOff,
      float[] w, int wOff, int ldw) {
    VectorFloatLevel2.subtractRank1(m, n, a, x, xOff, y, yOff, w, wOff, ldw);
  }

  @Override
  public void subtractDecayedRank1(int m, int n, float a, float beta, float[] x, int xOff,
      float[] y, int yOff, float[] w, int wOff, int ldw) {
    VectorFloatLevel2.subtractDecayedRank1(m, n, a, beta, x, xOff, y, yOff, w, wOff, ldw);
  }

  @Override
  public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    VectorFloatLevel1.axpy(n, alpha, x, xOff, y, yOff);
  }

  @Override
  public void subtractScaled(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    VectorFloatLevel1.subtractScaled(n, alpha, x, xOff, y, yOff);
  }

  @Override
  public void momentum(int n, float s, float mu, float eta, boolean nesterov, float[] g,
      int gOff, float[] b, float[] p, int off) {
    VectorFloatLevel1.momentum(n, s, mu, eta, nesterov, g, gOff, b, p, off);
  }

  @Override
  public void adam(int n, float s, float b1, float c1, float b2, float c2, float step, float r,
      float e, float[] g, int gOff, float[] m, float[] v, float[] p, int off) {
    VectorFloatLevel1.adam(n, s, b1, c1, b2, c2, step, r, e, g, gOff, m, v, p, off);
  }

  @Override
  public void axpby(int n, float alpha, float[] x, int xOff, float beta, float[] y, int yOff) {
    VectorFloatLevel1.axpby(n, alpha, x, xOff, beta, y, yOff);
  }

  @Override
  public void scale(int n, float alpha, float[] x, int xOff) {
    VectorFloatLevel1.scale(n, alpha, x, xOff);
  }

  @Override
  public void mul(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
    VectorFloatLevel1.mul(n, x, xOff, y, yOff, z, zOff);
  }

  @Override
  public float dot(int n, float[] x, int xOff, float[] y, int yOff) {
    return VectorFloatLevel1.dot(n, x, xOff, y, yOff);
  }

  @Override
  public float sum(int n, float[] x, int xOff) {
    return VectorFloatLevel1.sum(n, x, xOff);
  }

  @Override
  public float sumSquares(int n, float[] x, int xOff) {
    return VectorFloatLevel1.sumSquares(n, x, xOff);
  }

  @Override
  public float maxAbs(int n, float[] x, int xOff) {
    return VectorFloatLevel1.maxAbs(n, x, xOff);
  }

  @Override
  public void activation(Activation f, int n, float[] x, int xOff, float[] y, int yOff) {
    VectorFloatActivations.activation(f, n, x, xOff, y, yOff);
  }

  @Override
  public void activationDerivative(Activation f, int n, float[] x, int xOff, float[] y, int yOff) {
    VectorFloatActivations.activationDerivative(f, n, x, xOff, y, yOff);
  }

  @Override
  public void mulActivationDerivative(Activation f, int n, float[] x, int xOff,
      float[] g, int gOff, float[] y, int yOff) {
    VectorFloatActivations.mulActivationDerivative(f, n, x, xOff, g, gOff, y, yOff);
  }

  @Override
  public void softmaxRows(int m, int n, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
    VectorFloatRows.softmaxRows(m, n, x, xOff, ldx, y, yOff, ldy);
  }

  @Override
  public void logSoftmaxRows(int m, int n, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
    VectorFloatRows.logSoftmaxRows(m, n, x, xOff, ldx, y, yOff, ldy);
  }

  @Override
  public float softmaxCrossEntropy(int m, int n, float[] x, int xOff, int ldx, int[] labels,
      int labelsOff, float[] grad, int gradOff, int ldg) {
    return VectorFloatRows.softmaxCrossEntropy(m, n, x, xOff, ldx, labels, labelsOff, grad, gradOff, ldg);
  }

  @Override
  public int threshold(int n, int first, float theta, float beta, float rho, float c, int hold,
      float[] v, int vOff, float[] aPrev, int apOff, float[] a, int aOff, float[] zPrev,
      int zpOff, float[] z, int zOff, float[] d, int dOff, int[] h, int hOff, int[] events,
      int count) {
    return VectorFloatThreshold.threshold(n, first, theta, beta, rho, c, hold, v, vOff, aPrev,
        apOff, a, aOff, zPrev, zpOff, z, zOff, d, dOff, h, hOff, events, count);
  }

  @Override
  public int nonzeroIndices(int n, float[] x, int xOff, int[] indices, int count) {
    return VectorFloatThreshold.nonzeroIndices(n, x, xOff, indices, count);
  }

  @Override
  public int mulNonzero(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff,
      int[] indices, int count) {
    return VectorFloatThreshold.mulNonzero(n, x, xOff, y, yOff, z, zOff, indices, count);
  }

  @Override
  public void gatherRows(int n, float beta, float[] a, int aOff, int lda, float[] x, int xOff,
      int[] idx, int count, float[] y, int yOff) {
    VectorFloatGather.gatherRows(n, beta, a, aOff, lda, x, xOff, idx, count, y, yOff);
  }
}
