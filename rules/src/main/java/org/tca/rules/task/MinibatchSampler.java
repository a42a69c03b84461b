package org.tca.rules.task;

import java.util.Objects;
import org.tca.numerics.random.RandomStream;

/**
 * Shuffled epochs of minibatches over n trials, deterministic for a given random stream. Each
 * epoch draws a Fisher-Yates shuffle of the index array and deals it out in
 * {@code floor(n / B)} consecutive batches of B; the {@code n mod B} indices left at the end of an
 * epoch are skipped that epoch (so every batch has exactly B trials, and over epochs every trial
 * is used equally often in expectation).
 *
 * <pre>
 *   int off = sampler.next();
 *   dataset.gather(sampler.indices(), off, sampler.batchSize(), x, labels, y);
 * </pre>
 *
 * The index array is live: the next call to {@link #next()} may reshuffle it, so gather before
 * calling again. Nothing is allocated after construction. Mutable and not thread-safe.
 */
public final class MinibatchSampler {

  private final int[] order;
  private final int batchSize;
  private final RandomStream rng;
  private int cursor;
  private long epochs;
  private long batches;

  /**
   * @param n number of trials
   * @param batchSize B, in [1, n]
   * @param rng the stream the shuffles draw from (owned by the sampler from now on)
   */
  public MinibatchSampler(int n, int batchSize, RandomStream rng) {
    if (batchSize < 1 || batchSize > n) {
      throw new IllegalArgumentException("batch size must be in [1, n = " + n + "], got "
          + batchSize);
    }
    this.rng = Objects.requireNonNull(rng, "rng");
    this.order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    this.batchSize = batchSize;
    this.cursor = n;
  }

  /**
   * Moves to the next batch, starting a new (reshuffled) epoch when fewer than B indices are left,
   * and returns the batch's offset into {@link #indices()}.
   */
  public int next() {
    if (cursor + batchSize > order.length) {
      rng.shuffle(order);
      cursor = 0;
      epochs++;
    }
    int off = cursor;
    cursor += batchSize;
    batches++;
    return off;
  }

  /** The live index array; the current batch is {@code [offset, offset + B)}. Do not modify. */
  public int[] indices() {
    return order;
  }

  /** B. */
  public int batchSize() {
    return batchSize;
  }

  /** Number of epochs started (shuffles drawn). */
  public long epochs() {
    return epochs;
  }

  /** Number of batches handed out. */
  public long batches() {
    return batches;
  }
}
