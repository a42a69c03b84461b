package org.tca.rules.task;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A task's parameter values: the caller's {@code name -> value} strings (e.g. from command-line
 * flags) over the task's declared {@link ParameterSpec}s and their defaults, with typed,
 * range-checked getters. Every problem is an {@link IllegalArgumentException} whose message names
 * the task and the parameter: an unknown name (listing the known ones), or a value that does not
 * parse or is out of range. {@link #values()} gives the resolved values for provenance.
 */
public final class TaskParameters {

  /** The text of an absent optional value. */
  public static final String NONE = "none";
  /** The text of "every record" for count parameters. */
  public static final String ALL = "all";

  private final String task;
  private final Map<String, String> values;

  private TaskParameters(String task, Map<String, String> values) {
    this.task = task;
    this.values = values;
  }

  /**
   * Resolves {@code given} over {@code specs}.
   *
   * @throws IllegalArgumentException naming the first unknown parameter, with the known ones
   */
  public static TaskParameters parse(String task, List<ParameterSpec> specs,
      Map<String, String> given) {
    Map<String, String> values = new LinkedHashMap<>();
    for (ParameterSpec s : specs) {
      values.put(s.name(), s.defaultValue());
    }
    for (Map.Entry<String, String> e : given.entrySet()) {
      if (!values.containsKey(e.getKey())) {
        throw new IllegalArgumentException("task " + task + " has no parameter '" + e.getKey()
            + "'; its parameters are: " + String.join(", ", values.keySet()));
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException("task " + task + ": parameter '" + e.getKey()
            + "' has no value");
      }
      values.put(e.getKey(), e.getValue().trim());
    }
    return new TaskParameters(task, values);
  }

  /** The task these parameters belong to. */
  public String task() {
    return task;
  }

  /** Every parameter with its resolved value (defaults filled in), in declaration order. */
  public Map<String, String> values() {
    return Collections.unmodifiableMap(values);
  }

  /** The raw text of a declared parameter. */
  public String string(String name) {
    String v = values.get(name);
    if (v == null) {
      throw new IllegalStateException("task " + task + " did not declare parameter " + name);
    }
    return v;
  }

  /** Whether an optional parameter is absent ({@value #NONE} or empty). */
  public boolean isNone(String name) {
    String v = string(name);
    return v.isEmpty() || v.equalsIgnoreCase(NONE);
  }

  /** An integer in [min, max]. */
  public int integer(String name, int min, int max) {
    String v = string(name);
    long x;
    try {
      x = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw bad(name, v, "an integer in [" + min + ", " + max + "]");
    }
    if (x < min || x > max) {
      throw bad(name, v, "an integer in [" + min + ", " + max + "]");
    }
    return (int) x;
  }

  /** Any 64-bit integer (seeds). */
  public long longInteger(String name) {
    String v = string(name);
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw bad(name, v, "a 64-bit integer");
    }
  }

  /** A finite number in [min, max]. */
  public double real(String name, double min, double max) {
    return parseReal(name, string(name), min, max);
  }

  /** A finite number in [min, max], or empty when the value is {@value #NONE}. */
  public OptionalDouble optionalReal(String name, double min, double max) {
    return isNone(name) ? OptionalDouble.empty() : OptionalDouble.of(real(name, min, max));
  }

  /** An integer in [min, max], or empty when the value is {@value #NONE}. */
  public OptionalInt optionalInteger(String name, int min, int max) {
    return isNone(name) ? OptionalInt.empty() : OptionalInt.of(integer(name, min, max));
  }

  /** A count in [min, available], where {@value #ALL} means {@code available}. */
  public int countOrAll(String name, int min, int available) {
    if (string(name).equalsIgnoreCase(ALL)) {
      return available;
    }
    String v = string(name);
    long x;
    try {
      x = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw bad(name, v, "'all' or an integer in [" + min + ", " + available + "]");
    }
    if (x < min || x > available) {
      throw bad(name, v, "'all' or an integer in [" + min + ", " + available + "] (only "
          + available + " available)");
    }
    return (int) x;
  }

  /** A non-empty comma-separated list of finite numbers, each in [min, max]. */
  public double[] reals(String name, double min, double max) {
    String v = string(name);
    String[] parts = v.split(",", -1);
    double[] out = new double[parts.length];
    for (int k = 0; k < parts.length; k++) {
      out[k] = parseReal(name, parts[k].trim(), min, max);
    }
    return out;
  }

  /** An {@link IllegalArgumentException} about parameter {@code name}. */
  public IllegalArgumentException error(String name, String problem) {
    return new IllegalArgumentException("task " + task + ": parameter '" + name + "' " + problem);
  }

  private double parseReal(String name, String v, double min, double max) {
    double x;
    try {
      x = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw bad(name, v, "a number in [" + min + ", " + max + "]");
    }
    if (!Double.isFinite(x) || x < min || x > max) {
      throw bad(name, v, "a finite number in [" + min + ", " + max + "]");
    }
    return x;
  }

  private IllegalArgumentException bad(String name, String value, String expected) {
    return error(name, "must be " + expected + ", got '" + value + "'");
  }
}
