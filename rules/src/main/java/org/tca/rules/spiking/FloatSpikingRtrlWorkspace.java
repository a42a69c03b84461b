package org.tca.rules.spiking;

import org.tca.rules.learning.FloatWorkspace;

/**
 * Scratch of {@link FloatSpikingRtrl}: one sample's network state ({@link FloatSpikingSample})
 * and the influence matrices over the P = N N_in + N^2 columns of W_in | W_rec: Mv (N x P), Ma
 * (N_a x P), Mbar (N x P), the sum of Dz_t (N x P, only when c_r &gt; 0), and Dz (N x P, per-step
 * scratch). Nothing grows with T or B (offline runs the samples one after the other).
 */
public final class FloatSpikingRtrlWorkspace extends FloatSpikingOnlineWorkspace {

  final FloatSpikingSample sample;
  final float[] mv;
  final float[] ma;
  final float[] mbar;
  final float[] msum;
  final float[] dz;
  final float[] signal;

  FloatSpikingRtrlWorkspace(FloatSpikingNetwork network, int batchSize, int steps, int cols) {
    super(batchSize, steps);
    SpikingConfig c = network.config();
    int n = c.hidden();
    this.sample = new FloatSpikingSample(network);
    int size = org.tca.rules.model.ArrayLength.of("the RTRL influence matrix N x P", n, cols);
    this.mv = new float[size];
    this.ma = new float[c.adaptiveCount() * cols];
    this.mbar = new float[size];
    this.msum = c.rateCost() > 0 ? new float[size] : null;
    this.dz = new float[size];
    this.signal = new float[n];
  }

  /**
   * The values a workspace for {@code c} and P = {@code cols} holds: the sample, Mv, Ma, Mbar,
   * the Dz sum (c_r &gt; 0), Dz and the signal row.
   */
  static long values(SpikingConfig c, long cols) {
    long n = c.hidden();
    long rows = 3 * n + c.adaptiveCount() + (c.rateCost() > 0 ? n : 0);
    return FloatSpikingSample.values(c) + rows * cols + n;
  }

  /** Mv, Ma, Mbar and the Dz sum. */
  @Override
  long stateLength() {
    return (long) mv.length + ma.length + mbar.length + (msum == null ? 0 : msum.length);
  }

  @Override
  public long sizeInBytes() {
    return (long) Float.BYTES * (stateLength() + dz.length + signal.length)
        + sample.sizeInBytes();
  }

  static FloatSpikingRtrlWorkspace cast(FloatWorkspace ws) {
    if (ws instanceof FloatSpikingRtrlWorkspace w) {
      return w;
    }
    throw new IllegalArgumentException("expected a workspace made by spiking RTRL, got "
        + (ws == null ? "null" : ws.getClass().getSimpleName()));
  }
}
