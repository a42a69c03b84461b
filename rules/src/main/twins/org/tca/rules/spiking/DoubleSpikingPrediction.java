package org.tca.rules.spiking;

import org.tca.numerics.kernels.DoubleKernels;
import org.tca.rules.model.Block;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;

/**
 * The prediction of a spiking network ({@link SpikingConfig}) run one step at a time beside an
 * online rule, for a caller that needs y_t before the rule's step (the embedding service answers
 * y_t, and takes a target, an error or a reward only after it): its own copy of one sample's
 * state, stepped exactly as the online rules step theirs ({@code DoubleSpikingSample}, same
 * kernels, same order of operations), so that with the same parameters and inputs
 *
 * <pre>
 *   y_t = W_out zf_t + c_t b_out,   zf_t = kappa zf_{t-1} + z_t,   c_t = kappa c_{t-1} + 1
 * </pre>
 *
 * has the bits of the y_t the rule's {@code stepOnline} takes its loss at. The transposed W_in
 * and W_rec the step reads are copied only when the parameters changed ({@code version}).
 * Nothing is allocated per step.
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
public final class DoubleSpikingPrediction {

  private final DoubleSpikingSample sample;
  private final DoubleKernels k;
  private final int n;
  private final int nOut;
  private final double kappa;
  private double c;
  private int t;
  private long version = Long.MIN_VALUE;
  private boolean prepared;

  /** A predictor for {@code config} with the kernels of the rule it runs beside. */
  public DoubleSpikingPrediction(SpikingConfig config, DoubleKernels kernels) {
    this.sample = new DoubleSpikingSample(new DoubleSpikingNetwork(config, kernels));
    this.k = kernels;
    this.n = config.hidden();
    this.nOut = config.base().outputs();
    this.kappa = (double) config.kappa();
  }

  /** Zero state before step 0; the next step copies the weights again. */
  public void reset() {
    sample.reset();
    c = 0d;
    t = 0;
    prepared = false;
  }

  /**
   * Advances the state by step t (x_t from the B = 1 batch; steps in order from 0) and writes
   * y_t into {@code y[off..off+N_out)}. {@code version} names the parameters: the weights are
   * copied again whenever it differs from the last call's.
   *
   * @throws IllegalStateException for a step out of order
   */
  public void predict(DoubleParameters p, DoubleBatch batch, int step, long version, double[] y,
      int off) {
    if (step != t) {
      throw new IllegalStateException("prediction steps must come in order: expected t = " + t
          + ", got " + step);
    }
    if (!prepared || version != this.version) {
      sample.prepare(p);
      this.version = version;
      prepared = true;
    }
    sample.advance(batch, step, 0);
    c = kappa * c + 1d;
    t++;
    double[] par = p.data();
    int bOut = p.view(Block.B_OUT).offset();
    for (int o = 0; o < nOut; o++) {
      y[off + o] = c * par[bOut + o];
    }
    k.gemv(nOut, n, 1d, par, p.view(Block.W_OUT).offset(), n, sample.zf, 0, y, off);
  }
}
