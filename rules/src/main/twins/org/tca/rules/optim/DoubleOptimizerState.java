package org.tca.rules.optim;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The complete mutable state of an optimizer as plain data, so a run can be checkpointed and
 * resumed bit-identically: named arrays (their contents) and named counters, e.g. Adam's
 * {@code m}, {@code v} and {@code steps}, momentum's {@code velocity} and {@code steps}, SGD's
 * {@code steps}. Everything else (sizes, ranges, hyper-parameters) comes from the run's
 * configuration. Made by {@link DoubleOptimizer#state()} and read back by
 * {@link DoubleOptimizer#restore}, which refuses the state of another kind or size. An f64
 * twin, {@code DoubleOptimizerState}, is generated from this file.
 *
 * @param kind the optimizer kind ("sgd", "momentum", "nesterov", "adam")
 * @param arrays the arrays by name (copies, in the optimizer's order)
 * @param counters the counters by name
 */
public record DoubleOptimizerState(String kind, Map<String, double[]> arrays,
    Map<String, Long> counters) {

  /** Copies the arrays and the maps (keeping their order). */
  public DoubleOptimizerState {
    Objects.requireNonNull(kind, "kind");
    Map<String, double[]> a = new LinkedHashMap<>();
    arrays.forEach((name, values) -> a.put(name, values.clone()));
    arrays = java.util.Collections.unmodifiableMap(a);
    counters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counters));
  }

  /**
   * Checks that this is the state of a {@code kind} optimizer with exactly the arrays
   * {@code arrayNames}, each of {@code size} values, and the counters {@code counterNames}.
   *
   * @throws IllegalArgumentException naming the first mismatch
   */
  public void require(String kind, int size, List<String> arrayNames, List<String> counterNames) {
    if (!this.kind.equals(kind)) {
      throw new IllegalArgumentException("saved optimizer state is for " + this.kind + ", not "
          + kind);
    }
    if (!arrays.keySet().equals(new java.util.HashSet<>(arrayNames))
        || !counters.keySet().equals(new java.util.HashSet<>(counterNames))) {
      throw new IllegalArgumentException("saved " + kind + " state holds " + arrays.keySet()
          + " and " + counters.keySet() + ", expected " + arrayNames + " and " + counterNames);
    }
    arrays.forEach((name, values) -> {
      if (values.length != size) {
        throw new IllegalArgumentException("saved " + kind + " state has " + values.length
            + " values of " + name + ", this optimizer " + size);
      }
    });
  }

  /** Copies the saved array {@code name} into {@code dst} (after {@link #require}). */
  public void copyInto(String name, double[] dst) {
    double[] src = arrays.get(name);
    System.arraycopy(src, 0, dst, 0, src.length);
  }

  /** The saved counter {@code name} (after {@link #require}). */
  public long counter(String name) {
    return counters.get(name);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DoubleOptimizerState s) || !kind.equals(s.kind)
        || !counters.equals(s.counters) || !arrays.keySet().equals(s.arrays.keySet())) {
      return false;
    }
    for (Map.Entry<String, double[]> e : arrays.entrySet()) {
      if (!Arrays.equals(e.getValue(), s.arrays.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + counters.hashCode();
  }
}
