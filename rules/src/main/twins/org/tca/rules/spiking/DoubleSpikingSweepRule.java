package org.tca.rules.spiking;

import java.util.Arrays;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.rules.learning.DoubleWorkspace;
import org.tca.rules.model.Block;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;

/**
 * What the offline spiking rules with a reverse sweep of their own share (truncated BPTT, MDGL):
 * the forward pass, dJ/dy_t and dR/dz of {@link DoubleSpikingNetwork}; the rule's sweep, which
 * writes du_t = dJ/dv_t (as the rule estimates it) for t = 0..start into the workspace; then the
 * assembly of {@link DoubleSpikingGradient} (dW_in = sum_t du_t x_t', dW_rec = sum_t du_t
 * z_{t-1}', event-driven; the exact readout gradient; l2 W; the masks). start is the last loss
 * step, or T-1 with a firing-rate term.
 */
public abstract class DoubleSpikingSweepRule extends DoubleSpikingNetworkRule {

  final DoubleSpikingGradient assembly;

  DoubleSpikingSweepRule(SpikingConfig config, DoubleKernels kernels) {
    DoubleSpikingGradient assembly = DoubleSpikingGradient.bptt(config, kernels);
    super(assembly.network());
    this.assembly = assembly;
  }

  /** The stored forward pass, as for BPTT. */
  @Override
  public final long stateBytesPerSample(int steps) {
    return assembly.stateBytesPerSample(steps);
  }

  @Override
  public final DoubleSpikingSweepWorkspace newWorkspace(int batchSize, int steps) {
    return new DoubleSpikingSweepWorkspace(config, batchSize, steps);
  }

  /** BPTT's workspace and the sweep's: three b N rows, the 2 x 2 type means and 2 type sums. */
  @Override
  public final long workspaceValues(long b, long steps, boolean online) {
    return assembly.workspaceValues(b, steps, 0) + 3 * b * n + 6;
  }

  @Override
  public final double gradient(DoubleParameters p, DoubleBatch batch, DoubleWorkspace workspace,
      double[] grad) {
    DoubleSpikingSweepWorkspace ws = DoubleSpikingSweepWorkspace.cast(workspace);
    DoubleSpikingWorkspace base = ws.base;
    DoubleSpikingTrajectory tr = base.trajectory;
    network.forward(p, batch, tr);
    double j = network.loss(batch, tr, base.dy) + network.rateLoss(tr, base.rateGrad)
        + network.l2Penalty(p);
    int start = config.rateCost() > 0 ? batch.steps() - 1 : batch.lastLossStep();
    Arrays.fill(grad, 0d);
    if (p.trainable(Block.W_IN) || p.trainable(Block.W_REC)) {
      sweep(p, batch, ws, start);
      assembly.assembleUpstream(p, batch, base, start, grad);
    }
    assembly.assembleReadout(p, batch, base, grad);
    assembly.addL2(p, grad);
    p.maskGradient(grad);
    return j;
  }

  /** Writes du_t (B x N rows, [T][B][N]) into ws.base.du for t = 0..start. */
  abstract void sweep(DoubleParameters p, DoubleBatch batch, DoubleSpikingSweepWorkspace ws,
      int start);

  /**
   * One step of the neuron's own backward recursion, from gz (in ws.base.gz, overwritten):
   * du = psi_t . gz into {@code du} at {@code duOff}; the ALIF carry ga = rho ga - beta du; then
   * du += alpha duNext when {@code duNext} is not null (the membrane leak).
   */
  final void cellStep(DoubleSpikingWorkspace ws, int t, double[] du, int duOff, double[] duNext,
      int nextOff, int bs) {
    int nb = bs * n;
    k.mul(nb, ws.trajectory.psi(), ws.trajectory.slot(t + 1), ws.gz, 0, du, duOff);
    if (first < n) {
      for (int b = 0; b < bs; b++) {
        k.axpby(n - first, -beta, du, duOff + b * n + first, rho, ws.ga, b * n + first);
      }
    }
    if (duNext != null && alpha != 0d) {
      k.axpy(nb, alpha, duNext, nextOff, du, duOff);
    }
  }

  /** gz += ga (the carried adaptation gradient) on the ALIF columns. */
  final void addAdaptation(DoubleSpikingWorkspace ws, int bs) {
    if (first < n) {
      for (int b = 0; b < bs; b++) {
        k.axpy(n - first, 1d, ws.ga, b * n + first, ws.gz, b * n + first);
      }
    }
  }
}
