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
 *
 * <p>{@link #state()} and {@link #restore} save and set the position exactly (the order of the
 * current epoch, the cursor in it, the counters and the random stream's position), so a
 * resumed run draws the batches the uninterrupted one would have, without replaying them.
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

  /**
   * Where a sampler stands.
   *
   * @param order the index order of the current epoch (a copy)
   * @param cursor the offset of the next batch in it
   * @param epochs epochs started
   * @param batches batches handed out
   * @param streamPosition the random stream's {@link RandomStream#position()}
   */
  public record State(int[] order, int cursor, long epochs, long batches, long streamPosition) {

    /** Copies the order. */
    public State {
      order = order.clone();
    }

    @Override
    public int[] order() {
      return order.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof State s && java.util.Arrays.equals(order, s.order)
          && cursor == s.cursor && epochs == s.epochs && batches == s.batches
          && streamPosition == s.streamPosition;
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(order) * 31 + Long.hashCode(batches);
    }
  }

  /** The position now (a copy). */
  public State state() {
    return new State(order, cursor, epochs, batches, rng.position());
  }

  /**
   * Continues from {@code saved}, a {@link #state()} of a sampler over as many trials, of the same
   * batch size and drawing from the same random stream (not checked: the stream's identity is
   * the caller's, e.g. the run seed); the shuffles never leave a normal value cached, so the
   * stream's position restores it exactly.
   *
   * @throws IllegalArgumentException when {@code saved} is not a position of such a sampler
   *     (nothing is changed then)
   */
  public void restore(State saved) {
    int n = order.length;
    int[] o = saved.order;
    if (o.length != n || saved.cursor < 0 || saved.cursor > n || saved.epochs < 0
        || saved.batches < 0 || saved.streamPosition < 0) {
      throw new IllegalArgumentException("saved minibatch position is not one of a sampler over "
          + n + " trials (order of " + o.length + ", cursor " + saved.cursor + ")");
    }
    boolean[] seen = new boolean[n];
    for (int i : o) {
      if (i < 0 || i >= n || seen[i]) {
        throw new IllegalArgumentException("saved minibatch order is not a permutation of 0.."
            + (n - 1));
      }
      seen[i] = true;
    }
    System.arraycopy(o, 0, order, 0, n);
    cursor = saved.cursor;
    epochs = saved.epochs;
    batches = saved.batches;
    rng.seek(saved.streamPosition);
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
