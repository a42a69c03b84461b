package org.tca.rules.learning;

import java.util.Arrays;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.rules.model.Block;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.optim.FloatOptimizer;
import org.tca.rules.optim.FloatSgd;
import org.tca.rules.optim.TrainableRanges;

/**
 * The online step of {@link FloatLocalRule} over the W_in | W_rec rows, a chunk of R rows at a
 * time (R x width <= {@link #CHUNK_FLOATS}, so a chunk stays in L1 between its two uses):
 *
 * <pre>
 *   full trace:  P_i <- d P_i + g psi_i q_t'  (row i of each block),  then
 *                G_i  = beta B_i + l_i P_i                       (B = W, or 0; beta = w l2, or 1)
 *   factored:    G_i  = beta B_i + (l_i psi_i) qbar_t'
 *   update:      theta_i <- optimizer(theta_i, G_i)              (fused: given an optimizer)
 * </pre>
 *
 * so the per-synapse trace P is read and written once per step (its update and the emission of
 * the same rows back to back), and with an optimizer the N x (N_in + N) gradient is never
 * written: each chunk of G goes from a chunk-sized buffer straight into
 * {@link FloatOptimizer#applySlice}. Factored, with plain SGD (theta_i <- theta_i - a (post_i
 * qbar_t' + 0), or with L2 theta_i - a (beta theta_i + post_i qbar_t')), a chunk of an unfrozen
 * block that lies in one trainable range skips the buffer: {@code subtractRank1} (with L2
 * {@code subtractDecayedRank1}) updates its rows in one pass and its disallowed entries are
 * then given the step on a zero gradient. Every element is rounded exactly as by the whole-matrix
 * kernels (row i of {@code rank1From}, {@code decayedRank1} and {@code axpby} does not depend
 * on the other rows), and a frozen block and the disallowed W_rec entries go to the optimizer
 * as the zeros {@link FloatLocalAssembly#mask} writes, so the results are those of the unfused
 * step bit for bit.
 */
final class FloatOnlineRows {

  /** The most floats a chunk of rows holds (16 KB). */
  static final int CHUNK_FLOATS = 4096;

  private final FloatKernels k;
  private final int n;
  private final int nIn;
  private final int recOff;
  private final int biasOff;
  private final float decay;
  private final float gain;

  FloatOnlineRows(FloatKernels k, int n, int nIn, int recOff, int biasOff, float decay,
      float gain) {
    this.k = k;
    this.n = n;
    this.nIn = nIn;
    this.recOff = recOff;
    this.biasOff = biasOff;
    this.decay = decay;
    this.gain = gain;
  }

  /** Length of the chunk buffer the workspace holds for a network of N_in inputs, N units. */
  static int bufferLength(int nIn, int n) {
    return Math.max(rows(nIn, n) * nIn, rows(n, n) * n);
  }

  /** Rows per chunk of a block of the given width: as many as fit, a multiple of 4, <= 16. */
  private static int rows(int width, int n) {
    int r = Math.min(16, Math.max(1, CHUNK_FLOATS / Math.max(1, width)));
    return Math.min(n, r >= 4 ? r & ~3 : r);
  }

  /**
   * Full trace: moves P from e_{t-1} to e_t (q_t = [x_t | z_{t-1} | 1]) and, with {@code emit},
   * emits diag(l) P into the W_in | W_rec | b_rec rows: into {@code grad} (optimizer null; with
   * the base of {@code ws} pending, the rows start as beta W or 0, else they are added to), or,
   * with an optimizer whose step has begun, through the chunk buffer into {@code params} (b_rec
   * still goes to {@code grad}).
   */
  void fullTrace(FloatLocalWorkspace ws, float[] x, int xOff, int prev, float[] l, boolean emit,
      float[] grad, FloatParameters p, FloatOptimizer optimizer) {
    float beta = ws.beta;
    boolean pending = ws.basePending;
    int[] masked = FloatLocalAssembly.masked(p, ws);
    int m = 0;
    for (int block = 0; block < 2; block++) {
      int off = block == 0 ? 0 : recOff;
      int width = block == 0 ? nIn : n;
      float[] q = block == 0 ? x : ws.z;
      int qOff = block == 0 ? xOff : prev;
      int chunk = rows(width, n);
      for (int i0 = 0; i0 < n; i0 += chunk) {
        int rows = Math.min(chunk, n - i0);
        int at = off + i0 * width;
        k.decayedRank1(rows, width, decay, gain, ws.psi, i0, q, qOff, ws.trace, at, width);
        if (!emit) {
          continue;
        }
        float[] dst = optimizer == null ? grad : ws.rows;
        int d = optimizer == null ? at : 0;
        if (pending) {
          if (ws.base != null) {
            System.arraycopy(ws.base, at, dst, d, rows * width);
          } else {
            Arrays.fill(dst, d, d + rows * width, 0f);
          }
        }
        for (int r = 0; r < rows; r++) {
          float li = l[i0 + r];
          if (li != 0f || beta != 1f) {
            k.axpby(width, li, ws.trace, at + r * width, beta, dst, d + r * width);
          }
        }
        if (optimizer != null) {
          m = apply(ws, p, block, at, rows * width, masked, m, optimizer);
        }
      }
    }
    if (biasOff >= 0) {
      k.axpby(n, gain, ws.psi, 0, decay, ws.trace, biasOff);
    }
    if (!emit) {
      return;
    }
    ws.beta = 1f;
    ws.basePending = false;
    if (pending) {
      Arrays.fill(grad, recOff + n * n, biasOff >= 0 ? biasOff + n : recOff + n * n, 0f);
    }
    if (biasOff >= 0) {
      k.mul(n, l, 0, ws.trace, biasOff, ws.post, 0);
      k.axpy(n, 1f, ws.post, 0, grad, biasOff);
    }
  }

