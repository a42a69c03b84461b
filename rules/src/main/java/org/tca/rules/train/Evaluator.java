package org.tca.rules.train;

import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatNetwork;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.task.Dataset;
import org.tca.rules.task.TaskKind;

/**
 * Loss and accuracy of the network (a {@link ForwardModel}: rate or spiking) on a fixed set of n
 * trials of a dataset (all of them, or a given index list), by forward passes over fixed chunks
 * of E trials (chunk c holds trials [cE, min(n, (c+1)E)) of the list). With L_c the mean
 * per-sample data loss of chunk c ({@link FloatNetwork#loss}, no L2 term), r_c its mean firing
 * rate (spiking networks) and n_c its size:
 *
 * <pre>
 *   loss = (1/n) sum_c n_c L_c             (summed in chunk order, in f64)
 *   accuracy = hits / (n * #loss steps)    (argmax of y_t against the label, classification only)
 *   firing rate = (1/n) sum_c n_c r_c      (spikes per step and unit; NaN for rate cells)
 * </pre>
 *
 * The chunks run on a {@link WorkerPool}, each seat with its own pass and batches ({@link
 * EvaluationSeats}, which the evaluators of one run share), and are reduced in chunk order, so the
 * result does not depend on the thread count. Evaluating allocates nothing once every seat has
 * been used. Close it to leave the pool.
 */
public final class Evaluator implements AutoCloseable {

  /**
   * One evaluation.
   *
   * @param loss mean per-sample data loss (no L2 term)
   * @param accuracy fraction of correct (sample, loss step) pairs; NaN for regression
   * @param samples n
   * @param firingRate mean spikes per step and unit (spiking networks); NaN for rate cells
   */
  public record Result(double loss, double accuracy, int samples, double firingRate) {}

  private final EvaluationSeats seats;
  private final float[] mask;
  private final Dataset data;
  private final int[] indices;
  private final int count;
  private final int chunk;
  private final int chunks;
  /**
   * Most threads on one evaluation: evaluating is a small part of a run (checkpoints only), and
   * each seat holds a trajectory of a whole chunk (E x T x N states).
   */
  static final int MAX_SEATS = 4;

  private final WorkerPool.Job job;
  private final double[] chunkLoss;
  private final double[] chunkRate;
  private final int[] chunkHits;
  private final int lossSteps;
  private FloatParameters params;

  /**
   * An evaluator with seats of its own.
   *
   * @param indices trials to evaluate, or null for the whole dataset
   * @param evalBatch E, trials per forward pass
   */
  public Evaluator(ForwardModel model, Dataset data, int[] indices, int evalBatch,
      WorkerPool pool) {
    this(new EvaluationSeats(model, chunk(data, indices, evalBatch), data.steps()), data, indices,
        evalBatch, pool);
  }

  /**
   * An evaluator on {@code seats} (shared with evaluators that never run at the same time).
   *
   * @param indices trials to evaluate, or null for the whole dataset
   * @param evalBatch E, trials per forward pass
   */
  public Evaluator(EvaluationSeats seats, Dataset data, int[] indices, int evalBatch,
      WorkerPool pool) {
    this.seats = seats;
    this.data = data;
    this.indices = indices == null ? null : indices.clone();
    this.count = indices == null ? data.size() : indices.length;
    if (count < 1) {
      throw new IllegalArgumentException("nothing to evaluate in " + data);
    }
    this.chunk = Math.min(evalBatch, count);
    this.chunks = (count + chunk - 1) / chunk;
    seats.checkFits(chunk, data);
    this.mask = data.lossMask();
    this.job = pool.newJob(this::runChunk, MAX_SEATS);
    int steps = 0;
    for (float m : mask) {
      steps += m != 0f ? 1 : 0;
    }
    this.lossSteps = steps;
    this.chunkLoss = new double[chunks];
    this.chunkRate = new double[chunks];
    this.chunkHits = new int[chunks];
  }

  /** E' = min(E, n): the trials of one chunk of an evaluation of n trials. */
  static int chunk(Dataset data, int[] indices, int evalBatch) {
    return Math.max(1, Math.min(evalBatch, indices == null ? data.size() : indices.length));
  }

  /** The number of trials evaluated. */
  public int samples() {
    return count;
  }

  /** The dataset. */
  public Dataset dataset() {
    return data;
  }

  /** Evaluates the network with parameters {@code p}. */
  public Result evaluate(FloatParameters p) {
    params = p;
    try {
      job.run(chunks);
    } finally {
      params = null;
    }
    double loss = 0;
    double rate = 0;
    long hits = 0;
    for (int c = 0; c < chunks; c++) {
      loss += chunkLoss[c];
      rate += chunkRate[c];
      hits += chunkHits[c];
    }
    boolean classification = data.kind() == TaskKind.CLASSIFICATION;
    double acc = classification ? (double) hits / ((double) count * lossSteps) : Double.NaN;
    return new Result(loss / count, acc, count, rate / count);
  }

  private void runChunk(int seat, int c) {
    int start = c * chunk;
    int n = Math.min(chunk, count - start);
    FloatBatch b = seats.batch(seat, n, data, mask);
    data.gather(indices, start, n, b.x(), b.labels(), b.targets());
    ForwardModel.Pass pass = seats.pass(seat);
    chunkLoss[c] = n * pass.loss(params, b);
    chunkHits[c] = b.classification() ? pass.correct(b) : 0;
    chunkRate[c] = n * pass.firingRate();
  }

  /** Leaves the pool. */
  @Override
  public void close() {
    job.close();
  }
}
