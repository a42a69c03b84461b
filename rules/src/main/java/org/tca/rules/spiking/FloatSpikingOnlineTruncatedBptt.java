package org.tca.rules.spiking;

import java.util.Arrays;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.model.Block;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;

/**
 * Truncated BPTT(k) on LIF/ALIF neurons ({@code "tbptt"}), offline (the sweep of
 * {@link FloatSpikingTruncatedBptt}) and online. Online (B = 1), step s keeps the last
 * L = min(k, T) steps' psi_r and presynaptic values q_r = [x_r | z_{r-1}] in a ring and sends
 * the credit injected at s back through the window, r = s, s-1, ..., max(0, s-k+1), with the
 * recursion of the offline rule:
 *
 * <pre>
 *   gz_r = kappa^(s-r) W_out' dy_s + [r &lt; s] ((W_rec' - v_th) du_{r+1} + ga_{r+1})
 *   du_r = psi_r . gz_r + [r &lt; s] alpha du_{r+1},   ga_r = -beta psi_r . gz_r + rho ga_{r+1}
 *   g_s  = sum_r du_r q_r' + w_s l2 W   (+ the exact readout gradient of step s)
 * </pre>
 *
 * so that with fixed weights the g_s sum to the offline estimate, the sum over origins being the
 * same. O(k N^2) per step, (N + N_in + N) L values of state, independent of T.
 *
 * <p>The firing-rate term injects rbar = dR/dz_s = c_r (r - r_0) / T at every origin s, a factor
 * known only at the last step that meets a different window at each s. Its part of the estimate
 * is linear in rbar: with row m of DU^s_r (N x N) the du_r of the unit credit gz_s = e_m (no
 * readout term), the recursion above on all rows at once (GA the adaptation carry, ALIF columns),
 *
 * <pre>
 *   DU^s_s = diag(psi_s),   GA^s_s = -beta DU^s_s
 *   GZ^s_r = DU^s_{r+1} W_rec - v_th DU^s_{r+1} + GA^s_{r+1}                          (r &lt; s)
 *   DU^s_r = GZ^s_r diag(psi_r) + alpha DU^s_{r+1}
 *   GA^s_r = -beta GZ^s_r diag(psi_r) + rho GA^s_{r+1}
 *   S_r = sum_{s = r}^{min(r + k - 1, T - 1)} DU^s_r            (summed over the origins first)
 *   G_m = sum_r S_r[m]' q_r',   g_{T-1} += sum_m rbar_m G_m
 * </pre>
 *
 * one accumulator G_m per neuron over the synapses (N x (N_in + N)). Row m of DU^s is zero when
 * psi_{m,s} = 0: only the a_s units with psi_{m,s} != 0 are run, O(k a_s N^2) per step. Each
 * origin adds its rows into the ring slot S_r (N x N) of each step r of its window; slot r is
 * complete once origin r + k - 1 (or the last step) has run, and only then goes into G, once,
 * over the nonzero presynaptic values (G_c += q_r[c] S_r, G stored as N_in + N blocks G_c of
 * N x N): O(nnz(q_r) N^2) per step in place of a rank-one update per origin, O(k a_s N (N_in + N)).
 * G (N^2 (N_in + N) values) and the ring of S (L N^2) are state, kept only when c_r &gt; 0. The
 * step that ends the sequence also returns the rate term R.
 */
public final class FloatSpikingOnlineTruncatedBptt extends FloatSpikingOnlineRule {

  private final FloatSpikingTruncatedBptt offline;
  private final int window;

  /** tBPTT(k) with the given kernels. */
  public FloatSpikingOnlineTruncatedBptt(SpikingConfig config, int window, FloatKernels kernels) {
    FloatSpikingTruncatedBptt offline = new FloatSpikingTruncatedBptt(config, window, kernels);
    super(offline.network, offline.id(), offline.settings());
    this.offline = offline;
    this.window = window;
  }

  /**
   * The online ring, psi_r and q_r = [x_r | z_{r-1}] of the last L = min(k, T) steps, and the
   * rate term's accumulators G ((N_in + N) x N x N) and ring of S (L x N x N) (c_r &gt; 0).
   */
  @Override
  public long stateBytesPerSample(int steps) {
    long length = Math.min(window, steps);
    long rate = config.rateCost() > 0 ? (long) n * n * (width + length) : 0;
    return (long) Float.BYTES * (length * (n + width) + rate);
  }

