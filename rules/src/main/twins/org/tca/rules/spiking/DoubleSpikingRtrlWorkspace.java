package org.tca.rules.spiking;

import org.tca.rules.learning.DoubleWorkspace;

/**
 * Scratch of {@link DoubleSpikingRtrl}: one sample's network state ({@link DoubleSpikingSample})
 * and the influence matrices over the P = N N_in + N^2 columns of W_in | W_rec: Mv (N x P), Ma
 * (N_a x P), Mbar (N x P), the sum of Dz_t (N x P, only when c_r &gt; 0), and Dz (N x P, per-step
 * scratch). Nothing grows with T or B (offline runs the samples one after the other).
 */
public final class DoubleSpikingRtrlWorkspace extends DoubleSpikingOnlineWorkspace {

  final DoubleSpikingSample sample;
  final double[] mv;
  final double[] ma;
  final double[] mbar;
  final double[] msum;
  final double[] dz;
  final double[] signal;

  DoubleSpikingRtrlWorkspace(DoubleSpikingNetwork network, int batchSize, int steps, int cols) {
    super(batchSize, steps);
    SpikingConfig c = network.config();
    int n = c.hidden();
    this.sample = new DoubleSpikingSample(network);
    int size = org.tca.rules.model.ArrayLength.of("the RTRL influence matrix N x P", n, cols);
    this.mv = new double[size];
    this.ma = new double[c.adaptiveCount() * cols];
    this.mbar = new double[size];
    this.msum = c.rateCost() > 0 ? new double[size] : null;
    this.dz = new double[size];
    this.signal = new double[n];
  }

  /**
   * The values a workspace for {@code c} and P = {@code cols} holds: the sample, Mv, Ma, Mbar,
   * the Dz sum (c_r &gt; 0), Dz and the signal row.
   */
  static long values(SpikingConfig c, long cols) {
    long n = c.hidden();
    long rows = 3 * n + c.adaptiveCount() + (c.rateCost() > 0 ? n : 0);
    return DoubleSpikingSample.values(c) + rows * cols + n;
  }

  /** Mv, Ma, Mbar and the Dz sum. */
  @Override
  long stateLength() {
    return (long) mv.length + ma.length + mbar.length + (msum == null ? 0 : msum.length);
  }

  @Override
  public long sizeInBytes() {
    return (long) Double.BYTES * (stateLength() + dz.length + signal.length)
        + sample.sizeInBytes();
  }

  static DoubleSpikingRtrlWorkspace cast(DoubleWorkspace ws) {
    if (ws instanceof DoubleSpikingRtrlWorkspace w) {
      return w;
    }
    throw new IllegalArgumentException("expected a workspace made by spiking RTRL, got "
        + (ws == null ? "null" : ws.getClass().getSimpleName()));
  }
}
