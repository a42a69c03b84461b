package org.tca.rules.spiking;

import java.util.function.Supplier;
import org.tca.rules.learning.DoubleWorkspace;

/**
 * Scratch of {@link DoubleSpikingOnlineTruncatedBptt}. Online (B = 1): one sample's network state
 * ({@link DoubleSpikingSample}) and a ring of the last L = min(k, T) steps,
 *
 * <pre>
 *   psi  (L x N)            the pseudo-derivatives psi_r
 *   q    (L x (N_in + N))   the presynaptic values [x_r | z_{r-1}]
 * </pre>
 *
 * (step r in slot r mod L), plus the window recursion's rows (gz, du, du_{r+1}, ga, W_out' dy).
 * The offline workspace ({@link DoubleSpikingSweepWorkspace}, O(T B N)) is made at the first
 * offline call only, so an online workspace stays independent of T.
 */
public final class DoubleSpikingOnlineTruncatedBpttWorkspace implements DoubleWorkspace {

  private final int batchCapacity;
  private final int stepCapacity;
  private final Supplier<DoubleSpikingSweepWorkspace> offlineFactory;
  private DoubleSpikingSweepWorkspace offline;
  final DoubleSpikingSample sample;
  final int length;
  final double[] psi;
  final double[] q;
  final double[] gz;
  final double[] ga;
  final double[] signal;
  double[] du;
  double[] duNext;

  DoubleSpikingOnlineTruncatedBpttWorkspace(SpikingConfig config, DoubleSpikingNetwork network,
      int batchSize, int steps, int length, Supplier<DoubleSpikingSweepWorkspace> offline) {
    this.batchCapacity = batchSize;
    this.stepCapacity = steps;
    this.offlineFactory = offline;
    this.sample = new DoubleSpikingSample(network);
    int n = config.hidden();
    this.length = length;
    this.psi = new double[length * n];
    this.q = new double[length * (config.base().inputs() + n)];
    this.gz = new double[n];
    this.ga = new double[n];
    this.signal = new double[n];
    this.du = new double[n];
    this.duNext = new double[n];
  }

  /** The offline workspace, made at the first call. */
  DoubleSpikingSweepWorkspace offline() {
    if (offline == null) {
      offline = offlineFactory.get();
    }
    return offline;
  }

  /** Values of learning state carried from step to step: the ring. */
  long stateLength() {
    return (long) psi.length + q.length;
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
    return (long) Double.BYTES * (stateLength() + gz.length + ga.length + signal.length
        + du.length + duNext.length) + sample.sizeInBytes()
        + (offline == null ? 0 : offline.sizeInBytes());
  }

  static DoubleSpikingOnlineTruncatedBpttWorkspace cast(DoubleWorkspace ws) {
    if (ws instanceof DoubleSpikingOnlineTruncatedBpttWorkspace w) {
      return w;
    }
    throw new IllegalArgumentException("expected a workspace made by spiking tbptt, got "
        + (ws == null ? "null" : ws.getClass().getSimpleName()));
  }
}