  @Override
  public FloatSpikingOnlineTruncatedBpttWorkspace newWorkspace(int batchSize, int steps) {
    return new FloatSpikingOnlineTruncatedBpttWorkspace(config, network, batchSize, steps,
        Math.min(window, steps), () -> offline.newWorkspace(batchSize, steps));
  }

  /** The online workspace (with a ring of min(k, T) steps), and offline the sweep's. */
  @Override
  public long workspaceValues(long b, long steps, boolean online) {
    return FloatSpikingOnlineTruncatedBpttWorkspace.values(config, Math.min(window, steps))
        + (online ? 0 : offline.workspaceValues(b, steps, false));
  }

  @Override
  public double gradient(FloatParameters p, FloatBatch batch, FloatWorkspace ws, float[] grad) {
    return offline.gradient(p, batch,
        FloatSpikingOnlineTruncatedBpttWorkspace.cast(ws).offline(), grad);
  }

  @Override
  public void beginOnline(FloatParameters p, FloatWorkspace workspace) {
    FloatSpikingOnlineTruncatedBpttWorkspace ws =
        FloatSpikingOnlineTruncatedBpttWorkspace.cast(workspace);
    ws.sample.reset();
    if (ws.g != null) {
      Arrays.fill(ws.g, 0f);
      Arrays.fill(ws.d, 0f);
    }
  }

  @Override
  public double stepOnline(FloatParameters p, FloatBatch batch, int t, FloatWorkspace workspace,
      float[] grad) {
    FloatSpikingOnlineTruncatedBpttWorkspace ws =
        FloatSpikingOnlineTruncatedBpttWorkspace.cast(workspace);
    FloatSpikingSample s = ws.sample;
    s.beginStep(p, batch, t);
    if (batch.steps() > ws.stepCapacity() && ws.length < window) {
      throw new IllegalArgumentException("batch of " + batch.steps() + " steps exceeds the"
          + " workspace's " + ws.stepCapacity() + " (its ring holds " + ws.length + " steps)");
    }
    s.advance(batch, t, 0);
    int slot = (t % ws.length) * width;
    System.arraycopy(s.psi, s.cur(), ws.psi, (t % ws.length) * n, n);
    System.arraycopy(batch.x(), batch.xOffset(t, 0), ws.q, slot, nIn);
    System.arraycopy(s.z, s.prev(), ws.q, slot + nIn, n);
    Arrays.fill(grad, 0f);
    boolean upstream = p.trainable(Block.W_IN) || p.trainable(Block.W_REC);
    float w = s.weight(batch, t);
    double j = 0;
    if (w != 0f) {
      j = w * s.readout(p, batch, t, 0, w, 1f, grad);
      if (upstream) {
        window(p, t, ws, grad);
      }
      s.addL2(p, w, grad);
    }
    if (ws.g != null) {
      if (upstream) {
        rateWindow(p, t, ws);
        // no later origin reaches step t - k + 1; the last step completes every slot
        int oldest = t - window + 1;
        for (int r = Math.max(0, oldest); r <= (t == batch.steps() - 1 ? t : oldest); r++) {
          flushRate(r, ws);
        }
      }
      if (t == batch.steps() - 1) {
        j += s.rate(batch.steps(), ws.signal);
        if (upstream) {
          emitRate(p, ws, grad);
        }
      }
    }
    p.maskGradient(grad);
    return j;
  }

  /** The readout's recursion of the class comment from origin s back through the ring. */
  private void window(FloatParameters p, int s, FloatSpikingOnlineTruncatedBpttWorkspace ws,
      float[] grad) {
    float[] par = p.data();
    int wIn = p.view(Block.W_IN).offset();
    int wRec = p.view(Block.W_REC).offset();
    Arrays.fill(ws.signal, 0f);
    k.gemvT(nOut, n, 1f, par, p.view(Block.W_OUT).offset(), n, ws.sample.dy, 0, ws.signal, 0);
    Arrays.fill(ws.ga, 0, n, 0f);
    float decay = 1f;
    for (int r = s, stop = Math.max(0, s - window + 1); r >= stop; r--) {
      Arrays.fill(ws.gz, 0, n, 0f);
      k.axpy(n, decay, ws.signal, 0, ws.gz, 0);
      decay *= kappa;
      if (r < s) {
        k.gemvT(n, n, 1f, par, wRec, n, ws.duNext, 0, ws.gz, 0);
        addReset(1, ws);
      }
      cellStep(r, 1, r < s, ws);
      int slot = (r % ws.length) * width;
      k.decayedRank1(n, nIn, 1f, 1f, ws.du, 0, ws.q, slot, grad, wIn, nIn);
      k.decayedRank1(n, n, 1f, 1f, ws.du, 0, ws.q, slot + nIn, grad, wRec, n);
      ws.swap();
    }
  }

