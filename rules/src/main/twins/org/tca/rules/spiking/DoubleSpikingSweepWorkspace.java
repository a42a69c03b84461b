package org.tca.rules.spiking;

import org.tca.rules.learning.DoubleWorkspace;

/**
 * Scratch of the offline spiking rules with a reverse sweep of their own (truncated BPTT, MDGL):
 * the workspace of {@link DoubleSpikingGradient} (stored forward pass, du_t for every step, the
 * assembly buffers) and three more B x N rows: the current and the previous step's rows of the
 * rule's own recursion, and MDGL's credit rows (with its cell-type block means and sums).
 */
public final class DoubleSpikingSweepWorkspace implements DoubleWorkspace {

  final DoubleSpikingWorkspace base;
  double[] current;
  double[] previous;
  final double[] credit;
  final double[] typeMeans = new double[4];
  final double[] typeSums = new double[2];

  DoubleSpikingSweepWorkspace(SpikingConfig c, int batchSize, int steps) {
    this.base = new DoubleSpikingWorkspace(c, batchSize, steps);
    int nb = batchSize * c.hidden();
    this.current = new double[nb];
    this.previous = new double[nb];
    this.credit = new double[nb];
  }

  /** Swaps the current and the previous rows. */
  void swap() {
    double[] s = current;
    current = previous;
    previous = s;
  }

  /** The forward pass of the last call. */
  public DoubleSpikingTrajectory trajectory() {
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
    return base.sizeInBytes() + (long) Double.BYTES * (current.length + previous.length
        + credit.length
        + typeMeans.length + typeSums.length);
  }

  static DoubleSpikingSweepWorkspace cast(DoubleWorkspace ws) {
    if (ws instanceof DoubleSpikingSweepWorkspace w) {
      return w;
    }
    throw new IllegalArgumentException("expected a workspace made by spiking tbptt or mdgl, got "
        + (ws == null ? "null" : ws.getClass().getSimpleName()));
  }
}
