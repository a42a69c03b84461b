package org.tca.rules.learning;

import java.util.Arrays;
import java.util.Map;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.numerics.storage.FloatMatrix;
import org.tca.rules.model.Block;
import org.tca.rules.model.Cell;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;

/**
 * ModProp (Liu et al. 2022): credit passed between neurons over all later steps through the
 * cell-type-averaged weights Wt ({@link FloatCellTypeMeans}), with every f' on that non-local
 * path replaced by the constant mu (default 0.25). The recursion is BPTT's for dJ/dz_t with
 * W_rec -&gt; Wt and f' -&gt; mu, and its output is the learning signal of the exact e-prop trace
 * ({@link FloatEprop}); with D_t = B dJ/dy_t (B = W_out' by default) and m_T = 0:
 *
 * <pre>
 *   voltage-leak: L_t = D_t + (1-a) Wt' m_{t+1},     m_t = mu L_t + a m_{t+1}
 *   rate-leak:    L_t = D_t + a mu Wt' m_{t+1},      m_t = L_t + (1-a) m_{t+1}
 *   dW_pq = sum_t L_{p,t} e_{pq,t}
 * </pre>
 *
 * Since Wt is constant on type blocks, (Wt' m)_p = sum_alpha M[alpha][type(p)] sigma_alpha with
 * sigma = the type sums of m, so only sigma is carried: with (c_L, c_m, d) = (1-a, mu, a)
 * (voltage) or (a mu, 1, 1-a) (rate),
 * L_t = D_t + c_L (M' sigma_{t+1})[type(p)], sigma_t = c_m S(L_t) + d sigma_{t+1}: O(N) per
 * sample and step offline. Online, the credit of a loss at s for the earlier traces is
 * sum_{t&lt;s} L^{(s)}_t e_t = sum_delta sigma_{s,delta} G_{delta,s} with sigma_s = c_m S(D_s) and
 * per-type traces (one matrix shaped like e per cell type)
 *
 * <pre>
 *   G_{delta,s+1} = sum_eps A[eps][delta] G_{eps,s} + c_L M[delta][type(p)] e_{pq,s},
 *   A[eps][delta] = c_m c_L n_eps M[delta][eps] + d [eps = delta]
 * </pre>
 *
 * (A is the type-level step sigma_t = A sigma_{t+1}); memory O(types x trace), not O(T).
 *
 * <p><b>Where mu sits.</b> Every path of credit from a loss at s back to the synapse pq at t < s
 * runs p -&gt; j_1 -&gt; ... -&gt; j_r (read out at s) and crosses r + 1 activation derivatives.
 * This class keeps the exact f'(v_p) at the updated neuron p (in e-prop's eligibility trace
 * e_pq = psi_p qbar_q) and puts mu at every later neuron j_1 .. j_r, including j_r, the one the
 * readout reads ("receiver" placement; the m_t recursion above). The authors' TensorFlow code
 * (ModProp, Liu et al. 2023: the activation with a custom gradient mu is applied to the copy of
 * z that feeds W_rec, the exact z feeding the readout) does the reverse: with G_t ~ dJ/dv_t,
 *
 * <pre>
 *   G_t = psi_t . D_t + mu (1-a) Wt' G_{t+1} + a G_{t+1},   dW_pq = sum_t (1-a) G_{p,t} q_{q,t}
 * </pre>
 *
 * that is mu at every neuron that sends credit on (p, j_1 .. j_{r-1}) and the exact f'(v_{j_r})
 * at the readout ("sender" placement). Both use one exact derivative per path; an independent
 * re-implementation (issue 15) found the two gradients 0.5-2.7% apart. tca implements the receiver
 * placement because it keeps the factorisation every bio rule here shares, dW = sum_t L_t e_t
 * with e-prop's exact local trace and a learning signal L that carries no neuron's instantaneous
 * derivative but the receiving synapse's own (only the constant mu and type-level sums cross
 * between neurons, as a cell-type neuromodulator would carry them), and with it the O(types x
 * trace) online recursion; with one step of propagation it is MDGL with f'(v_j) -&gt; mu. The
 * sender placement needs, per neuron, the exact f' of the neuron that is read out inside the
 * propagated signal and a trace without f' (qbar for voltage-leak); it is not offered as an
 * option yet.
 */
public final class FloatModProp extends FloatLocalRule {

  private final CellTypes types;
  private final double mu;
  private final float cl;
  private final float cm;

  /** ModProp with the given mu, feedback (the paper's: symmetric) and kernels. */
  public FloatModProp(ModelConfig config, double mu, Feedback feedback, FloatKernels kernels) {
    super(config, feedback, kernels);
    if (!Double.isFinite(mu)) {
      throw new IllegalArgumentException("mu must be finite, got " + mu);
    }
    this.types = CellTypes.of(config);
    this.mu = mu;
    boolean voltage = config.cell() == Cell.VOLTAGE_LEAK;
    this.cl = (float) (voltage ? gain : gain * mu);
    this.cm = (float) (voltage ? mu : 1.0);
  }

  /** ModProp with symmetric feedback. */
  public FloatModProp(ModelConfig config, double mu, FloatKernels kernels) {
    this(config, mu, Feedback.SYMMETRIC, kernels);
  }

  @Override
  public String id() {
    return "modprop";
  }

  /** mu, the stand-in for f' on the non-local path. */
  public double mu() {
    return mu;
  }

  /** The cell types. */
  public CellTypes types() {
    return types;
  }

