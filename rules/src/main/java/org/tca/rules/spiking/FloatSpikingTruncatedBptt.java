package org.tca.rules.spiking;

import java.util.Arrays;
import java.util.Map;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.rules.model.Block;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;

/**
 * Truncated BPTT(k) on LIF/ALIF neurons through the pseudo-derivative: credit injected at step s
 * (the readout error dJ/dy_s of a loss step, and the firing-rate term's dR/dz_s) travels back
 * only to the steps r with s - k &lt; r &lt;= s, through every path (the leaky readout, the
 * recurrent input and reset, the membrane leak, the adaptation). For each origin s a fresh
 * recursion, r = s, s-1, ..., max(0, s-k+1), with gz^s, ga^s, du^s as in BPTT
 * ({@link FloatSpikingGradient}):
 *
 * <pre>
 *   gz^s_r = kappa^(s-r) dy_s W_out + [r = s] dR/dz_s
 *            + [r &lt; s] ((W_rec' - v_th) du^s_{r+1} + ga^s_{r+1})
 *   du^s_r = psi_r . gz^s_r + alpha du^s_{r+1},   ga^s_r = -beta psi_r . gz^s_r + rho ga^s_{r+1}
 *   du_r   = sum_s du^s_r
 * </pre>
 *
 * then the assembly of BPTT. Equivalently: the gradient of the loss with every state (v, a, z,
 * the readout) entering step s - k + 1 held constant for the credit from s. k &gt;= T gives BPTT
 * (the sums are the same, in another order); k = 1 keeps only the immediate step. Cost: the sum
 * over origins of min(k, s + 1) steps of B x N x N. This class is the offline sweep; the
 * registered rule, which also runs online, is {@link FloatSpikingOnlineTruncatedBptt}.
 */
public final class FloatSpikingTruncatedBptt extends FloatSpikingSweepRule {

  private final int window;

  /** tBPTT(k) with the given kernels. */
  public FloatSpikingTruncatedBptt(SpikingConfig config, int k, FloatKernels kernels) {
    super(config, kernels);
    if (k < 1) {
      throw new IllegalArgumentException("truncation window k must be >= 1, got " + k);
    }
    this.window = k;
  }

  @Override
  public String id() {
    return "tbptt";
  }

  /** The truncation window k. */
  public int window() {
    return window;
  }

  @Override
  public Map<String, Object> settings() {
    return Map.of("neurons", "lif/alif", "window", window);
  }

  @Override
  void sweep(FloatParameters p, FloatBatch batch, FloatSpikingSweepWorkspace ws, int start) {
    FloatSpikingWorkspace base = ws.base;
    int bs = batch.size();
    int nb = bs * n;
    float[] w = p.data();
    int wOut = p.view(Block.W_OUT).offset();
    int wRec = p.view(Block.W_REC).offset();
    boolean rate = config.rateCost() > 0;
    Arrays.fill(base.du, 0, (start + 1) * nb, 0f);
    for (int s = start; s >= 0; s--) {
      boolean loss = batch.lossMask()[s] != 0f;
      if (!loss && !rate) {
        continue;
      }
      if (loss) {
        System.arraycopy(base.dy, base.trajectory.yOffset(s), base.dyBar, 0, bs * nOut);
      }
      Arrays.fill(base.ga, 0, nb, 0f);
      for (int r = s, stop = Math.max(0, s - window + 1); r >= stop; r--) {
        if (r == s && rate) {
          System.arraycopy(base.rateGrad, 0, base.gz, 0, nb);
        } else {
          Arrays.fill(base.gz, 0, nb, 0f);
        }
        if (loss) {
          if (r < s) {
            k.scale(bs * nOut, kappa, base.dyBar, 0);
          }
          k.gemm(false, false, bs, n, nOut, 1f, base.dyBar, 0, nOut, w, wOut, n, base.gz, 0, n);
        }
        if (r < s) {
          k.gemm(false, false, bs, n, n, 1f, ws.previous, 0, n, w, wRec, n, base.gz, 0, n);
          k.axpy(nb, -threshold, ws.previous, 0, base.gz, 0);
          addAdaptation(base, bs);
        }
        cellStep(base, r, ws.current, 0, r < s ? ws.previous : null, 0, bs);
        k.axpy(nb, 1f, ws.current, 0, base.du, r * nb);
        ws.swap();
      }
    }
  }
}
