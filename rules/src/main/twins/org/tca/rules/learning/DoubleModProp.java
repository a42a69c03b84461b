package org.tca.rules.learning;

import java.util.Arrays;
import java.util.Map;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.storage.DoubleMatrix;
import org.tca.rules.model.Block;
import org.tca.rules.model.Cell;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.ModelConfig;

/**
 * ModProp (Liu et al. 2022): credit passed between neurons over all later steps through the
 * cell-type-averaged weights Wt ({@link DoubleCellTypeMeans}), with every f' on that non-local
 * path replaced by the constant mu (default 0.25). The recursion is BPTT's for dJ/dz_t with
 * W_rec -&gt; Wt and f' -&gt; mu, and its output is the learning signal of the exact e-prop trace
 * ({@link DoubleEprop}); with D_t = B dJ/dy_t (B = W_out' by default) and m_T = 0:
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
 * <p><b>Where mu sits</b> ({@link MuPlacement}). Every path of credit from a loss at s back to
 * the synapse pq at t &lt; s runs p -&gt; j_1 -&gt; ... -&gt; j_r (read out at s) and crosses r + 1
 * activation derivatives. By default ("receiver" placement, the recursions above) the exact
 * f'(v_p) stays at the updated neuron p (in e-prop's eligibility trace e_pq = psi_p qbar_q) and
 * mu sits at every later neuron j_1 .. j_r, including j_r, the one the readout reads. The
 * authors' TensorFlow code (ModProp, Liu et al. 2023: the activation with a custom gradient mu is
 * applied to the copy of z that feeds W_rec, the exact z feeding the readout) does the reverse
 * ("sender" placement, {@code --mu-placement sender}, voltage-leak only): mu at every neuron that
 * sends credit on (p, j_1 .. j_{r-1}) and the exact f'(v_{j_r}) at the readout; with
 * G_t ~ dJ/dv_t, c = mu (1-a) and v_t = psi_t . D_t,
 *
 * <pre>
 *   G_t = v_t + c Wt' G_{t+1} + a G_{t+1},   dW_pq = sum_t (1-a) G_{p,t} q_{q,t}
 * </pre>
 *
 * Offline this is one backward filter over (steps x B) rows with type sums of G_{t+1} (so the
 * signal rows hold du_t = (1-a) G_t directly, {@link #nonlocalGivesDrive}). Online, G_t =
 * sum_{s &gt;= t} A^{s-t} v_s with A = a I + c Wt', and A^k = a^k I + K_k with K_k constant on
 * type blocks (kappa_k[type p][type j]), so the update emitted at a loss step s is e-prop's
 * (psi_s . D_s) qbar_s' plus, on every row p, sum_beta H_s[type p][beta] S_beta(v_s) with
 * per-type-pair presynaptic traces H (types^2 x (N_in + N + 1), not O(T)):
 *
 * <pre>
 *   H_{s+1}[g][b] = a H_s[g][b] + c sum_d M[d][g] n_d H_s[d][b] + c M[b][g] qbar_s,   H_0 = 0
 * </pre>
 *
 * The rate-leak cell has no counterpart in the authors' code (its f' acts on the drive u, before
 * the leak, so the state the readout and W_rec read is one and the same), so the sender
 * placement refuses it. Both placements use one exact derivative per path; an independent
 * re-implementation (issue 15) found the two gradients 0.5-2.7% apart. The receiver placement
 * is the default because it keeps the factorisation every bio rule here shares, dW = sum_t L_t
 * e_t with e-prop's exact local trace and a learning signal L that carries no neuron's
 * instantaneous derivative but the receiving synapse's own (only the constant mu and type-level
 * sums cross between neurons, as a cell-type neuromodulator would carry them); with one step of
 * propagation it is MDGL with f'(v_j) -&gt; mu. For a linear f with mu = 1 (psi = mu everywhere)
 * the two coincide, and with mu = 0 both are e-prop.
 */
