package org.tca.rules.train;

import java.util.Arrays;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.task.Dataset;
import org.tca.rules.task.TaskKind;

/**
 * The storage the {@link Evaluator}s of one run share, one set per seat s &lt; {@link
 * Evaluator#MAX_SEATS}: a {@link ForwardModel.Pass} for chunks of at most E trials of at most T
 * steps, and one batch per distinct (chunk size, T) it has been asked for. The evaluations of a
 * run never overlap, so sharing it changes no result (a pass lays its states out by the bound
 * batch, not by its capacity) and a run holds one set of passes instead of one per evaluator:
 *
 * <pre>
 *   bytes = seats x (pass(E, T) + sum over distinct chunk sizes n of batch(n, T))
 * </pre>
 *
 * A seat's storage is made by the thread that first takes it. Not for concurrent evaluations.
 */
public final class EvaluationSeats {

  private final ForwardModel model;
  private final int capacity;
  private final int steps;
  private final ForwardModel.Pass[] passes = new ForwardModel.Pass[Evaluator.MAX_SEATS];
  private final FloatBatch[][] batches = new FloatBatch[Evaluator.MAX_SEATS][0];

  /** Seats for chunks of at most {@code capacity} trials of at most {@code steps} steps. */
  public EvaluationSeats(ForwardModel model, int capacity, int steps) {
    if (capacity < 1 || steps < 1) {
      throw new IllegalArgumentException("capacities must be >= 1: E=" + capacity + " T=" + steps);
    }
    this.model = model;
    this.capacity = capacity;
    this.steps = steps;
  }

  /** Checks that chunks of {@code chunk} trials of {@code data} fit. */
  void checkFits(int chunk, Dataset data) {
    if (chunk > capacity || data.steps() > steps) {
      throw new IllegalArgumentException("chunks of " + chunk + " x " + data.steps()
          + " steps exceed the evaluation seats' " + capacity + " x " + steps);
    }
  }

  /** Seat {@code seat}'s pass. */
  ForwardModel.Pass pass(int seat) {
    if (passes[seat] == null) {
      passes[seat] = model.newPass(capacity, steps);
    }
    return passes[seat];
  }

  /** Seat {@code seat}'s batch for {@code size} trials of {@code data}, with loss mask m_t. */
  FloatBatch batch(int seat, int size, Dataset data, float[] mask) {
    for (FloatBatch b : batches[seat]) {
      if (b.size() == size && b.steps() == data.steps()) {
        return b.lossMask(mask);
      }
    }
    FloatBatch b = data.kind() == TaskKind.CLASSIFICATION
        ? FloatBatch.classification(data.steps(), size, data.inputSize(), data.outputSize(), false)
        : FloatBatch.regression(data.steps(), size, data.inputSize(), data.outputSize());
    FloatBatch[] more = Arrays.copyOf(batches[seat], batches[seat].length + 1);
    more[more.length - 1] = b;
    batches[seat] = more;
    return b.lossMask(mask);
  }

  /** The bytes the seats hold so far (passes and batches). */
  public long sizeInBytes() {
    long bytes = 0;
    for (int s = 0; s < passes.length; s++) {
      bytes += passes[s] == null ? 0 : passes[s].sizeInBytes();
      for (FloatBatch b : batches[s]) {
        bytes += batchBytes(b.steps(), b.size(), b.inputs(), b.outputs(), b.classification());
      }
    }
    return bytes;
  }

  /** Bytes of a batch of B trials of T steps: inputs, labels or targets, and the mask. */
  static long batchBytes(long steps, long size, long inputs, long outputs, boolean labels) {
    return 4L * (steps * size * inputs + (labels ? size : steps * size * outputs) + steps);
  }
}