  @Override
  void addSettings(Map<String, Object> s) {
    s.put("mu", mu);
    s.put("mu_placement", "receiver: mu at every later neuron, exact f' at the updated neuron");
    s.put("modulatory_weights", "cell-type block means of W_rec");
    s.put("cell_types", types.describe());
  }

  @Override
  void addAuxiliary(Map<String, FloatMatrix> m) {
    m.put("cell_types", FloatCellTypeMeans.assignmentMatrix(types));
  }

  @Override
  int typeCount() {
    return types.count();
  }

  @Override
  boolean onlineTypeTraces() {
    return true;
  }

  @Override
  void markActive(FloatBatch batch, int last, boolean[] active) {
    Arrays.fill(active, 0, last + 1, true);
  }

  /**
   * Offline, all B samples of a step at once, with type sums and broadcasts as gemv / rank-1
   * updates over the type's column range: sigma, S(D_t) and the non-local values are kept
   * type-major ([types][B]) in ws.sums.
   */
  @Override
  void addNonlocal(FloatParameters p, FloatBatch batch, FloatLocalWorkspace ws, int last) {
    int nt = types.count();
    int bs = batch.size();
    int nb = bs * n;
    float[] s = ws.sums;
    int sdOff = nt * bs;
    int nlOff = 2 * nt * bs;
    float[] m = ws.typeMeans;
    int wRec = p.view(Block.W_REC).offset();
    FloatCellTypeMeans.blockMeans(k, types, p.data(), wRec, m, ws.typeRows);
    Arrays.fill(s, 0, 3 * nt * bs, 0f);
    for (int t = last; t >= 0; t--) {
      int row0 = t * nb;
      boolean lossStep = batch.lossMask()[t] != 0f;
      if (lossStep) {
        FloatCellTypeMeans.rowTypeSums(k, types, bs, ws.signal, row0, ws.ones, s, sdOff);
      } else {
        Arrays.fill(s, sdOff, sdOff + nt * bs, 0f);
      }
      for (int b = 0; b < nt; b++) {
        for (int r = 0; r < bs; r++) {
          float v = 0f;
          for (int a = 0; a < nt; a++) {
            v += m[a * nt + b] * s[a * bs + r];
          }
          s[nlOff + b * bs + r] = cl * v;
        }
      }
      if (t < last) {
        FloatCellTypeMeans.addRowsByType(k, types, bs, s, nlOff, ws.ones, ws.signal, row0);
      }
      for (int a = 0; a < nt; a++) {
        int size = types.size(a);
        for (int r = 0; r < bs; r++) {
          int i = a * bs + r;
          s[i] = cm * (s[sdOff + i] + size * s[nlOff + i]) + decay * s[i];
        }
      }
    }
  }

  @Override
  void onlineAfterTrace(FloatParameters p, FloatLocalWorkspace ws, int t, boolean loss,
      float[] grad) {
    int nt = types.count();
    int prefix = p.layout().recurrentSize();
    float[] g = ws.typeTrace;
    float[] next = ws.typeTraceNext;
    float[] m = ws.typeMeans;
    int wRec = p.view(Block.W_REC).offset();
    FloatCellTypeMeans.blockMeans(k, types, p.data(), wRec, m, ws.typeRows);
    if (loss) {
      FloatCellTypeMeans.typeSums(types, ws.direct, 0, ws.typeScratch, 0);
      for (int d = 0; d < nt; d++) {
        float sigma = cm * ws.typeScratch[d];
        if (sigma != 0f) {
          k.axpy(prefix, sigma, g, d * prefix, grad, 0);
        }
      }
    }
    for (int d = 0; d < nt; d++) {
      int off = d * prefix;
      Arrays.fill(next, off, off + prefix, 0f);
      for (int e = 0; e < nt; e++) {
        float a = cm * cl * types.size(e) * m[d * nt + e] + (e == d ? decay : 0f);
        if (a != 0f) {
          k.axpy(prefix, a, g, e * prefix, next, off);
        }
      }
      addTrace(ws, m, d, next, off);
    }
    ws.typeTrace = next;
    ws.typeTraceNext = g;
  }

  /** next[off..] += c_L M[delta][type(p)] e_{pq,s} (row p of the current trace). */
  private void addTrace(FloatLocalWorkspace ws, float[] m, int d, float[] next, int off) {
    int nt = types.count();
    if (factored) {
      for (int b = 0; b < nt; b++) {
        float c = cl * m[d * nt + b];
        for (int p = types.start(b); p < types.end(b); p++) {
          ws.post[p] = c * ws.psi[p];
        }
      }
      k.decayedRank1(n, nIn, 1f, 1f, ws.post, 0, ws.pbar, 0, next, off, nIn);
      k.decayedRank1(n, n, 1f, 1f, ws.post, 0, ws.pbar, nIn, next, off + recOff, n);
      if (biasOff >= 0) {
        k.axpy(n, ws.pbar[nIn + n], ws.post, 0, next, off + biasOff);
      }
      return;
    }
    for (int b = 0; b < nt; b++) {
      float c = cl * m[d * nt + b];
      int s = types.start(b);
      int rows = types.size(b);
      k.axpy(rows * nIn, c, ws.trace, s * nIn, next, off + s * nIn);
      k.axpy(rows * n, c, ws.trace, recOff + s * n, next, off + recOff + s * n);
      if (biasOff >= 0) {
        k.axpy(rows, c, ws.trace, biasOff + s, next, off + biasOff + s);
      }
    }
  }
}