public final class DoubleModProp extends DoubleLocalRule {

  private final CellTypes types;
  private final double mu;
  private final MuPlacement placement;
  private final boolean sender;
  private final double cl;
  private final double cm;
  private final double cs; // sender: mu (1-a)
  private final int width; // sender: N_in + N + 1

  /**
   * ModProp with the given mu and its placement, feedback (the paper's: symmetric) and kernels.
   *
   * @throws IllegalArgumentException for a non-finite mu, or the sender placement on a rate-leak
   *     cell
   */
  public DoubleModProp(ModelConfig config, double mu, MuPlacement placement, Feedback feedback,
      DoubleKernels kernels) {
    super(config, feedback, kernels);
    if (!Double.isFinite(mu)) {
      throw new IllegalArgumentException("mu must be finite, got " + mu);
    }
    boolean voltage = config.cell() == Cell.VOLTAGE_LEAK;
    if (placement == MuPlacement.SENDER && !voltage) {
      throw new IllegalArgumentException("ModProp's sender mu placement (the authors' code) is "
          + "defined for the voltage-leak cell only; use the receiver placement with "
          + config.cell().id());
    }
    this.types = CellTypes.of(config);
    this.mu = mu;
    this.placement = placement;
    this.sender = placement == MuPlacement.SENDER;
    this.cl = (double) (voltage ? gain : gain * mu);
    this.cm = (double) (voltage ? mu : 1.0);
    this.cs = (double) (mu * gain);
    this.width = nIn + n + 1;
  }

  /** ModProp with mu at the receiver and the given feedback. */
  public DoubleModProp(ModelConfig config, double mu, Feedback feedback, DoubleKernels kernels) {
    this(config, mu, MuPlacement.RECEIVER, feedback, kernels);
  }

