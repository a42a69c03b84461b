package org.tca.rules.learning;

import org.tca.rules.model.DoubleTrajectory;
import org.tca.rules.model.ModelConfig;

/**
 * Scratch of the reverse-mode rules (BPTT, truncated BPTT): the stored forward pass, dJ/dy at the
 * loss steps [T][B][N_out], du_t = dJ/du_t for every step [T][B][N] (the rows of the weight-gradient
 * GEMMs), and B x N buffers for gz, the carried state gradient g and a recursion's own du.
 * Online truncated BPTT adds a ring of the last k + 1 states (N each), made on first use.
 */
public final class DoubleBpttWorkspace implements DoubleWorkspace {

  final DoubleTrajectory trajectory;
  final double[] dy;
  final double[] du;
  final double[] gz;
  final double[] g;
  final double[] duLocal;
  final double[] scratch;
  // online truncated BPTT (B = 1): ring of the last k + 1 states, allocated on first use
  double[] ringPre;
  double[] ringZ;
  int ringSlots;
  final double[] u;
  final double[] y;
  final double[] dyStep;
  int nextStep;

  /** Sized for at most B samples and T steps. */
  public DoubleBpttWorkspace(ModelConfig c, int batchSize, int steps) {
    this.trajectory = new DoubleTrajectory(c, batchSize, steps);
    int nb = batchSize * c.hidden();
    this.dy = new double[steps * batchSize * c.outputs()];
    this.du = new double[steps * nb];
    this.gz = new double[nb];
    this.g = new double[nb];
    this.duLocal = new double[2 * nb];
    this.scratch = new double[c.inputs() * c.hidden()];
    this.u = new double[c.hidden()];
    this.y = new double[c.outputs()];
    this.dyStep = new double[c.outputs()];
  }

  /** Sizes the online ring for {@code slots} states of N (allocates only when it grows). */
  void ensureRing(int slots, int n) {
    if (ringPre == null || ringPre.length < slots * n) {
      ringPre = new double[slots * n];
      ringZ = new double[slots * n];
    }
    ringSlots = slots;
  }

  /** The forward pass of the last call. */
  public DoubleTrajectory trajectory() {
    return trajectory;
  }

  /** dJ/du_t of the last call, [T][B][N] time-major. */
  public double[] du() {
    return du;
  }

  /** dJ/dy_t at the loss steps of the last call, [T][B][N_out]. */
  public double[] dy() {
    return dy;
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
    return trajectory.sizeInBytes()
        + (long) Double.BYTES * (dy.length + du.length + gz.length + g.length + duLocal.length
        + scratch.length + u.length + y.length + dyStep.length
        + (ringPre == null ? 0 : ringPre.length + ringZ.length));
  }

  static DoubleBpttWorkspace cast(DoubleWorkspace ws) {
    if (ws instanceof DoubleBpttWorkspace w) {
      return w;
    }
    throw new IllegalArgumentException("expected a workspace made by a BPTT rule, got "
        + (ws == null ? "null" : ws.getClass().getSimpleName()));
  }
}
