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
 * <p>In order ({@link #inOrder}, for sets generated on demand, whose trials are independent
 * draws already): no shuffle and no index array of n; batch k of an epoch is trials
 * {@code kB .. kB + B - 1}, so the first floor(n / B) iterations each see trials no earlier one
 * saw, and n may be up to 2^31 - 1.
 *
 * <p>{@link #state()} and {@link #restore} save and set the position exactly (the order of the
 * current epoch, the cursor in it, the counters and the random stream's position), so a
 * resumed run draws the batches the uninterrupted one would have, without replaying them.
 */
public final class MinibatchSampler {

  private final int[] order;
  private final int n;
  private final int batchSize;
  private final RandomStream rng;
  private final boolean inOrder;
  private int cursor;
  private long epochs;
  private long batches;

  /**
   * @param n number of trials
   * @param batchSize B, in [1, n]
   * @param rng the stream the shuffles draw from (owned by the sampler from now on)
   */
  public MinibatchSampler(int n, int batchSize, RandomStream rng) {
    this(n, batchSize, Objects.requireNonNull(rng, "rng"), false);
  }

  private MinibatchSampler(int n, int batchSize, RandomStream rng, boolean inOrder) {
    if (batchSize < 1 || batchSize > n) {
      throw new IllegalArgumentException("batch size must be in [1, n = " + n + "], got "
          + batchSize);
    }
    this.rng = rng;
    this.n = n;
    this.inOrder = inOrder;
    this.order = new int[inOrder ? batchSize : n];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    this.batchSize = batchSize;
    this.cursor = n;
  }

  /** Batches of B consecutive trials, in order (class comment); nothing is shuffled. */
  public static MinibatchSampler inOrder(int n, int batchSize) {
    return new MinibatchSampler(n, batchSize, null, true);
  }

  /**
   * The sampler a trainer uses on {@code train}: in order when its trials are generated on demand
   * ({@link Dataset#generated()}), else shuffled epochs drawn from {@code rng}.
   */
  public static MinibatchSampler of(Dataset train, int batchSize, RandomStream rng) {
    return train.generated() ? inOrder(train.size(), batchSize)
        : new MinibatchSampler(train.size(), batchSize, rng);
  }

  /**
   * Moves to the next batch, starting a new (reshuffled) epoch when fewer than B indices are left,
   * and returns the batch's offset into {@link #indices()}.
   */
  public int next() {
    if ((long) cursor + batchSize > n) {
      if (!inOrder) {
        rng.shuffle(order);
      }
      cursor = 0;
      epochs++;
    }
    int off = cursor;
    cursor += batchSize;
    batches++;
    if (!inOrder) {
      return off;
    }
    for (int b = 0; b < batchSize; b++) {
      order[b] = off + b;
    }
    return 0;
  }

  /**
   * The live index array; the current batch is {@code [offset, offset + B)}. Do not modify. In
   * order, it holds just the current batch (offset 0).
   */
  public int[] indices() {
    return order;
  }

  /**
   * Where a sampler stands.
   *
   * @param order the index order of the current epoch (a copy; empty in order)
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
    return new State(inOrder ? new int[0] : order, cursor, epochs, batches,
        inOrder ? 0 : rng.position());
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
    int[] o = saved.order;
    if (o.length != (inOrder ? 0 : n) || saved.cursor < 0 || saved.cursor > n || saved.epochs < 0
        || saved.batches < 0 || saved.streamPosition < 0) {
      throw new IllegalArgumentException("saved minibatch position is not one of "
          + (inOrder ? "an in-order" : "a") + " sampler over " + n + " trials (order of "
          + o.length + ", cursor " + saved.cursor + ")");
    }
    if (inOrder) {
      cursor = saved.cursor;
      epochs = saved.epochs;
      batches = saved.batches;
      return;
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