  /** ModProp with mu at the receiver and symmetric feedback. */
  public DoubleModProp(ModelConfig config, double mu, DoubleKernels kernels) {
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

  /** Where mu sits. */
  public MuPlacement placement() {
    return placement;
  }

  /** The cell types. */
  public CellTypes types() {
    return types;
  }

  @Override
  void addSettings(Map<String, Object> s) {
    s.put("mu", mu);
    s.put("mu_placement", sender
        ? "sender: mu at every neuron that passes credit on, exact f' at the readout"
        : "receiver: mu at every later neuron, exact f' at the updated neuron");
    s.put("modulatory_weights", "cell-type block means of W_rec");
    s.put("cell_types", types.describe());
  }

  @Override
  void addAuxiliary(Map<String, DoubleMatrix> m) {
    m.put("cell_types", DoubleCellTypeMeans.assignmentMatrix(types));
  }

  @Override
  int typeCount() {
    return types.count();
  }

  @Override
  int typeTraceLength() {
    int nt = types.count();
    return sender ? nt * nt * width : nt * prefixLength();
  }

  @Override
  boolean nonlocalGivesDrive() {
    return sender;
  }

  @Override
  void markActive(DoubleBatch batch, int last, boolean[] active) {
    Arrays.fill(active, 0, last + 1, true);
  }

  /**
   * Offline, all B samples of a step at once, with type sums and broadcasts as gemv / rank-1
   * updates over the type's column range: sigma, S(D_t) and the non-local values are kept
   * type-major ([types][B]) in ws.sums.
   */
  @Override
  void addNonlocal(DoubleParameters p, DoubleBatch batch, DoubleLocalWorkspace ws, int last) {
    if (sender) {
      senderDrive(p, batch, ws, last);
      return;
    }
    int nt = types.count();
    int bs = batch.size();
    int nb = bs * n;
    double[] s = ws.sums;
    int sdOff = nt * bs;
    int nlOff = 2 * nt * bs;
    double[] m = ws.typeMeans;
    int wRec = p.view(Block.W_REC).offset();
    DoubleCellTypeMeans.blockMeans(k, types, p.data(), wRec, m, ws.typeRows);
    Arrays.fill(s, 0, 3 * nt * bs, 0d);
    for (int t = last; t >= 0; t--) {
      int row0 = t * nb;
      boolean lossStep = batch.lossMask()[t] != 0d;
      if (lossStep) {
        DoubleCellTypeMeans.rowTypeSums(k, types, bs, ws.signal, row0, ws.ones, s, sdOff);
      } else {
        Arrays.fill(s, sdOff, sdOff + nt * bs, 0d);
      }
      transposedProduct(m, cl, s, bs, nlOff);
      if (t < last) {
        DoubleCellTypeMeans.addRowsByType(k, types, bs, s, nlOff, ws.ones, ws.signal, row0);
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

  /**
   * s[out + beta * bs + r] = coeff (M' sigma_r)[beta] for the type sums sigma (type-major
   * [types][B] at s[0..]) of the B samples.
   */
  private void transposedProduct(double[] m, double coeff, double[] s, int bs, int out) {
    int nt = types.count();
    for (int b = 0; b < nt; b++) {
      for (int r = 0; r < bs; r++) {
        double v = 0d;
        for (int a = 0; a < nt; a++) {
          v += m[a * nt + b] * s[a * bs + r];
        }
        s[out + b * bs + r] = coeff * v;
      }
    }
  }

  /**
   * Sender placement, offline: G_t = psi_t . D_t + c Wt' G_{t+1} + a G_{t+1} backward over the
   * steps (G carried in ws.g, its type sums in ws.sums), leaving du_t = (1-a) G_t in the signal
   * rows (which hold D_t on entry).
   */
  private void senderDrive(DoubleParameters p, DoubleBatch batch, DoubleLocalWorkspace ws,
      int last) {
    int bs = batch.size();
    int nb = bs * n;
    double[] s = ws.sums;
    int nlOff = types.count() * bs;
    double[] m = ws.typeMeans;
    DoubleCellTypeMeans.blockMeans(k, types, p.data(), p.view(Block.W_REC).offset(), m,
        ws.typeRows);
    for (int t = last; t >= 0; t--) {
      int row0 = t * nb;
      k.mulActivationDerivative(f, nb, ws.trajectory.pre(), ws.trajectory.slot(t + 1),
          ws.signal, row0, ws.signal, row0);
      if (t < last) {
        DoubleCellTypeMeans.rowTypeSums(k, types, bs, ws.g, 0, ws.ones, s, 0);
        transposedProduct(m, cs, s, bs, nlOff);
        DoubleCellTypeMeans.addRowsByType(k, types, bs, s, nlOff, ws.ones, ws.signal, row0);
        if (decay != 0d) {
          k.axpy(nb, decay, ws.g, 0, ws.signal, row0);
        }
      }
      System.arraycopy(ws.signal, row0, ws.g, 0, nb);
      k.scale(nb, gain, ws.signal, row0);
    }
  }

  @Override
  boolean plainOnline() {
    return false;
  }

  @Override
  void onlineAfterTrace(DoubleParameters p, DoubleLocalWorkspace ws, int t, boolean loss,
      double[] grad) {
    if (sender) {
      senderOnline(p, ws, loss, grad);
      return;
    }
    int nt = types.count();
    int prefix = p.layout().recurrentSize();
    double[] g = ws.typeTrace;
    double[] next = ws.typeTraceNext;
    double[] m = ws.typeMeans;
    int wRec = p.view(Block.W_REC).offset();
    DoubleCellTypeMeans.blockMeans(k, types, p.data(), wRec, m, ws.typeRows);
    if (loss) {
      DoubleCellTypeMeans.typeSums(types, ws.direct, 0, ws.typeScratch, 0);
      for (int d = 0; d < nt; d++) {
        double sigma = cm * ws.typeScratch[d];
        if (sigma != 0d) {
          k.axpy(prefix, sigma, g, d * prefix, grad, 0);
        }
      }
    }
    for (int d = 0; d < nt; d++) {
      int off = d * prefix;
      Arrays.fill(next, off, off + prefix, 0d);
      for (int e = 0; e < nt; e++) {
        double a = cm * cl * types.size(e) * m[d * nt + e] + (e == d ? decay : 0d);
        if (a != 0d) {
          k.axpy(prefix, a, g, e * prefix, next, off);
        }
      }
      addTrace(ws, m, d, next, off);
    }
    ws.typeTrace = next;
    ws.typeTraceNext = g;
  }

  /**
   * Sender placement, online, after e-prop's emission (psi_s . D_s) qbar_s': adds
   * sum_beta H_s[type p][beta] S_beta(psi_s . D_s) to every row p at a loss step, then moves
   * H_s to H_{s+1} (H[g][b] at (g types + b) W in ws.typeTrace).
   */
  private void senderOnline(DoubleParameters p, DoubleLocalWorkspace ws, boolean loss,
      double[] grad) {
    int nt = types.count();
    double[] h = ws.typeTrace;
    double[] next = ws.typeTraceNext;
    double[] m = ws.typeMeans;
    DoubleCellTypeMeans.blockMeans(k, types, p.data(), p.view(Block.W_REC).offset(), m,
        ws.typeRows);
    if (loss) {
      k.mul(n, ws.direct, 0, ws.psi, 0, ws.tmp, 0);
      DoubleCellTypeMeans.typeSums(types, ws.tmp, 0, ws.typeScratch, 0);
      for (int g = 0; g < nt; g++) {
        for (int b = 0; b < nt; b++) {
          double sigma = ws.typeScratch[b];
          if (sigma != 0d) {
            addToRows(types.start(g), types.end(g), sigma, h, (g * nt + b) * width, grad);
          }
        }
      }
    }
    for (int g = 0; g < nt; g++) {
      for (int b = 0; b < nt; b++) {
        int off = (g * nt + b) * width;
        Arrays.fill(next, off, off + width, 0d);
        for (int d = 0; d < nt; d++) {
          double c = cs * types.size(d) * m[d * nt + g] + (d == g ? decay : 0d);
          if (c != 0d) {
            k.axpy(width, c, h, (d * nt + b) * width, next, off);
          }
        }
        k.axpy(width, cs * m[b * nt + g], ws.pbar, 0, next, off);
      }
    }
    ws.typeTrace = next;
    ws.typeTraceNext = h;
  }

  /** Rows [from, to) of W_in | W_rec | b_rec += c v' (v: N_in + N + 1 values at vOff). */
  private void addToRows(int from, int to, double c, double[] v, int vOff, double[] grad) {
    for (int q = from; q < to; q++) {
      k.axpy(nIn, c, v, vOff, grad, q * nIn);
      k.axpy(n, c, v, vOff + nIn, grad, recOff + q * n);
      if (biasOff >= 0) {
        grad[biasOff + q] += c * v[vOff + nIn + n];
      }
    }
  }

  /** next[off..] += c_L M[delta][type(p)] e_{pq,s} (row p of the current trace). */
  private void addTrace(DoubleLocalWorkspace ws, double[] m, int d, double[] next, int off) {
    int nt = types.count();
    if (factored) {
      for (int b = 0; b < nt; b++) {
        double c = cl * m[d * nt + b];
        for (int p = types.start(b); p < types.end(b); p++) {
          ws.post[p] = c * ws.psi[p];
        }
      }
      k.decayedRank1(n, nIn, 1d, 1d, ws.post, 0, ws.pbar, 0, next, off, nIn);
      k.decayedRank1(n, n, 1d, 1d, ws.post, 0, ws.pbar, nIn, next, off + recOff, n);
      if (biasOff >= 0) {
        k.axpy(n, ws.pbar[nIn + n], ws.post, 0, next, off + biasOff);
      }
      return;
    }
    for (int b = 0; b < nt; b++) {
      double c = cl * m[d * nt + b];
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
