package org.tca.rules.task;

import java.util.Objects;
import org.tca.numerics.random.RandomStream;

/**
 * Inputs generated on demand, nothing stored: trial k is written, whenever it is gathered, by a
 * {@link Source} from {@code split.child(k)} alone, as unsigned bytes {@code [t][i]} (spike
 * trains, divisor 1). A trial is a pure function of (split stream, k): any trial can be gathered
 * in any order, from any thread, and gives the same bits, which are those of a stored set of the
 * same split stream (the stored sets write trial k from the same child). So n can be far larger
 * than memory (up to 2^31 - 1). Each gathering thread holds one trial of scratch (T N_in bytes,
 * made at its first gather); nothing else is allocated.
 */
final class GeneratedStore implements InputStore {

  /** Writes one trial. */
  interface Source {
    /**
     * Writes the trial drawn from {@code rng} (at position 0) as bytes {@code dst[t * N_in + i]}
     * ({@code dst} is zero on entry) and returns its class label (0 for regression).
     * {@code scratch} holds {@link #scratchInts()} ints of working space.
     */
    int write(RandomStream rng, byte[] dst, int[] scratch);

    /** The working space {@link #write} needs, in ints. */
    int scratchInts();
  }

  /** One gathering thread's trial: its bytes and label, valid until the thread's next call. */
  static final class Trial {
    final byte[] bytes;
    final int[] scratch;
    final RandomStream rng = new RandomStream(0);
    int label;

    private Trial(int values, int ints) {
      this.bytes = new byte[values];
      this.scratch = new int[ints];
    }
  }

  private final RandomStream split;
  private final int trials;
  private final int steps;
  private final int inputs;
  private final Source source;
  private final ThreadLocal<Trial> scratch;

  GeneratedStore(RandomStream split, int trials, int steps, int inputs, Source source) {
    this.split = Objects.requireNonNull(split, "split").copy();
    this.source = Objects.requireNonNull(source, "source");
    if (trials < 0 || steps < 1 || inputs < 1) {
      throw new IllegalArgumentException("need n >= 0, T, N_in >= 1, got " + trials + ", "
          + steps + ", " + inputs);
    }
    int values = Math.multiplyExact(steps, inputs);
    this.trials = trials;
    this.steps = steps;
    this.inputs = inputs;
    this.scratch = ThreadLocal.withInitial(() -> new Trial(values, source.scratchInts()));
  }

  @Override
  public int trials() {
    return trials;
  }

  @Override
  public int steps() {
    return steps;
  }

  @Override
  public int inputs() {
    return inputs;
  }

  @Override
  public float value(int trial, int t, int i) {
    return trial(trial).bytes[t * inputs + i] & 0xFF;
  }

  /** Nothing is held but the per-thread scratch. */
  @Override
  public long heldBytes() {
    return 0;
  }

  /**
   * Trial {@code k} generated into this thread's scratch (overwritten by the thread's next call).
   */
  Trial trial(int k) {
    Objects.checkIndex(k, trials);
    Trial s = scratch.get();
    java.util.Arrays.fill(s.bytes, (byte) 0);
    s.rng.setToChild(split, k);
    s.label = source.write(s.rng, s.bytes, s.scratch);
    return s;
  }
}
