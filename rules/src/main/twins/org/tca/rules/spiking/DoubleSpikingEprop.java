package org.tca.rules.spiking;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.numerics.storage.DoubleMatrix;
import org.tca.rules.learning.Feedback;
import org.tca.rules.learning.DoubleWorkspace;
import org.tca.rules.model.Block;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;

/**
 * e-prop on LIF/ALIF neurons (Bellec et al. 2020), offline and online. With q_t = [x_t | z_{t-1}]
 * the presynaptic values of W_in | W_rec, the eligibility traces are d z_{j,t} / d W_ji with
 * z_{t-1} entering v_t (recurrent input and reset) held constant and the neuron's own path
 * z_{j,t-1} -&gt; a_{j,t} kept:
 *
 * <pre>
 *   qbar_t     = alpha qbar_{t-1} + q_t                           (eps^v, shared by all j)
 *   eps^a_ji,t = (rho - beta psi_j,t-1) eps^a_ji,t-1 + psi_j,t-1 qbar_i,t-1        (ALIF)
 *   e_ji,t     = psi_j,t (qbar_i,t - beta eps^a_ji,t)             (LIF: psi_j,t qbar_i,t)
 *   ebar_ji,t  = kappa ebar_ji,t-1 + e_ji,t                        (the leaky readout)
 *   dW_ji      = sum_t L_j,t ebar_ji,t + sum_t dR/dz_j,t e_ji,t,   L_t = B dJ/dy_t
 * </pre>
 *
 * with B = W_out' ({@code "eprop"}) or a fixed random B ~ N(0, 1/N) ({@code "eprop-random"}).
 * The readout blocks get the exact gradient. Offline this is {@link DoubleSpikingGradient#eprop}
 * (the same sums swapped into one reverse sweep, nothing per synapse). Online (B = 1), step t
 * advances the traces and emits g_t = diag(L_t) ebar_t + w_t l2 W plus the readout gradient; at
 * the last step it also emits the firing-rate term diag(dR/dz) sum_t e_t (its factor r_j - r_0
 * is known only then; the running sum esum is kept only when c_r &gt; 0). With fixed weights the
 * g_t sum to the offline estimate, and the returned w_t l_t (plus the rate term at the last step)
 * to its data and rate loss. Memory: O(N (N_in + N)) per sample, independent of T.
 */
public final class DoubleSpikingEprop extends DoubleSpikingOnlineRule {

  private final DoubleSpikingGradient offline;
  private final double[] feedbackT; // B' (N_out x N), null for symmetric feedback (shared)

  /** e-prop with the given feedback (random: B ~ N(0, 1/N) from the feedback's seed). */
  public DoubleSpikingEprop(SpikingConfig config, Feedback feedback, DoubleKernels kernels) {
    DoubleSpikingGradient offline = DoubleSpikingGradient.eprop(config, feedback, kernels);
    Map<String, Object> settings = new LinkedHashMap<>(offline.settings());
    settings.put("online_trace", "per synapse: readout-filtered ebar (N x (N_in+N)), ALIF eps^a");
    super(offline.network(), offline.id(), settings);
    this.offline = offline;
    this.feedbackT = offline.feedbackTransposed();
  }

  /** e-prop with symmetric feedback B = W_out'. */
  public DoubleSpikingEprop(SpikingConfig config) {
    this(config, Feedback.SYMMETRIC, Kernels.f64());
  }

  /** e-prop with a fixed random B ~ N(0, 1/N) drawn from {@code seed}. */
  public static DoubleSpikingEprop random(SpikingConfig config, long seed, DoubleKernels kernels) {
    return new DoubleSpikingEprop(config, Feedback.random(seed, 1.0 / Math.sqrt(config.hidden())),
        kernels);
  }

  @Override
  public Map<String, DoubleMatrix> auxiliaryMatrices() {
    return offline.auxiliaryMatrices();
  }

  /**
   * The online traces (see {@link DoubleSpikingEpropWorkspace}): (N_in + N)(1 + N + N_a), plus
   * N (N_in + N) for the firing-rate sum when c_r &gt; 0; independent of T.
   */
  @Override
  public long stateBytesPerSample(int steps) {
    long rows = 1L + n + config.adaptiveCount() + (config.rateCost() > 0 ? n : 0);
    return (long) Double.BYTES * rows * width;
  }

  @Override
  public DoubleSpikingEpropWorkspace newWorkspace(int batchSize, int steps) {
    return new DoubleSpikingEpropWorkspace(network, batchSize, steps);
  }

