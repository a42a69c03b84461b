package org.tca.rules.spiking;

import org.tca.rules.learning.FloatWorkspace;

/**
 * Scratch of the offline spiking rules with a reverse sweep of their own (truncated BPTT, MDGL):
 * the workspace of {@link FloatSpikingGradient} (stored forward pass, du_t for every step, the
 * assembly buffers) and three more B x N rows: the current and the previous step's rows of the
 * rule's own recursion, and MDGL's credit rows (with its cell-type block means and sums).
 */
public final class FloatSpikingSweepWorkspace implements FloatWorkspace {

  final FloatSpikingWorkspace base;
  float[] current;
  float[] previous;
  final float[] credit;
  final float[] typeMeans = new float[4];
  final float[] typeSums = new float[2];

  FloatSpikingSweepWorkspace(SpikingConfig c, int batchSize, int steps) {
    this.base = new FloatSpikingWorkspace(c, batchSize, steps);
    int nb = batchSize * c.hidden();
    this.current = new float[nb];
    this.previous = new float[nb];
    this.credit = new float[nb];
  }

  /** Swaps the current and the previous rows. */
  void swap() {
    float[] s = current;
    current = previous;
    previous = s;
  }

  /** The forward pass of the last call. */
  public FloatSpikingTrajectory trajectory() {
    return base.trajectory;
  }

  @Override
  public int batchCapacity() {
    return base.batchCapacity();
  }

  @Override
  public int stepCapacity() {
    return base.stepCapacity();
  }

  @Override
  public long sizeInBytes() {
    return base.sizeInBytes() + (long) Float.BYTES * (current.length + previous.length
        + credit.length
        + typeMeans.length + typeSums.length);
  }

  static FloatSpikingSweepWorkspace cast(FloatWorkspace ws) {
    if (ws instanceof FloatSpikingSweepWorkspace w) {
      return w;
    }
    throw new IllegalArgumentException("expected a workspace made by spiking tbptt or mdgl, got "
        + (ws == null ? "null" : ws.getClass().getSimpleName()));
  }
}