  /**
   * The rate term's recursion from origin s, one row per unit m with psi_{m,s} != 0 (listed in
   * ws.active), each DU^s_r[m] added into the ring slot S_r[m].
   */
  private void rateWindow(FloatParameters p, int s, FloatSpikingOnlineTruncatedBpttWorkspace ws) {
    int rows = k.nonzeroIndices(n, ws.psi, (s % ws.length) * n, ws.active, 0);
    if (rows == 0) {
      return;
    }
    float[] par = p.data();
    int wRec = p.view(Block.W_REC).offset();
    int size = rows * n;
    Arrays.fill(ws.ga, 0, size, 0f);
    for (int r = s, stop = Math.max(0, s - window + 1); r >= stop; r--) {
      Arrays.fill(ws.gz, 0, size, 0f);
      if (r == s) {
        for (int i = 0; i < rows; i++) {
          ws.gz[i * n + ws.active[i]] = 1f;
        }
      } else {
        k.gemm(false, false, rows, n, n, 1f, ws.duNext, 0, n, par, wRec, n, ws.gz, 0, n);
        addReset(rows, ws);
      }
      cellStep(r, rows, r < s, ws);
      int slot = (r % ws.length) * n * n;
      for (int i = 0; i < rows; i++) {
        k.axpy(n, 1f, ws.du, i * n, ws.d, slot + ws.active[i] * n);
      }
      ws.swap();
    }
  }

  /** G_c += q_r[c] S_r for every column c with q_r[c] != 0, then clears the slot S_r. */
  private void flushRate(int r, FloatSpikingOnlineTruncatedBpttWorkspace ws) {
    int slot = (r % ws.length) * n * n;
    int q = (r % ws.length) * width;
    for (int c = 0; c < width; c++) {
      float v = ws.q[q + c];
      if (v != 0f) {
        k.axpy(n * n, v, ws.d, slot, ws.g, c * n * n);
      }
    }
    Arrays.fill(ws.d, slot, slot + n * n, 0f);
  }

  /**
   * grad[W_in | W_rec] += sum_m rbar_m G_m, with rbar = dR/dz in ws.signal: column c of the
   * synapses gets G_c' rbar (into ws.gz first).
   */
  private void emitRate(FloatParameters p, FloatSpikingOnlineTruncatedBpttWorkspace ws,
      float[] grad) {
    int wIn = p.view(Block.W_IN).offset();
    int wRec = p.view(Block.W_REC).offset();
    for (int c = 0; c < width; c++) {
      Arrays.fill(ws.gz, 0, n, 0f);
      k.gemvT(n, n, 1f, ws.g, c * n * n, n, ws.signal, 0, ws.gz, 0);
      int col = c < nIn ? wIn + c : wRec + c - nIn;
      int stride = c < nIn ? nIn : n;
      for (int j = 0; j < n; j++) {
        grad[col + j * stride] += ws.gz[j];
      }
    }
  }

  /** gz += -v_th du_{r+1} + ga_{r+1} (ALIF columns) on {@code rows} rows. */
  private void addReset(int rows, FloatSpikingOnlineTruncatedBpttWorkspace ws) {
    k.axpy(rows * n, -threshold, ws.duNext, 0, ws.gz, 0);
    for (int i = 0; i < rows; i++) {
      k.axpy(n - first, 1f, ws.ga, i * n + first, ws.gz, i * n + first);
    }
  }

  /** du_r = psi_r . gz, ga = -beta du_r + rho ga (ALIF), then du_r += alpha du_{r+1} (later). */
  private void cellStep(int r, int rows, boolean later,
      FloatSpikingOnlineTruncatedBpttWorkspace ws) {
    int psi = (r % ws.length) * n;
    for (int i = 0; i < rows; i++) {
      k.mul(n, ws.psi, psi, ws.gz, i * n, ws.du, i * n);
      k.axpby(n - first, -beta, ws.du, i * n + first, rho, ws.ga, i * n + first);
    }
    if (later) {
      k.axpy(rows * n, alpha, ws.duNext, 0, ws.du, 0);
    }
  }

  @Override
  FloatSpikingSample sample(FloatWorkspace ws) {
    return FloatSpikingOnlineTruncatedBpttWorkspace.cast(ws).sample;
  }
}
