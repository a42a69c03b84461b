package org.tca.rules.spiking;

import java.util.Arrays;
import org.tca.rules.model.ArrayLength;

/**
 * The stored forward pass of a spiking batch, sized once for at most B samples and T steps,
 * time-major like the rate trajectory: slot s (s = 0..T) holds the B x N matrix after s steps,
 * slot 0 all zeros. {@link #z()} holds the spikes z_s, {@link #psi()} the pseudo-derivatives
 * psi_s (0 while refractory), {@link #filtered()} the readout-filtered spikes
 * zf_s = kappa zf_{s-1} + z_s, so that y_t = W_out zf_{t+1} + c_t b_out with
 * c_t = kappa c_{t-1} + 1 ({@link #biasFilter()}); zf is stored only after the loss steps, and
 * kept for the current and the previous step in {@code filterState}. v and a are kept only for
 * the current and the previous step (the backward pass needs psi, not v), with the refractory counters and the spike
 * counts sum_t z_t (B x N, exact in f64 below 2^24 steps); the transposed
 * copies of W_in and W_rec serve the event-driven products. The events are also kept as lists:
 * the indices i with z_s[b][i] = 1 are {@code spikes[spikeStart[s B + b] .. spikeStart[s B + b
 * + 1])} and those with x_t[b][i] != 0 are {@code inputs[inputStart[t B + b] .. inputStart[t B + b
 * + 1])}, ascending, written by the forward pass and read by the backward pass's weight sums.
 */
public final class DoubleSpikingTrajectory {

  private final int hidden;
  private final int outputs;
  private final int batchCapacity;
  private final int stepCapacity;
  private final double[] z;
  private final double[] psi;
  private final double[] filtered;
  private final double[] y;
  private final double[] biasFilter;
  final double[] v;
  final double[] a;
  final int[] refractory;
  final double[] counts;
  final double[] filterState;
  final double[] inputTransposed;
  final double[] recurrentTransposed;
  final int[] spikes;
  final int[] spikeStart;
  final int[] inputs;
  final int[] inputStart;
  private int batch;
  private int steps;

  /** Storage for at most {@code batchCapacity} samples of {@code stepCapacity} steps. */
  public DoubleSpikingTrajectory(SpikingConfig c, int batchCapacity, int stepCapacity) {
    if (batchCapacity < 1 || stepCapacity < 1) {
      throw new IllegalArgumentException("capacities must be >= 1");
    }
    this.hidden = c.hidden();
    this.outputs = c.base().outputs();
    this.batchCapacity = batchCapacity;
    this.stepCapacity = stepCapacity;
    int states = ArrayLength.of("the stored spiking states (T+1) x B x N", stepCapacity + 1L,
        batchCapacity, hidden);
    this.z = new double[states];
    this.psi = new double[states];
    this.filtered = new double[states];
    this.y = new double[ArrayLength.of("the readouts T x B x N_out", stepCapacity, batchCapacity,
        outputs)];
    this.biasFilter = new double[stepCapacity];
    this.v = new double[2 * batchCapacity * hidden];
    this.a = new double[2 * batchCapacity * hidden];
    this.refractory = new int[batchCapacity * hidden];
    this.counts = new double[batchCapacity * hidden];
    this.filterState = new double[2 * batchCapacity * hidden];
    this.inputTransposed = new double[c.base().inputs() * hidden];
    this.recurrentTransposed = new double[hidden * hidden];
    this.spikes = new int[ArrayLength.of("the spike lists T x B x N", stepCapacity, batchCapacity,
        hidden)];
    this.spikeStart = new int[(stepCapacity + 1) * batchCapacity + 1];
    this.inputs = new int[ArrayLength.of("the input-event lists T x B x N_in", stepCapacity,
        batchCapacity, c.base().inputs())];
    this.inputStart = new int[stepCapacity * batchCapacity + 1];
  }

  /** Prepares for a batch of B samples and T steps: checks capacity and zeroes slot 0. */
  public void bind(int batchSize, int stepCount) {
    if (batchSize > batchCapacity || stepCount > stepCapacity) {
      throw new IllegalArgumentException("batch " + batchSize + " x " + stepCount
          + " steps exceeds the workspace capacity " + batchCapacity + " x " + stepCapacity);
    }
    this.batch = batchSize;
    this.steps = stepCount;
    int nb = batchSize * hidden;
    Arrays.fill(z, 0, nb, 0d);
    Arrays.fill(psi, 0, nb, 0d);
    Arrays.fill(filtered, 0, nb, 0d);
    Arrays.fill(v, 0, nb, 0d);
    Arrays.fill(a, 0, nb, 0d);
    Arrays.fill(refractory, 0, nb, 0);
    Arrays.fill(counts, 0, nb, 0d);
    Arrays.fill(filterState, 0, nb, 0d);
    Arrays.fill(spikeStart, 0, batchSize + 1, 0);
  }

  /** Offset of state slot s in {@link #z()}, {@link #psi()} and {@link #filtered()}. */
  public int slot(int s) {
    return s * batch * hidden;
  }

  /** Offset of y_t (B x N_out) in {@link #y()}. */
  public int yOffset(int t) {
    return t * batch * outputs;
  }

  /** Spikes z, [T+1][B][N] (0 or 1). */
  public double[] z() {
    return z;
  }

  /** Pseudo-derivatives psi, [T+1][B][N]. */
  public double[] psi() {
    return psi;
  }

  /**
   * Readout-filtered spikes zf, [T+1][B][N], stored only at the slots t + 1 of the loss steps t
   * (where the readout and its gradient read them) and slot 0; the other slots are stale.
   */
  public double[] filtered() {
    return filtered;
  }

  /** Readouts y_t at the loss steps, [T][B][N_out]. */
  public double[] y() {
    return y;
  }

  /** c_t = sum_{s &lt;= t} kappa^(t-s), the readout filter's gain on b_out, [T]. */
  public double[] biasFilter() {
    return biasFilter;
  }

  /** B of the bound batch. */
  public int batch() {
    return batch;
  }

  /** T of the bound batch. */
  public int steps() {
    return steps;
  }

  /** Maximum B. */
  public int batchCapacity() {
    return batchCapacity;
  }

  /** Maximum T. */
  public int stepCapacity() {
    return stepCapacity;
  }

  /** Bytes held. */
  public long sizeInBytes() {
    return (long) Double.BYTES * (z.length + psi.length + filtered.length + y.length
        + biasFilter.length + v.length + a.length + counts.length + filterState.length
        + inputTransposed.length
        + recurrentTransposed.length) + (long) Integer.BYTES * (refractory.length + spikes.length
        + spikeStart.length + inputs.length + inputStart.length);
  }
}