  /**
   * Factored trace, fused: with ws.post = l . psi and the base pending, applies G = beta B +
   * post qbar' on W_in | W_rec through the chunk buffer to {@code params} (the optimizer's
   * step begun) and writes the b_rec rows post * qbar_bias into {@code grad}.
   */
  void factored(FloatLocalWorkspace ws, float[] grad, FloatParameters p,
      FloatOptimizer optimizer) {
    float beta = ws.beta;
    int[] masked = FloatLocalAssembly.masked(p, ws);
    boolean inPlace = ws.base == null || ws.base == p.data(); // the base, if any, is theta
    FloatSgd sgd = inPlace && optimizer instanceof FloatSgd s ? s : null;
    int m = 0;
    for (int block = 0; block < 2; block++) {
      int off = block == 0 ? 0 : recOff;
      int width = block == 0 ? nIn : n;
      int chunk = rows(width, n);
      for (int i0 = 0; i0 < n; i0 += chunk) {
        int rows = Math.min(chunk, n - i0);
        int at = off + i0 * width;
        int qOff = block == 0 ? 0 : nIn;
        if (sgd != null && direct(sgd, p, block, at, rows * width)) {
          m = subtractRows(ws, p.data(), sgd.factor(), beta, i0, rows, width, at, qOff,
              block == 1 ? masked : null, m);
          continue;
        }
        k.rank1From(rows, width, beta, ws.base, at, width, 1f, ws.post, i0, ws.pbar, qOff,
            ws.rows, 0, width);
        m = apply(ws, p, block, at, rows * width, masked, m, optimizer);
      }
    }
    ws.beta = 1f;
    ws.basePending = false;
    if (biasOff >= 0) {
      Arrays.fill(grad, biasOff, biasOff + n, 0f);
      k.axpy(n, ws.pbar[nIn + n], ws.post, 0, grad, biasOff);
    }
  }

  /**
   * Whether plain SGD may update params[at, at + length) in place, in one pass from the factors
   * (G = post qbar', or beta theta + post qbar'): the block is not frozen and the slice lies in
   * one trainable range, so {@link #apply} would hand every element of the chunk to
   * {@code applyRange}.
   */
  private static boolean direct(FloatSgd sgd, FloatParameters p, int block, int at, int length) {
    if (p.isFrozen(block == 0 ? Block.W_IN : Block.W_REC)) {
      return false;
    }
    TrainableRanges r = sgd.ranges();
    for (int q = 0; q < r.count(); q++) {
      if (r.offset(q) <= at && at + length <= r.offset(q) + r.length(q)) {
        return true;
      }
    }
    return false;
  }

  /**
   * theta_i <- theta_i - a (post_i qbar' + 0), or with the base (L2) theta_i - a (beta theta_i
   * + post_i qbar'), on the chunk's rows in one pass, then the disallowed entries in it (from
   * masked index {@code m} on) are set to their old value minus a * 0, the step on the zero
   * gradient {@link #apply} would give them (the old values wait in the chunk buffer); returns
   * {@code m} advanced past the chunk.
   */
  private int subtractRows(FloatLocalWorkspace ws, float[] theta, float a, float beta, int i0,
      int rows, int width, int at, int qOff, int[] masked, int m) {
    int m0 = m;
    float[] old = ws.rows;
    for (; masked != null && m < masked.length && masked[m] < at + rows * width; m++) {
      old[m - m0] = theta[masked[m]];
    }
    if (ws.base == null) {
      k.subtractRank1(rows, width, a, ws.post, i0, ws.pbar, qOff, theta, at, width);
    } else {
      k.subtractDecayedRank1(rows, width, a, beta, ws.post, i0, ws.pbar, qOff, theta, at, width);
    }
    for (int q = m0; q < m; q++) {
      theta[masked[q]] = old[q - m0] - a * 0f;
    }
    return m;
  }

  /**
   * Applies the chunk buffer's rows, params[at, at + length), as the masked gradient: 0 in a
   * frozen block and at the disallowed W_rec entries (as {@link FloatLocalAssembly#mask} leaves
   * them); {@code m} is the next masked index to look at, returned advanced.
   */
  private static int apply(FloatLocalWorkspace ws, FloatParameters p, int block, int at,
      int length, int[] masked, int m, FloatOptimizer optimizer) {
    float[] chunk = ws.rows;
    if (p.isFrozen(block == 0 ? Block.W_IN : Block.W_REC)) {
      Arrays.fill(chunk, 0, length, 0f);
    } else if (block == 1 && masked != null) {
      for (; m < masked.length && masked[m] < at + length; m++) {
        chunk[masked[m] - at] = 0f;
      }
    }
    optimizer.applySlice(p.data(), at, length, chunk, 0);
    return m;
  }
}
