package org.tca.rules.spiking;

import java.util.function.Supplier;
import org.tca.rules.learning.FloatWorkspace;

/**
 * Scratch of {@link FloatSpikingOnlineTruncatedBptt}. Online (B = 1): one sample's network state
 * ({@link FloatSpikingSample}) and a ring of the last L = min(k, T) steps,
 *
 * <pre>
 *   psi  (L x N)            the pseudo-derivatives psi_r
 *   q    (L x (N_in + N))   the presynaptic values [x_r | z_{r-1}]
 * </pre>
 *
 * (step r in slot r mod L), plus the window recursion's rows (gz, du, du_{r+1}, ga, W_out' dy).
 * The offline workspace ({@link FloatSpikingSweepWorkspace}, O(T B N)) is made at the first
 * offline call only, so an online workspace stays independent of T.
 */
public final class FloatSpikingOnlineTruncatedBpttWorkspace implements FloatWorkspace {

  private final int batchCapacity;
  private final int stepCapacity;
  private final Supplier<FloatSpikingSweepWorkspace> offlineFactory;
  private FloatSpikingSweepWorkspace offline;
  final FloatSpikingSample sample;
  final int length;
  final float[] psi;
  final float[] q;
  final float[] gz;
  final float[] ga;
  final float[] signal;
  float[] du;
  float[] duNext;

  FloatSpikingOnlineTruncatedBpttWorkspace(SpikingConfig config, FloatSpikingNetwork network,
      int batchSize, int steps, int length, Supplier<FloatSpikingSweepWorkspace> offline) {
    this.batchCapacity = batchSize;
    this.stepCapacity = steps;
    this.offlineFactory = offline;
    this.sample = new FloatSpikingSample(network);
    int n = config.hidden();
    this.length = length;
    this.psi = new float[length * n];
    this.q = new float[length * (config.base().inputs() + n)];
    this.gz = new float[n];
    this.ga = new float[n];
    this.signal = new float[n];
    this.du = new float[n];
    this.duNext = new float[n];
  }

  /** The offline workspace, made at the first call. */
  FloatSpikingSweepWorkspace offline() {
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
    return (long) Float.BYTES * (stateLength() + gz.length + ga.length + signal.length
        + du.length + duNext.length) + sample.sizeInBytes()
        + (offline == null ? 0 : offline.sizeInBytes());
  }

  static FloatSpikingOnlineTruncatedBpttWorkspace cast(FloatWorkspace ws) {
    if (ws instanceof FloatSpikingOnlineTruncatedBpttWorkspace w) {
      return w;
    }
    throw new IllegalArgumentException("expected a workspace made by spiking tbptt, got "
        + (ws == null ? "null" : ws.getClass().getSimpleName()));
  }
}
