package org.tca.rules.train;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.tca.rules.optim.FloatOptimizer;

/**
 * The complete mutable state of an optimizer (velocities, moment estimates, step count), so a run
 * can be checkpointed and resumed bit-identically. An optimizer's state is taken to be every
 * instance field that is a {@code float[]} (its contents) or a non-final {@code long}/{@code int}
 * (e.g. the step count that Adam's bias correction uses); everything else (sizes, ranges,
 * hyper-parameters) comes from the run's configuration. Fields are listed by name, so the record
 * is self-describing and a mismatch (another optimizer kind, another size) is refused on restore.
 *
 * <p>{@link FloatOptimizer} has no export API yet, so this reads the fields reflectively (the
 * optimizers are plain classes in this module's class path). When the interface grows
 * {@code exportState}/{@code importState}, only this class changes.
 *
 * @param kind the optimizer's class name
 * @param arrayNames names of the array fields, sorted
 * @param arrays their contents (copies), in the same order
 * @param counterNames names of the counter fields, sorted
 * @param counters their values
 */
public record OptimizerState(String kind, List<String> arrayNames, List<float[]> arrays,
    List<String> counterNames, long[] counters) {

  /** Copies the state of {@code optimizer}. */
  public static OptimizerState capture(FloatOptimizer optimizer) {
    List<String> an = new ArrayList<>();
    List<float[]> av = new ArrayList<>();
    List<String> cn = new ArrayList<>();
    List<Long> cv = new ArrayList<>();
    try {
      for (Field f : stateFields(optimizer.getClass())) {
        if (f.getType() == float[].class) {
          an.add(f.getName());
          av.add(((float[]) f.get(optimizer)).clone());
        } else {
          cn.add(f.getName());
          cv.add(f.getType() == long.class ? f.getLong(optimizer) : f.getInt(optimizer));
        }
      }
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot read the state of " + optimizer, e);
    }
    long[] c = new long[cv.size()];
    for (int i = 0; i < c.length; i++) {
      c[i] = cv.get(i);
    }
    return new OptimizerState(optimizer.getClass().getName(), List.copyOf(an), List.copyOf(av),
        List.copyOf(cn), c);
  }

  /**
   * Overwrites the state of {@code optimizer} with this one.
   *
   * @throws IllegalArgumentException when the optimizer is of another kind or size
   */
  public void restoreInto(FloatOptimizer optimizer) {
    if (!optimizer.getClass().getName().equals(kind)) {
      throw new IllegalArgumentException("saved optimizer state is for " + kind + ", not "
          + optimizer.getClass().getName());
    }
    try {
      int a = 0;
      int c = 0;
      for (Field f : stateFields(optimizer.getClass())) {
        if (f.getType() == float[].class) {
          float[] dst = (float[]) f.get(optimizer);
          float[] src = arrays.get(a);
          if (!f.getName().equals(arrayNames.get(a)) || dst.length != src.length) {
            throw new IllegalArgumentException("saved optimizer state does not match field "
                + f.getName() + " (" + dst.length + " values)");
          }
          System.arraycopy(src, 0, dst, 0, src.length);
          a++;
        } else {
          if (!f.getName().equals(counterNames.get(c))) {
            throw new IllegalArgumentException("saved optimizer state lacks " + f.getName());
          }
          if (f.getType() == long.class) {
            f.setLong(optimizer, counters[c]);
          } else {
            f.setInt(optimizer, Math.toIntExact(counters[c]));
          }
          c++;
        }
      }
      if (a != arrays.size() || c != counters.length) {
        throw new IllegalArgumentException("saved optimizer state has extra fields");
      }
    } catch (IllegalAccessException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException("cannot restore optimizer state into " + optimizer, e);
    }
  }

  private static List<Field> stateFields(Class<?> type) {
    List<Field> out = new ArrayList<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        int m = f.getModifiers();
        if (Modifier.isStatic(m)) {
          continue;
        }
        boolean array = f.getType() == float[].class;
        boolean counter = !Modifier.isFinal(m)
            && (f.getType() == long.class || f.getType() == int.class);
        if (array || counter) {
          f.setAccessible(true);
          out.add(f);
        }
      }
    }
    out.sort(Comparator.comparing(Field::getName));
    return out;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof OptimizerState s) || !kind.equals(s.kind) || !arrayNames.equals(s.arrayNames)
        || !counterNames.equals(s.counterNames) || !Arrays.equals(counters, s.counters)
        || arrays.size() != s.arrays.size()) {
      return false;
    }
    for (int i = 0; i < arrays.size(); i++) {
      if (!Arrays.equals(arrays.get(i), s.arrays.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + Arrays.hashCode(counters);
  }
}
