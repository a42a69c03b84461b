package org.tca.rules.spiking;

import org.tca.rules.learning.DoubleWorkspace;
import org.tca.rules.model.Block;
import org.tca.rules.model.DoubleParameters;

/**
 * Scratch of the offline spiking rules ({@link DoubleSpikingGradient}): the stored forward pass,
 * dJ/dy at the loss steps [T][B][N_out], du_t = dJ/dv_t for every step [T][B][N] (the rows of the
 * event-driven weight-gradient sums), B x N buffers for dJ/dz_t, the carried adaptation gradient
 * and the firing-rate term's dR/dz, B x N_out for the filtered readout error, the transposed
 * gradients of W_in and W_rec, BPTT's carried recurrent term W_rec' du_{t+1} (B x N_p) and copy
 * of W_rec (N x N_p, made by BPTT only), rows padded to N_p columns, a multiple of the vector
 * length (so the gather over W_rec's rows has no scalar tail), and a scratch list of N indices.
 */
public final class DoubleSpikingWorkspace implements DoubleWorkspace {

  final DoubleSpikingTrajectory trajectory;
  final double[] dy;
  final double[] du;
  final double[] gz;
  final double[] ga;
  final double[] rateGrad;
  final double[] dyBar;
  final double[] inputGradT;
  final double[] recurrentGradT;
  final double[] carry;
  final int[] nonzero;
  final int paddedRow;
  final double[] paddedRecurrent;

  /** Sized for at most B samples and T steps. */
  public DoubleSpikingWorkspace(SpikingConfig c, int batchSize, int steps) {
    this(c, batchSize, steps, 0);
  }

  /**
   * Sized for at most B samples and T steps; {@code lanes} &gt; 0: with BPTT's copy of W_rec
   * whose rows (and the carried term's) are padded to a multiple of {@code lanes}.
   */
  DoubleSpikingWorkspace(SpikingConfig c, int batchSize, int steps, int lanes) {
    this.trajectory = new DoubleSpikingTrajectory(c, batchSize, steps);
    int n = c.hidden();
    int nb = batchSize * n;
    this.dy = new double[steps * batchSize * c.base().outputs()];
    this.du = new double[steps * nb];
    this.gz = new double[nb];
    this.ga = new double[nb];
    this.rateGrad = new double[nb];
    this.dyBar = new double[batchSize * c.base().outputs()];
    this.inputGradT = new double[c.base().inputs() * n];
    this.recurrentGradT = new double[n * n];
    this.paddedRow = lanes > 0 ? (n + lanes - 1) / lanes * lanes : n;
    this.carry = new double[batchSize * paddedRow];
    this.nonzero = new int[n];
    this.paddedRecurrent = new double[lanes > 0 ? n * paddedRow : 0];
  }

  /** Copies W_rec into the rows of the padded copy (the pads stay zero). */
  void padRecurrent(DoubleParameters p) {
    int n = nonzero.length;
    if (paddedRecurrent.length < n * paddedRow) {
      throw new IllegalArgumentException("spiking BPTT needs a workspace made by its own "
          + "newWorkspace (this one has no padded copy of W_rec)");
    }
    int off = p.view(Block.W_REC).offset();
    for (int j = 0; j < n; j++) {
      System.arraycopy(p.data(), off + j * n, paddedRecurrent, j * paddedRow, n);
    }
  }

  /** The forward pass of the last call. */
  public DoubleSpikingTrajectory trajectory() {
    return trajectory;
  }

  @Override
  public int batchCapacity() {
    return trajectory.batchCapacity();
  }

  @Override
  public int stepCapacity() {
    return trajectory.stepCapacity();
  }

  @Override
  public long sizeInBytes() {
    return trajectory.sizeInBytes() + (long) Double.BYTES * (dy.length + du.length + gz.length
        + ga.length + rateGrad.length + dyBar.length + inputGradT.length + recurrentGradT.length
        + carry.length + paddedRecurrent.length) + (long) Integer.BYTES * nonzero.length;
  }

  static DoubleSpikingWorkspace cast(DoubleWorkspace ws) {
    if (ws instanceof DoubleSpikingWorkspace w) {
      return w;
    }
    throw new IllegalArgumentException("expected a workspace made by a spiking rule, got "
        + (ws == null ? "null" : ws.getClass().getSimpleName()));
  }
}
