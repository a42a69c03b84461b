package org.tca.rules.spiking;

import java.util.Arrays;
import java.util.Map;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.model.Block;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;

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
 * same. O(k N^2) per step, (N + N_in + N) L values of state, independent of T. The firing-rate
 * term injects dR/dz_s = c_r (r - r_0) / T at every origin s, a factor known only at the last
 * step that meets a different window at each s (a per-neuron accumulator over the synapses would
 * be needed): with c_r &gt; 0 there is no online mode ({@link #supportsOnline} is false).
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
public final class FloatSpikingOnlineTruncatedBptt implements FloatLearningRule, SpikingRule {

  private final SpikingConfig config;
  private final FloatKernels k;
  private final FloatSpikingTruncatedBptt offline;
  private final int window;
  private final int n;
  private final int nIn;
  private final int nOut;
  private final int width;
  private final int first;
  private final float alpha;
  private final float rho;
  private final float kappa;
  private final float beta;
  private final float threshold;

  /** tBPTT(k) with the given kernels. */
  public FloatSpikingOnlineTruncatedBptt(SpikingConfig config, int window, FloatKernels kernels) {
    this.config = config;
    this.k = kernels;
    this.offline = new FloatSpikingTruncatedBptt(config, window, kernels);
    this.window = window;
    this.n = config.hidden();
    this.nIn = config.base().inputs();
    this.nOut = config.base().outputs();
    this.width = nIn + n;
    this.first = config.firstAdaptive();
    this.alpha = (float) config.alpha();
    this.rho = (float) config.rho();
    this.kappa = (float) config.kappa();
    this.beta = (float) config.beta();
    this.threshold = (float) config.threshold();
  }

  @Override
  public String id() {
    return offline.id();
  }

  @Override
  public ModelConfig config() {
    return config.base();
  }

  @Override
  public SpikingConfig spikingConfig() {
    return config;
  }

  @Override
  public Map<String, Object> settings() {
    return offline.settings();
  }

  /** The online ring: psi_r and q_r = [x_r | z_{r-1}] of the last min(k, T) steps. */
  @Override
  public long stateBytesPerSample(int steps) {
    return (long) Float.BYTES * Math.min(window, steps) * (n + width);
  }

  @Override
  public FloatSpikingOnlineTruncatedBpttWorkspace newWorkspace(int batchSize, int steps) {
    return new FloatSpikingOnlineTruncatedBpttWorkspace(config, offline.network, batchSize, steps,
        Math.min(window, steps), () -> offline.newWorkspace(batchSize, steps));
  }

  @Override
  public double gradient(FloatParameters p, FloatBatch batch, FloatWorkspace ws, float[] grad) {
    return offline.gradient(p, batch,
        FloatSpikingOnlineTruncatedBpttWorkspace.cast(ws).offline(), grad);
  }

  /** Only without the firing-rate term (c_r = 0): see the class comment. */
  @Override
  public boolean supportsOnline() {
    return config.rateCost() == 0;
  }

  @Override
  public void beginOnline(FloatParameters p, FloatWorkspace ws) {
    if (!supportsOnline()) {
      throw new UnsupportedOperationException("tbptt has no online mode with a firing-rate"
          + " term (c_r = " + config.rateCost() + " > 0)");
    }
    FloatSpikingOnlineTruncatedBpttWorkspace.cast(ws).sample.reset();
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
    float w = s.weight(batch, t);
    double j = 0;
    if (w != 0f) {
      j = w * s.readout(p, batch, t, 0, w, 1f, grad);
      if (p.trainable(Block.W_IN) || p.trainable(Block.W_REC)) {
        window(p, t, ws, grad);
      }
      s.addL2(p, w, grad);
    }
    p.maskGradient(grad);
    return j;
  }

  /** The recursion of the class comment from origin s back through the ring, into grad. */
  private void window(FloatParameters p, int s, FloatSpikingOnlineTruncatedBpttWorkspace ws,
      float[] grad) {
    float[] par = p.data();
    int wRec = p.view(Block.W_REC).offset();
    int wIn = p.view(Block.W_IN).offset();
    Arrays.fill(ws.signal, 0f);
    k.gemvT(nOut, n, 1f, par, p.view(Block.W_OUT).offset(), n, ws.sample.dy, 0, ws.signal, 0);
    Arrays.fill(ws.ga, 0f);
    float decay = 1f;
    for (int r = s, stop = Math.max(0, s - window + 1); r >= stop; r--) {
      Arrays.fill(ws.gz, 0f);
      k.axpy(n, decay, ws.signal, 0, ws.gz, 0);
      decay *= kappa;
      if (r < s) {
        k.gemvT(n, n, 1f, par, wRec, n, ws.duNext, 0, ws.gz, 0);
        k.axpy(n, -threshold, ws.duNext, 0, ws.gz, 0);
        k.axpy(n - first, 1f, ws.ga, first, ws.gz, first);
      }
      k.mul(n, ws.psi, (r % ws.length) * n, ws.gz, 0, ws.du, 0);
      k.axpby(n - first, -beta, ws.du, first, rho, ws.ga, first);
      if (r < s) {
        k.axpy(n, alpha, ws.duNext, 0, ws.du, 0);
      }
      int slot = (r % ws.length) * width;
      k.decayedRank1(n, nIn, 1f, 1f, ws.du, 0, ws.q, slot, grad, wIn, nIn);
      k.decayedRank1(n, n, 1f, 1f, ws.du, 0, ws.q, slot + nIn, grad, wRec, n);
      float[] tmp = ws.du;
      ws.du = ws.duNext;
      ws.duNext = tmp;
    }
  }
}
