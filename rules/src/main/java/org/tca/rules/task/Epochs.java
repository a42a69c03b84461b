package org.tca.rules.task;

import java.util.Arrays;
import java.util.List;
import org.tca.numerics.random.RandomStream;

/**
 * The epochs of a cognitive-task trial: named, consecutive periods of fixed length in steps
 * (fixation, stimulus, delay, ..., decision), each read from the task parameter of the same
 * name. Epoch e occupies steps {@code [start(e), end(e))}; T is the sum of the lengths. The last
 * epoch is the response window: the fixation input (channel 0) is 1 at every earlier step and 0
 * in it, and the loss mask selects exactly it.
 */
final class Epochs {

  private static final int MAX = 1_000_000;

  private final List<String> names;
  private final int[] starts;

  private Epochs(List<String> names, int[] starts) {
    this.names = names;
    this.starts = starts;
  }

  /**
   * Reads the epochs' lengths from {@code p}: the first (fixation) and the last (response) need
   * at least one step, the others at least {@code 0}.
   */
  static Epochs of(TaskParameters p, String... names) {
    int[] starts = new int[names.length + 1];
    for (int e = 0; e < names.length; e++) {
      int min = e == 0 || e == names.length - 1 ? 1 : 0;
      starts[e + 1] = Math.addExact(starts[e], p.integer(names[e], min, MAX));
    }
    return new Epochs(List.of(names), starts);
  }

  /** A parameter spec for an epoch length. */
  static ParameterSpec spec(String name, int steps, String what) {
    return new ParameterSpec(name, Integer.toString(steps), "steps of the " + what);
  }

  /** T. */
  int steps() {
    return starts[starts.length - 1];
  }

  /** The first step of an epoch. */
  int start(String epoch) {
    return starts[index(epoch)];
  }

  /** One past the last step of an epoch. */
  int end(String epoch) {
    return starts[index(epoch) + 1];
  }

  /** The response window: the last epoch. */
  String response() {
    return names.get(names.size() - 1);
  }

  /** The loss mask: 1 on the response window, 0 elsewhere. */
  float[] responseMask() {
    float[] m = new float[steps()];
    Arrays.fill(m, start(response()), steps(), 1f);
    return m;
  }

  /** Sets the fixation input (channel 0 at x[base..]) to 1 before the response. */
  void fixation(float[] x, int base, int inputs) {
    for (int t = 0; t < start(response()); t++) {
      x[base + t * inputs] = 1f;
    }
  }

  /** Adds {@code value} to channel {@code c} at every step of {@code epoch}. */
  void add(float[] x, int base, int inputs, String epoch, int c, double value) {
    for (int t = start(epoch); t < end(epoch); t++) {
      x[base + t * inputs + c] = (float) (x[base + t * inputs + c] + value);
    }
  }

  /**
   * Adds {@code sd * N(0, 1)} to channels {@code [c0, c1)} at every step of {@code epoch}, step by
   * step, channel by channel (nothing is drawn when sd = 0).
   */
  void noise(RandomStream r, float[] x, int base, int inputs, String epoch, int c0, int c1,
      double sd) {
    if (sd == 0) {
      return;
    }
    for (int t = start(epoch); t < end(epoch); t++) {
      for (int c = c0; c < c1; c++) {
        x[base + t * inputs + c] = (float) (x[base + t * inputs + c] + sd * r.nextGaussian());
      }
    }
  }

  private int index(String epoch) {
    int e = names.indexOf(epoch);
    if (e < 0) {
      throw new IllegalArgumentException("no epoch " + epoch + " in " + names);
    }
    return e;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    for (int e = 0; e < names.size(); e++) {
      s.append(e == 0 ? "" : ", ").append(names.get(e)).append(' ')
          .append(starts[e + 1] - starts[e]);
    }
    return s.append(" (T=").append(steps()).append(')').toString();
  }
}