  /** The online workspace, and offline the forward pass and sweep of {@link #offline}. */
  @Override
  public long workspaceValues(long b, long steps, boolean online) {
    return DoubleSpikingEpropWorkspace.values(config)
        + (online ? 0 : offline.workspaceValues(b, steps, false));
  }

  @Override
  public double gradient(DoubleParameters p, DoubleBatch batch, DoubleWorkspace ws, double[] grad) {
    return offline.gradient(p, batch, DoubleSpikingEpropWorkspace.cast(ws).offline(), grad);
  }

  @Override
  public void beginOnline(DoubleParameters p, DoubleWorkspace workspace) {
    DoubleSpikingEpropWorkspace ws = DoubleSpikingEpropWorkspace.cast(workspace);
    ws.sample.reset();
    Arrays.fill(ws.qbar, 0d);
    Arrays.fill(ws.ebar, 0d);
    Arrays.fill(ws.epsA, 0d);
    if (ws.esum != null) {
      Arrays.fill(ws.esum, 0d);
    }
  }

  @Override
  public double stepOnline(DoubleParameters p, DoubleBatch batch, int t, DoubleWorkspace workspace,
      double[] grad) {
    DoubleSpikingEpropWorkspace ws = DoubleSpikingEpropWorkspace.cast(workspace);
    DoubleSpikingSample s = ws.sample;
    s.beginStep(p, batch, t);
    s.advance(batch, t, 0);
    boolean upstream = p.trainable(Block.W_IN) || p.trainable(Block.W_REC);
    if (upstream) {
      updateTraces(ws, batch, t);
    }
    Arrays.fill(grad, 0d);
    double w = s.weight(batch, t);
    double j = 0;
    if (w != 0d) {
      j = w * s.readout(p, batch, t, 0, w, 1d, grad);
      if (upstream) {
        Arrays.fill(ws.signal, 0d);
        if (feedbackT == null) {
          k.gemvT(nOut, n, 1d, p.data(), p.view(Block.W_OUT).offset(), n, s.dy, 0, ws.signal,
              0);
        } else {
          k.gemvT(nOut, n, 1d, feedbackT, 0, n, s.dy, 0, ws.signal, 0);
        }
        emit(p, ws.signal, ws.ebar, grad);
      }
      s.addL2(p, w, grad);
    }
    if (ws.esum != null && t == batch.steps() - 1) {
      j += s.rate(batch.steps(), ws.signal);
      if (upstream) {
        emit(p, ws.signal, ws.esum, grad);
      }
    }
    p.maskGradient(grad);
    return j;
  }

  /** The traces of the class comment, from step t-1 to t (after the sample advanced). */
  private void updateTraces(DoubleSpikingEpropWorkspace ws, DoubleBatch batch, int t) {
    DoubleSpikingSample s = ws.sample;
    double[] psi = s.psi;
    int prev = s.prev();
    int cur = s.cur();
    for (int j = first, r = 0; j < n; j++, r += width) { // eps^a from qbar_{t-1}, psi_{t-1}
      double q = psi[prev + j];
      k.axpby(width, q, ws.qbar, 0, rho - beta * q, ws.epsA, r);
    }
    k.axpby(nIn, 1d, batch.x(), batch.xOffset(t, 0), alpha, ws.qbar, 0);
    k.axpby(n, 1d, s.z, prev, alpha, ws.qbar, nIn);
    k.decayedRank1(n, width, kappa, 1d, psi, cur, ws.qbar, 0, ws.ebar, 0, width);
    if (ws.esum != null) {
      k.decayedRank1(n, width, 1d, 1d, psi, cur, ws.qbar, 0, ws.esum, 0, width);
    }
    for (int j = first, r = 0; j < n; j++, r += width) {
      double c = -beta * psi[cur + j];
      if (c != 0d) {
        k.axpy(width, c, ws.epsA, r, ws.ebar, j * width);
        if (ws.esum != null) {
          k.axpy(width, c, ws.epsA, r, ws.esum, j * width);
        }
      }
    }
  }

  /** grad[W_in | W_rec] row j += l_j trace row j. */
  private void emit(DoubleParameters p, double[] l, double[] trace, double[] grad) {
    int win = p.view(Block.W_IN).offset();
    int wrec = p.view(Block.W_REC).offset();
    for (int j = 0; j < n; j++) {
      double lj = l[j];
      if (lj != 0d) {
        k.axpy(nIn, lj, trace, j * width, grad, win + j * nIn);
        k.axpy(n, lj, trace, j * width + nIn, grad, wrec + j * n);
      }
    }
  }

  @Override
  DoubleSpikingSample sample(DoubleWorkspace ws) {
    return DoubleSpikingEpropWorkspace.cast(ws).sample;
  }
}
