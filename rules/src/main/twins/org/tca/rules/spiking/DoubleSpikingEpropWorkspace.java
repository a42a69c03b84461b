package org.tca.rules.spiking;

import org.tca.rules.learning.DoubleWorkspace;

/**
 * Scratch of {@link DoubleSpikingEprop}. Online (B = 1) it holds one sample's network state
 * ({@link DoubleSpikingSample}) and the traces, each row of width W = N_in + N over the columns
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
public final class DoubleSpikingEpropWorkspace implements DoubleWorkspace {

  private final SpikingConfig config;
  private final int batchCapacity;
  private final int stepCapacity;
  final DoubleSpikingSample sample;
  final double[] qbar;
  final double[] ebar;
  final double[] epsA;
  final double[] esum;
  final double[] signal;
  DoubleSpikingWorkspace offline;

  DoubleSpikingEpropWorkspace(DoubleSpikingNetwork network, int batchSize, int steps) {
    this.config = network.config();
    this.batchCapacity = batchSize;
    this.stepCapacity = steps;
    this.sample = new DoubleSpikingSample(network);
    int n = config.hidden();
    int width = config.base().inputs() + n;
    this.qbar = new double[width];
    this.ebar = new double[n * width];
    this.epsA = new double[config.adaptiveCount() * width];
    this.esum = config.rateCost() > 0 ? new double[n * width] : null;
    this.signal = new double[n];
  }

  /** The offline workspace, made at the first call. */
  DoubleSpikingWorkspace offline() {
    if (offline == null) {
      offline = new DoubleSpikingWorkspace(config, batchCapacity, stepCapacity);
    }
    return offline;
  }

  /** Values of learning state carried from step to step: qbar, ebar, epsA and esum. */
  long stateLength() {
    return (long) qbar.length + ebar.length + epsA.length + (esum == null ? 0 : esum.length);
  }

  @Override
  public int batchCapacity() {
    return batchCapacity;
  }

  @Override
  public int stepCapacity() {
    return stepCapacity;
  }

  @Override
  public long sizeInBytes() {
    return (long) Double.BYTES * (stateLength() + signal.length) + sample.sizeInBytes()
        + (offline == null ? 0 : offline.sizeInBytes());
  }

  static DoubleSpikingEpropWorkspace cast(DoubleWorkspace ws) {
    if (ws instanceof DoubleSpikingEpropWorkspace w) {
      return w;
    }
    throw new IllegalArgumentException("expected a workspace made by spiking e-prop, got "
        + (ws == null ? "null" : ws.getClass().getSimpleName()));
  }
}
