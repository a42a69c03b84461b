package org.tca.rules.spiking;

import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.model.Block;
import org.tca.rules.model.FloatParameters;

/**
 * Scratch of the offline spiking rules ({@link FloatSpikingGradient}): the stored forward pass,
 * dJ/dy at the loss steps [T][B][N_out], du_t = dJ/dv_t for every step [T][B][N] (the rows of the
 * event-driven weight-gradient sums), B x N buffers for dJ/dz_t, the carried adaptation gradient
 * and the firing-rate term's dR/dz, B x N_out for the filtered readout error, the transposed
 * gradients of W_in and W_rec, BPTT's carried recurrent term W_rec' du_{t+1} (B x N_p) and copy
 * of W_rec (N x N_p, made by BPTT only), rows padded to N_p columns, a multiple of the vector
 * length (so the gather over W_rec's rows has no scalar tail), and a scratch list of N indices.
 */
public final class FloatSpikingWorkspace implements FloatWorkspace {

  final FloatSpikingTrajectory trajectory;
  final float[] dy;
  final float[] du;
  final float[] gz;
  final float[] ga;
  final float[] rateGrad;
  final float[] dyBar;
  final float[] inputGradT;
  final float[] recurrentGradT;
  final float[] carry;
  final int[] nonzero;
  final int paddedRow;
  final float[] paddedRecurrent;

  /** Sized for at most B samples and T steps. */
  public FloatSpikingWorkspace(SpikingConfig c, int batchSize, int steps) {
    this(c, batchSize, steps, 0);
  }

  /**
   * Sized for at most B samples and T steps; {@code lanes} &gt; 0: with BPTT's copy of W_rec
   * whose rows (and the carried term's) are padded to a multiple of {@code lanes}.
   */
  FloatSpikingWorkspace(SpikingConfig c, int batchSize, int steps, int lanes) {
    this.trajectory = new FloatSpikingTrajectory(c, batchSize, steps);
    int n = c.hidden();
    int nb = batchSize * n;
    this.dy = new float[steps * batchSize * c.base().outputs()];
    this.du = new float[steps * nb];
    this.gz = new float[nb];
    this.ga = new float[nb];
    this.rateGrad = new float[nb];
    this.dyBar = new float[batchSize * c.base().outputs()];
    this.inputGradT = new float[c.base().inputs() * n];
    this.recurrentGradT = new float[n * n];
    this.paddedRow = lanes > 0 ? (n + lanes - 1) / lanes * lanes : n;
    this.carry = new float[batchSize * paddedRow];
    this.nonzero = new int[n];
    this.paddedRecurrent = new float[lanes > 0 ? n * paddedRow : 0];
  }

  /** Copies W_rec into the rows of the padded copy (the pads stay zero). */
  void padRecurrent(FloatParameters p) {
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
  public FloatSpikingTrajectory trajectory() {
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
    return trajectory.sizeInBytes() + (long) Float.BYTES * (dy.length + du.length + gz.length
        + ga.length + rateGrad.length + dyBar.length + inputGradT.length + recurrentGradT.length
        + carry.length + paddedRecurrent.length) + (long) Integer.BYTES * nonzero.length;
  }

  static FloatSpikingWorkspace cast(FloatWorkspace ws) {
    if (ws instanceof FloatSpikingWorkspace w) {
      return w;
    }
    throw new IllegalArgumentException("expected a workspace made by a spiking rule, got "
        + (ws == null ? "null" : ws.getClass().getSimpleName()));
  }
}
