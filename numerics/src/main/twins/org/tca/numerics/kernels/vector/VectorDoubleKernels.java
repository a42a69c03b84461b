package org.tca.numerics.kernels.vector;

import jdk.incubator.vector.DoubleVector;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.DoubleKernels;

/**
 * The Vector API implementation of {@link DoubleKernels} (SPECIES_PREFERRED: 512-bit on Zen 4).
 * A facade: each kernel family lives in its own class ({@link VectorDoubleGemm},
 * {@link VectorDoubleLevel2}, {@link VectorDoubleLevel1}, {@link VectorDoubleActivations},
 * {@link VectorDoubleRows}).
 */
public final class VectorDoubleKernels implements DoubleKernels {

  @Override
  public String name() {
    return "vector";
  }

  @Override
  public int vectorBits() {
    return DoubleVector.SPECIES_PREFERRED.vectorBitSize();
  }

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c, int cOff, int ldc) {
    VectorDoubleGemm.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
  }

  @Override
  public int packedSize(int k, int n) {
    return VectorDoubleGemm.packedSize(k, n);
  }

  @Override
  public void packB(boolean transB, int k, int n, double alpha, double[] b, int bOff, int ldb,
      double[] bp, int bpOff) {
    VectorDoubleGemm.pack(transB, k, n, alpha, b, bOff, ldb, bp, bpOff);
  }

  @Override
  public void gemmPacked(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] bp, int bpOff,
      double[] c, int cOff, int ldc) {
    VectorDoubleGemm.gemmPacked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb,
        bp, bpOff, c, cOff, ldc);
  }

  @Override
  public void gemv(int m, int n, double alpha, double[] a, int aOff, int lda,
      double[] x, int xOff, double[] y, int yOff) {
    VectorDoubleLevel2.gemv(m, n, alpha, a, aOff, lda, x, xOff, y, yOff);
  }

  @Override
  public void gemvT(int m, int n, double alpha, double[] a, int aOff, int lda,
      double[] x, int xOff, double[] y, int yOff) {
    VectorDoubleLevel2.gemvT(m, n, alpha, a, aOff, lda, x, xOff, y, yOff);
  }

  @Override
  public void decayedRank1(int m, int n, double decay, double alpha, double[] x, int xOff,
      double[] y, int yOff, double[] e, int eOff, int lde) {
    VectorDoubleLevel2.decayedRank1(m, n, decay, alpha, x, xOff, y, yOff, e, eOff, lde);
  }

  @Override
  public void rank1From(int m, int n, double beta, double[] b, int bOff, int ldb, double alpha,
      double[] x, int xOff, double[] y, int yOff, double[] e, int eOff, int lde) {
    VectorDoubleLevel2.rank1From(m, n, beta, b, bOff, ldb, alpha, x, xOff, y, yOff, e, eOff, lde);
  }

  @Override
  public void subtractRank1(int m, int n, double a, double[] x, int xOff, double[] y, int yOff,
      double[] w, int wOff, int ldw) {
    VectorDoubleLevel2.subtractRank1(m, n, a, x, xOff, y, yOff, w, wOff, ldw);
  }

  @Override
  public void subtractDecayedRank1(int m, int n, double a, double beta, double[] x, int xOff,
      double[] y, int yOff, double[] w, int wOff, int ldw) {
    VectorDoubleLevel2.subtractDecayedRank1(m, n, a, beta, x, xOff, y, yOff, w, wOff, ldw);
  }

  @Override
  public void axpy(int n, double alpha, double[] x, int xOff, double[] y, int yOff) {
    VectorDoubleLevel1.axpy(n, alpha, x, xOff, y, yOff);
  }

  @Override
  public void subtractScaled(int n, double alpha, double[] x, int xOff, double[] y, int yOff) {
    VectorDoubleLevel1.subtractScaled(n, alpha, x, xOff, y, yOff);
  }

  @Override
  public void momentum(int n, double s, double mu, double eta, boolean nesterov, double[] g,
      int gOff, double[] b, double[] p, int off) {
    VectorDoubleLevel1.momentum(n, s, mu, eta, nesterov, g, gOff, b, p, off);
  }

  @Override
  public void adam(int n, double s, double b1, double c1, double b2, double c2, double step, double r,
      double e, double[] g, int gOff, double[] m, double[] v, double[] p, int off) {
    VectorDoubleLevel1.adam(n, s, b1, c1, b2, c2, step, r, e, g, gOff, m, v, p, off);
  }

  @Override
  public void axpby(int n, double alpha, double[] x, int xOff, double beta, double[] y, int yOff) {
    VectorDoubleLevel1.axpby(n, alpha, x, xOff, beta, y, yOff);
  }

  @Override
  public void scale(int n, double alpha, double[] x, int xOff) {
    VectorDoubleLevel1.scale(n, alpha, x, xOff);
  }

  @Override
  public void mul(int n, double[] x, int xOff, double[] y, int yOff, double[] z, int zOff) {
    VectorDoubleLevel1.mul(n, x, xOff, y, yOff, z, zOff);
  }

  @Override
  public double dot(int n, double[] x, int xOff, double[] y, int yOff) {
    return VectorDoubleLevel1.dot(n, x, xOff, y, yOff);
  }

  @Override
  public double sum(int n, double[] x, int xOff) {
    return VectorDoubleLevel1.sum(n, x, xOff);
  }

  @Override
  public double sumSquares(int n, double[] x, int xOff) {
    return VectorDoubleLevel1.sumSquares(n, x, xOff);
  }

  @Override
  public double maxAbs(int n, double[] x, int xOff) {
    return VectorDoubleLevel1.maxAbs(n, x, xOff);
  }

  @Override
  public void activation(Activation f, int n, double[] x, int xOff, double[] y, int yOff) {
    VectorDoubleActivations.activation(f, n, x, xOff, y, yOff);
  }

  @Override
  public void activationDerivative(Activation f, int n, double[] x, int xOff, double[] y, int yOff) {
    VectorDoubleActivations.activationDerivative(f, n, x, xOff, y, yOff);
  }

  @Override
  public void mulActivationDerivative(Activation f, int n, double[] x, int xOff,
      double[] g, int gOff, double[] y, int yOff) {
    VectorDoubleActivations.mulActivationDerivative(f, n, x, xOff, g, gOff, y, yOff);
  }

  @Override
  public void softmaxRows(int m, int n, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
    VectorDoubleRows.softmaxRows(m, n, x, xOff, ldx, y, yOff, ldy);
  }

  @Override
  public void logSoftmaxRows(int m, int n, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
    VectorDoubleRows.logSoftmaxRows(m, n, x, xOff, ldx, y, yOff, ldy);
  }

  @Override
  public double softmaxCrossEntropy(int m, int n, double[] x, int xOff, int ldx, int[] labels,
      int labelsOff, double[] grad, int gradOff, int ldg) {
    return VectorDoubleRows.softmaxCrossEntropy(m, n, x, xOff, ldx, labels, labelsOff, grad, gradOff, ldg);
  }

  @Override
  public int threshold(int n, int first, double theta, double beta, double rho, double c, int hold,
      double[] v, int vOff, double[] aPrev, int apOff, double[] a, int aOff, double[] zPrev,
      int zpOff, double[] z, int zOff, double[] d, int dOff, int[] h, int hOff, int[] events,
      int count) {
    return VectorDoubleThreshold.threshold(n, first, theta, beta, rho, c, hold, v, vOff, aPrev,
        apOff, a, aOff, zPrev, zpOff, z, zOff, d, dOff, h, hOff, events, count);
  }

  @Override
  public int nonzeroIndices(int n, double[] x, int xOff, int[] indices, int count) {
    return VectorDoubleThreshold.nonzeroIndices(n, x, xOff, indices, count);
  }

  @Override
  public int mulNonzero(int n, double[] x, int xOff, double[] y, int yOff, double[] z, int zOff,
      int[] indices, int count) {
    return VectorDoubleThreshold.mulNonzero(n, x, xOff, y, yOff, z, zOff, indices, count);
  }

  @Override
  public void gatherRows(int n, double beta, double[] a, int aOff, int lda, double[] x, int xOff,
      int[] idx, int count, double[] y, int yOff) {
    VectorDoubleGather.gatherRows(n, beta, a, aOff, lda, x, xOff, idx, count, y, yOff);
  }
}
