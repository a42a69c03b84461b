package org.tca.rules.spiking;

import org.tca.rules.learning.FloatWorkspace;

/**
 * Scratch of {@link FloatSpikingEprop}. Online (B = 1) it holds one sample's network state
 * ({@link FloatSpikingSample}) and the traces, each row of width W = N_in + N over the columns
 * of W_in | W_rec:
 *
 * <pre>
 *   qbar  (W)            the alpha-filtered presynaptic values [x | z_{t-1}]
 *   ebar  (N x W)        the readout-filtered eligibility traces
 *   epsA  (N_a x W)      the adaptation eligibility vectors of the ALIF units
 *   esum  (N x W)        sum_t e_t, for the firing-rate term (only when c_r &gt; 0)
 * </pre>
 *
 * none of which grows with T. The offline workspace (the stored forward pass, O(T B N)) is made
 * at the first offline call only, so an online workspace stays independent of T.
 */
public final class FloatSpikingEpropWorkspace extends FloatSpikingOnlineWorkspace {

  private final SpikingConfig config;
  final FloatSpikingSample sample;
  final float[] qbar;
  final float[] ebar;
  final float[] epsA;
  final float[] esum;
  final float[] signal;
  FloatSpikingWorkspace offline;

  FloatSpikingEpropWorkspace(FloatSpikingNetwork network, int batchSize, int steps) {
    super(batchSize, steps);
    this.config = network.config();
    this.sample = new FloatSpikingSample(network);
    int n = config.hidden();
    int width = config.base().inputs() + n;
    this.qbar = new float[width];
    this.ebar = new float[n * width];
    this.epsA = new float[config.adaptiveCount() * width];
    this.esum = config.rateCost() > 0 ? new float[n * width] : null;
    this.signal = new float[n];
  }

  /**
   * The values a workspace for {@code c} holds before its offline part is made: the sample,
   * qbar, ebar, epsA, esum (c_r &gt; 0) and the signal row.
   */
  static long values(SpikingConfig c) {
    long n = c.hidden();
    long rows = 1 + n + c.adaptiveCount() + (c.rateCost() > 0 ? n : 0);
    return FloatSpikingSample.values(c) + rows * (c.base().inputs() + n) + n;
  }

  /** The offline workspace, made at the first call. */
  FloatSpikingWorkspace offline() {
    if (offline == null) {
      offline = new FloatSpikingWorkspace(config, batchCapacity(), stepCapacity());
    }
    return offline;
  }

  /** qbar, ebar, epsA and esum. */
  @Override
  long stateLength() {
    return (long) qbar.length + ebar.length + epsA.length + (esum == null ? 0 : esum.length);
  }

  @Override
  public long sizeInBytes() {
    return (long) Float.BYTES * (stateLength() + signal.length) + sample.sizeInBytes()
        + (offline == null ? 0 : offline.sizeInBytes());
  }

  static FloatSpikingEpropWorkspace cast(FloatWorkspace ws) {
    if (ws instanceof FloatSpikingEpropWorkspace w) {
      return w;
    }
    throw new IllegalArgumentException("expected a workspace made by spiking e-prop, got "
        + (ws == null ? "null" : ws.getClass().getSimpleName()));
  }
}
