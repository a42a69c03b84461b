package org.tca.numerics.kernels;

/**
 * Dense f64 kernels over row-major arrays. An f64 twin, {@code DoubleKernels}, is generated from
 * this file at build time.
 *
 * <p>Conventions (BLAS-like, so that matrix views cost nothing): a matrix argument is an array, an
 * offset of its element (0,0), and a leading dimension {@code ld} (the distance between the
 * starts of consecutive rows, {@code ld >= cols}); element (i,j) is {@code a[off + i*ld + j]}.
 * A vector is an array and an offset, with unit stride. Outputs may not alias inputs unless a
 * method says so. Implementations are stateless and thread-safe, and allocate nothing once
 * warmed up (scratch buffers are per thread and reused).
 *
 * <p>Two implementations exist: a scalar reference ({@code ScalarDoubleKernels}) and a Vector API
 * one ({@code VectorDoubleKernels}); {@link Kernels} picks one once per JVM.
 */
public interface DoubleKernels {

  /** "scalar" or "vector". */
  String name();

  /** Width in bits of the SIMD registers this implementation uses (32 for scalar f64). */
  int vectorBits();

  // ------------------------------------------------------------------ level 3

  /**
   * C += alpha * op(A) * op(B), with C m x n, op(A) m x k and op(B) k x n. When {@code transA}
   * A is stored k x m (row-major, leading dimension lda) and op(A) = A'; likewise for B, stored
   * n x k when {@code transB}. The cases BPTT needs are NN, TN and NT; TT is supported too.
   */
  void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c, int cOff, int ldc);

  /**
   * Elements of the buffer {@link #packB} fills for a k x n op(B) (0 when this implementation
   * keeps no packed form).
   */
  int packedSize(int k, int n);

  /**
   * Packs alpha * op(B) (k x n, stored as for {@link #gemm}) into {@code bp} from {@code bpOff}
   * ({@link #packedSize} elements), for {@link #gemmPacked} calls that reuse one B, e.g. W_rec
   * over the T steps of a recurrence. A no-op where the packed size is 0.
   */
  void packB(boolean transB, int k, int n, double alpha, double[] b, int bOff, int ldb,
      double[] bp, int bpOff);

  /**
   * C += alpha * op(A) * op(B) as {@link #gemm}, with {@code bp} holding what
   * {@link #packB}(transB, k, n, alpha, b, bOff, ldb, bp, bpOff) wrote (B unchanged since): the
   * result is bit for bit that of the same {@link #gemm} call, without packing B again.
   */
  void gemmPacked(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] bp, int bpOff,
      double[] c, int cOff, int ldc);

  // ------------------------------------------------------------------ level 2

  /** y += alpha * A x, with A m x n, x of length n, y of length m. */
  void gemv(int m, int n, double alpha, double[] a, int aOff, int lda,
      double[] x, int xOff, double[] y, int yOff);

  /** y += alpha * A' x, with A m x n, x of length m, y of length n. */
  void gemvT(int m, int n, double alpha, double[] a, int aOff, int lda,
      double[] x, int xOff, double[] y, int yOff);

  /**
   * Decayed rank-1 update E = decay * E + alpha * x y', with E m x n, x of length m and y of
   * length n (an eligibility-trace step; decay = 1 gives BLAS ger).
   */
  void decayedRank1(int m, int n, double decay, double alpha, double[] x, int xOff,
      double[] y, int yOff, double[] e, int eOff, int lde);

  /**
   * E = beta * B + alpha * x y' with B m x n (leading dimension ldb; B may be E itself, then
   * this is {@link #decayedRank1} and rounds the same), or, with {@code b} null, E = alpha * x y'
   * without reading E (rounded as a decayedRank1 with decay 1 on a zeroed E: -0 becomes +0).
   * A copy of B into E followed by a decayedRank1 gives the same bits in two passes.
   */
  void rank1From(int m, int n, double beta, double[] b, int bOff, int ldb, double alpha,
      double[] x, int xOff, double[] y, int yOff, double[] e, int eOff, int lde);

  /**
   * W = W - a (x y' + 0) with W m x n (leading dimension ldw), each element rounded three times
   * (the product, the + 0, the subtract; no fused multiply-add): the same bits as
   * {@code rank1From} with B null and alpha 1 into a buffer followed by {@link #subtractScaled}
   * of each row, in one pass over W (a plain gradient step on a rank-1 gradient).
   */
  void subtractRank1(int m, int n, double a, double[] x, int xOff, double[] y, int yOff,
      double[] w, int wOff, int ldw);

  /**
   * W = W - a (beta W + x y') with W m x n (leading dimension ldw): a gradient step on a rank-1
   * gradient plus beta W (weight decay), the same bits as {@link #rank1From} with B = W and
   * alpha 1 into a buffer followed by {@link #subtractScaled} of each row, in one pass over W.
   */
  void subtractDecayedRank1(int m, int n, double a, double beta, double[] x, int xOff, double[] y,
      int yOff, double[] w, int wOff, int ldw);

  /**
   * y = beta y + sum_{q &lt; count} x[idx_q] A[idx_q, :] over the listed rows of A (n columns,
   * row stride lda): A' x for a sparse x whose nonzeros are listed in {@code idx}. Per element
   * the terms are added in list order after beta y (beta = 0: y is not read).
   */
  void gatherRows(int n, double beta, double[] a, int aOff, int lda, double[] x, int xOff,
      int[] idx, int count, double[] y, int yOff);

  // ------------------------------------------------------------------ level 1

  /** y += alpha * x. */
  void axpy(int n, double alpha, double[] x, int xOff, double[] y, int yOff);

  /** y = alpha * x + beta * y. */
  void axpby(int n, double alpha, double[] x, int xOff, double beta, double[] y, int yOff);

  /** y = y - alpha * x, rounded twice (the product, then the difference: no fused multiply-add). */
  void subtractScaled(int n, double alpha, double[] x, int xOff, double[] y, int yOff);

  /**
   * One momentum step on elements [off, off + n) of p and b from g[gOff ..], each operation
   * rounded as written (no fused multiply-add): heavy ball b_i = mu b_i + s g_i,
   * p_i = p_i - eta b_i; Nesterov h = s g_i, b_i = mu b_i + h, p_i = p_i - eta (h + mu b_i).
   */
  void momentum(int n, double s, double mu, double eta, boolean nesterov, double[] g, int gOff,
      double[] b, double[] p, int off);

  /**
   * One Adam step on elements [off, off + n) of p, m and v from g[gOff ..], each operation
   * rounded as written (no fused multiply-add, so every provider gives the same bits):
   * h = s g_i, m_i = b1 m_i + c1 h, v_i = b2 v_i + c2 (h h),
   * p_i = p_i - step (m_i / (sqrt(v_i) r + e)).
   */
  void adam(int n, double s, double b1, double c1, double b2, double c2, double step, double r,
      double e, double[] g, int gOff, double[] m, double[] v, double[] p, int off);

  /** x = alpha * x. */
  void scale(int n, double alpha, double[] x, int xOff);

  /** z = x * y elementwise (z may alias x or y). */
  void mul(int n, double[] x, int xOff, double[] y, int yOff, double[] z, int zOff);

  /** sum_i x_i y_i. */
  double dot(int n, double[] x, int xOff, double[] y, int yOff);

  /** sum_i x_i. */
  double sum(int n, double[] x, int xOff);

  /** sum_i x_i^2. */
  double sumSquares(int n, double[] x, int xOff);

  /** max_i |x_i| (0 for n = 0; NaN if any x_i is NaN). */
  double maxAbs(int n, double[] x, int xOff);

  /** Euclidean norm sqrt(sum_i x_i^2). */
  default double norm2(int n, double[] x, int xOff) {
    return (double) Math.sqrt(sumSquares(n, x, xOff));
  }

  // ------------------------------------------------------------------ elementwise

  /** y = f(x) elementwise (y may alias x). */
  void activation(Activation f, int n, double[] x, int xOff, double[] y, int yOff);

  /** y = f'(x) elementwise (y may alias x). */
  void activationDerivative(Activation f, int n, double[] x, int xOff, double[] y, int yOff);

  /** y = g * f'(x) elementwise, the backward step through f (y may alias x or g). */
  void mulActivationDerivative(Activation f, int n, double[] x, int xOff,
      double[] g, int gOff, double[] y, int yOff);

  /**
   * Thresholds n units with adaptive thresholds and a hold-off counter, elementwise; the units
   * i &gt;= {@code first} adapt:
   *
   * <pre>
   *   a_i = rho aPrev_i + zPrev_i                            (i &gt;= first; a is not written below)
   *   m_i = v_i - theta  (i &lt; first),   m_i = (v_i - theta) - beta a_i  (i &gt;= first)
   *   h_i &gt; 0:  z_i = 0,         d_i = 0,                             h_i &lt;- h_i - 1
   *   h_i = 0:  z_i = [m_i &gt; 0],  d_i = c max(0, 1 - |m_i| / theta),  h_i &lt;- z_i ? hold : 0
   * </pre>
   *
   * each a single IEEE operation in this order (no fused multiply-add), so every provider returns
   * the same bits. When {@code events} is not null, the indices i with z_i = 1 are appended to it
   * in ascending order from {@code count}; returns the new count ({@code count} when null).
   */
  int threshold(int n, int first, double theta, double beta, double rho, double c, int hold,
      double[] v, int vOff, double[] aPrev, int apOff, double[] a, int aOff, double[] zPrev,
      int zpOff, double[] z, int zOff, double[] d, int dOff, int[] h, int hOff, int[] events,
      int count);

  /**
   * Appends to {@code indices} from {@code count} the i in [0, n) with x_i != 0, ascending;
   * returns the new count m. The room indices[count, count + n) must exist; what it holds past
   * m afterwards is unspecified (a provider may store whole vectors of indices there).
   */
  int nonzeroIndices(int n, double[] x, int xOff, int[] indices, int count);

  /**
   * z = x .* y (as {@link #mul}) and, in the same pass, appends to {@code indices} from
   * {@code count} the i in [0, n) with z_i != 0, ascending (as {@link #nonzeroIndices} of z,
   * with the same room); returns the new count.
   */
  int mulNonzero(int n, double[] x, int xOff, double[] y, int yOff, double[] z, int zOff,
      int[] indices, int count);

  // ------------------------------------------------------------------ row-wise

  /** Each row of Y (m x n) = softmax of the same row of X: y_j = exp(x_j - max) / sum. */
  void softmaxRows(int m, int n, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy);

  /** Each row of Y = log softmax of the row of X: y_j = x_j - max - log sum_k exp(x_k - max). */
  void logSoftmaxRows(int m, int n, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy);

  /**
   * Softmax cross-entropy of m rows of logits X (m x n) against integer labels in [0, n):
   * returns sum_r -log softmax(x_r)[label_r]. When {@code grad} is not null it receives
   * dLoss/dX = softmax(x_r) - onehot(label_r) per row (not divided by m).
   */
  double softmaxCrossEntropy(int m, int n, double[] x, int xOff, int ldx, int[] labels, int labelsOff,
      double[] grad, int gradOff, int ldg);
}
