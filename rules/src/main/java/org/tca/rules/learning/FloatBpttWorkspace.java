package org.tca.rules.learning;

import org.tca.rules.model.FloatTrajectory;
import org.tca.rules.model.ModelConfig;

/**
 * Scratch of the reverse-mode rules (BPTT, truncated BPTT): the stored forward pass, dJ/dy at the
 * loss steps [T][B][N_out], du_t = dJ/du_t for every step [T][B][N] (the rows of the weight-gradient
 * GEMMs), and B x N buffers for gz, the carried state gradient g and a recursion's own du.
 * Online truncated BPTT adds a ring of the last k + 1 states (N each), made on first use.
 */
public final class FloatBpttWorkspace implements FloatWorkspace {

  final FloatTrajectory trajectory;
  final float[] dy;
  final float[] du;
  final float[] gz;
  final float[] g;
  final float[] duLocal;
  final float[] scratch;
  // online truncated BPTT (B = 1): ring of the last k + 1 states, allocated on first use
  float[] ringPre;
  float[] ringZ;
  int ringSlots;
  final float[] u;
  final float[] y;
  final float[] dyStep;
  int nextStep;

  /** Sized for at most B samples and T steps. */
  public FloatBpttWorkspace(ModelConfig c, int batchSize, int steps) {
    this.trajectory = new FloatTrajectory(c, batchSize, steps);
    int nb = batchSize * c.hidden();
    this.dy = new float[steps * batchSize * c.outputs()];
    this.du = new float[steps * nb];
    this.gz = new float[nb];
    this.g = new float[nb];
    this.duLocal = new float[2 * nb];
    this.scratch = new float[c.inputs() * c.hidden()];
    this.u = new float[c.hidden()];
    this.y = new float[c.outputs()];
    this.dyStep = new float[c.outputs()];
  }

  /** Sizes the online ring for {@code slots} states of N (allocates only when it grows). */
  void ensureRing(int slots, int n) {
    if (ringPre == null || ringPre.length < slots * n) {
      ringPre = new float[slots * n];
      ringZ = new float[slots * n];
    }
    ringSlots = slots;
  }

  /** The forward pass of the last call. */
  public FloatTrajectory trajectory() {
    return trajectory;
  }

  /** dJ/du_t of the last call, [T][B][N] time-major. */
  public float[] du() {
    return du;
  }

  /** dJ/dy_t at the loss steps of the last call, [T][B][N_out]. */
  public float[] dy() {
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
        + (long) Float.BYTES * (dy.length + du.length + gz.length + g.length + duLocal.length
        + scratch.length + u.length + y.length + dyStep.length
        + (ringPre == null ? 0 : ringPre.length + ringZ.length));
  }

  static FloatBpttWorkspace cast(FloatWorkspace ws) {
    if (ws instanceof FloatBpttWorkspace w) {
      return w;
    }
    throw new IllegalArgumentException("expected a workspace made by a BPTT rule, got "
        + (ws == null ? "null" : ws.getClass().getSimpleName()));
  }
}
